namespace DeepUnlearn.Engine;

/// <summary>
/// How <see cref="KlDivergence.Loss"/> reduces the pointwise terms p·(log p − log q).
/// </summary>
public enum KlReduction
{
    /// <summary>The sum over all elements divided by the batch size (dim 0): the mean KL divergence per sample, PyTorch's <c>'batchmean'</c>.</summary>
    BatchMean,

    /// <summary>The sum over all elements.</summary>
    Sum,

    /// <summary>The mean over all elements (PyTorch's <c>'mean'</c>; divides by the classes too, so it is not a KL divergence).</summary>
    ElementMean,

    /// <summary>No reduction: the pointwise terms, shaped like the input.</summary>
    None,
}
