namespace DeepUnlearn.Torch.Nn;

/// <summary>How a loss combines its per-sample values; the values are libtorch's codes.</summary>
public enum Reduction
{
    /// <summary>One value per sample.</summary>
    None = 0,

    /// <summary>The mean over samples (the default).</summary>
    Mean = 1,

    /// <summary>The sum over samples.</summary>
    Sum = 2,
}
