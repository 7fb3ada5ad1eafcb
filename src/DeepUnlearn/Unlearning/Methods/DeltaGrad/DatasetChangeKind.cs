namespace DeepUnlearn.Unlearning.Methods.DeltaGrad;

/// <summary>Whether samples leave or join the training set.</summary>
public enum DatasetChangeKind
{
    /// <summary>Samples are removed (the unlearning case).</summary>
    Deletion,

    /// <summary>Samples are added.</summary>
    Addition,
}
