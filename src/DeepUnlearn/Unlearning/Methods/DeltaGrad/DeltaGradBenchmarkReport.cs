using System.Collections.Generic;

namespace DeepUnlearn.Unlearning.Methods.DeltaGrad;

/// <summary>What <see cref="DeltaGradBenchmark"/> measured, with the settings it ran.</summary>
public sealed record DeltaGradBenchmarkReport
{
    /// <summary>The original training run (model, batches, epochs, η, λ, precision, seed).</summary>
    public required string Recipe { get; init; }

    /// <summary>DeltaGrad's T0, j0 and m.</summary>
    public required DeltaGradOptions Options { get; init; }

    /// <summary>The authors' published settings, stated next to ours (<see cref="DeltaGradBenchmark.AuthorsSettings"/>).</summary>
    public required string AuthorsSettings { get; init; }

    /// <summary>Samples the original model was trained on.</summary>
    public required long TrainingSamples { get; init; }

    /// <summary>Samples held out of the original training so that they can be added.</summary>
    public required long HeldOutSamples { get; init; }

    /// <summary>One row per rate, change kind and repeat.</summary>
    public required IReadOnlyList<DeltaGradBenchmarkRow> Rows { get; init; }

    /// <summary>The online streams (deletions, then additions), one entry per request; empty without a stream.</summary>
    public required IReadOnlyList<DeltaGradStreamStep> Stream { get; init; }
}
