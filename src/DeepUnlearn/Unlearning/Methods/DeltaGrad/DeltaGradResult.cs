using System;
using static TorchSharp.torch;

namespace DeepUnlearn.Unlearning.Methods.DeltaGrad;

/// <summary>
/// DeltaGrad's unlearned parameters next to exact retraining's and the original model's, with the
/// <see cref="Metrics"/> comparing them. Owns the three parameter vectors.
/// </summary>
public sealed class DeltaGradResult : IDisposable
{
    internal DeltaGradResult(Tensor unlearned, Tensor retrained, Tensor original, DeltaGradMetrics metrics)
    {
        UnlearnedParameters = unlearned.DetachFromDisposeScope();
        RetrainedParameters = retrained.DetachFromDisposeScope();
        OriginalParameters = original.DetachFromDisposeScope();
        Metrics = metrics;
    }

    /// <summary>w_DG, DeltaGrad's parameters (flat).</summary>
    public Tensor UnlearnedParameters { get; }

    /// <summary>w_retrain, exact retraining's parameters (flat).</summary>
    public Tensor RetrainedParameters { get; }

    /// <summary>w_orig, the original model's parameters (flat).</summary>
    public Tensor OriginalParameters { get; }

    /// <summary>Times, distances and accuracies.</summary>
    public DeltaGradMetrics Metrics { get; }

    /// <inheritdoc />
    public void Dispose()
    {
        UnlearnedParameters.Dispose();
        RetrainedParameters.Dispose();
        OriginalParameters.Dispose();
    }
}
