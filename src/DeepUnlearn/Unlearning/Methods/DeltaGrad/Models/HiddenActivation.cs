namespace DeepUnlearn.Unlearning.Methods.DeltaGrad.Models;

/// <summary>The hidden-layer nonlinearity of <see cref="TwoLayerPerceptron"/>.</summary>
public enum HiddenActivation
{
    /// <summary>Logistic sigmoid (the DeltaGrad paper's two-layer network).</summary>
    Sigmoid,

    /// <summary>max(x, 0).</summary>
    Relu,
}
