using System;
using static TorchSharp.torch;

namespace DeepUnlearn.Unlearning.Methods.DeltaGrad;

/// <summary>The parameters DeltaGrad arrived at, and how it got there. Owns <see cref="Parameters"/>.</summary>
public sealed class DeltaGradOutcome : IDisposable
{
    internal DeltaGradOutcome(Tensor parameters, DatasetChange change, TimeSpan elapsed, int exactSteps, int approximateSteps, int skippedSteps)
    {
        Parameters = parameters.DetachFromDisposeScope();
        Change = change;
        Elapsed = elapsed;
        ExactSteps = exactSteps;
        ApproximateSteps = approximateSteps;
        SkippedSteps = skippedSteps;
    }

    /// <summary>w^I_T, the flat parameters of the updated model.</summary>
    public Tensor Parameters { get; }

    /// <summary>The deletion or addition that was applied.</summary>
    public DatasetChange Change { get; }

    /// <summary>Wall time of the replay (trajectory reads included).</summary>
    public TimeSpan Elapsed { get; }

    /// <summary>Steps whose gradient was computed exactly (burn-in, every T0-th step, or no usable history yet).</summary>
    public int ExactSteps { get; }

    /// <summary>Steps whose gradient came from the L-BFGS estimate plus the changed samples' exact gradients.</summary>
    public int ApproximateSteps { get; }

    /// <summary>Steps skipped because every sample of the batch was deleted.</summary>
    public int SkippedSteps { get; }

    /// <inheritdoc />
    public void Dispose() => Parameters.Dispose();
}
