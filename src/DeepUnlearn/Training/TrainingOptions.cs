using System;
using DeepUnlearn.Engine;

namespace DeepUnlearn.Training;

/// <summary>How a <see cref="Trainer"/> run is hosted: checkpoints, resumption, progress, step hooks.</summary>
public sealed record TrainingOptions
{
    /// <summary>Where <c>last.safetensors</c> (+ its training state) and <c>best.safetensors</c> go; null for no checkpoints.</summary>
    public string? CheckpointDirectory { get; init; }

    /// <summary>Resume from <c>last.safetensors</c> in <see cref="CheckpointDirectory"/> when it exists.</summary>
    public bool Resume { get; init; }

    /// <summary>The checkpoint metadata template (dataset, classes, normalisation, model spec); epoch and metrics are filled in.</summary>
    public CheckpointMetadata? Metadata { get; init; }

    /// <summary>Receives progress after every step.</summary>
    public IProgress<TrainingProgress>? Progress { get; init; }

    /// <summary>Called after each backward pass, before the update.</summary>
    public Action<TrainingStep>? StepObserver { get; init; }

    /// <summary>Mixed precision and memory layout of the forward and backward passes (float32, contiguous by default).</summary>
    public PrecisionPolicy Precision { get; init; } = PrecisionPolicy.Off;

    /// <summary>Stop after this many epochs of this call even if the recipe has more (for tests of resumption).</summary>
    public int? StopAfterEpochs { get; init; }
}
