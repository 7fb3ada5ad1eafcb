namespace DeepUnlearn.Training;

/// <summary>The optimizers a training recipe can name.</summary>
public enum OptimizerKind
{
    /// <summary>SGD with momentum (and optionally Nesterov), PyTorch's update rule.</summary>
    Sgd,

    /// <summary>Adam with L2 weight decay.</summary>
    Adam,

    /// <summary>AdamW with decoupled weight decay.</summary>
    AdamW,
}
