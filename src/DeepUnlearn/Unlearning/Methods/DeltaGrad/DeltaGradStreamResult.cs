using System;
using System.Collections.Generic;
using static TorchSharp.torch;

namespace DeepUnlearn.Unlearning.Methods.DeltaGrad;

/// <summary>
/// The outcome of an online stream (<see cref="DeltaGradStream"/>): one <see cref="DeltaGradStreamStep"/> per
/// request, and DeltaGrad's and exact retraining's parameters after the last request. Owns the two vectors.
/// </summary>
public sealed class DeltaGradStreamResult : IDisposable
{
    internal DeltaGradStreamResult(IReadOnlyList<DeltaGradStreamStep> steps, Tensor unlearned, Tensor retrained)
    {
        Steps = steps;
        UnlearnedParameters = unlearned.DetachFromDisposeScope();
        RetrainedParameters = retrained.DetachFromDisposeScope();
    }

    /// <summary>The requests, in the order they were applied.</summary>
    public IReadOnlyList<DeltaGradStreamStep> Steps { get; }

    /// <summary>w_DG after the last request (flat).</summary>
    public Tensor UnlearnedParameters { get; }

    /// <summary>w_retrain after the last request: exact retraining with every request applied (flat).</summary>
    public Tensor RetrainedParameters { get; }

    /// <inheritdoc />
    public void Dispose()
    {
        UnlearnedParameters.Dispose();
        RetrainedParameters.Dispose();
    }
}
