using System;
using System.Collections.Generic;
using DeepUnlearn.Models;

namespace DeepUnlearn.Training;

/// <summary>
/// What a checkpoint says about itself, stored as JSON in the safetensors <c>__metadata__</c> map under
/// <see cref="MetadataKey"/> (the architecture also under <see cref="ModelSpec.MetadataKey"/>), so a
/// checkpoint can be rebuilt, checked against a dataset and audited without DeepUnlearn's code.
/// </summary>
public sealed record CheckpointMetadata
{
    /// <summary>The metadata key of this record.</summary>
    public const string MetadataKey = "deepunlearn.checkpoint";

    /// <summary>Format version of this record.</summary>
    public int FormatVersion { get; init; } = 1;

    /// <summary>The architecture and its options.</summary>
    public required ModelSpec Model { get; init; }

    /// <summary>The dataset specification it was trained on (<c>fashion-mnist</c>, <c>cifar10:/data/cifar</c>).</summary>
    public required string Dataset { get; init; }

    /// <summary>Class names, in label order.</summary>
    public required IReadOnlyList<string> ClassNames { get; init; }

    /// <summary>Per-channel normalisation mean the inputs had.</summary>
    public required IReadOnlyList<float> NormalizationMean { get; init; }

    /// <summary>Per-channel normalisation standard deviation.</summary>
    public required IReadOnlyList<float> NormalizationStd { get; init; }

    /// <summary>Completed training epochs.</summary>
    public int Epoch { get; init; }

    /// <summary>The recipe it was trained with, if any.</summary>
    public TrainingConfig? Config { get; init; }

    /// <summary>Validation accuracy (percent) at this epoch, if measured.</summary>
    public double? ValidationAccuracy { get; init; }

    /// <summary>What produced it: <c>train</c>, or <c>unlearn:famr</c> and the like.</summary>
    public string Producer { get; init; } = "train";

    /// <summary>Ids of the samples this model was asked to forget, when it is the output of unlearning (or retraining).</summary>
    public IReadOnlyList<int>? ForgottenIds { get; init; }

    /// <summary>Wall time (seconds) of the run that produced it (training, retraining or unlearning).</summary>
    public double? Seconds { get; init; }

    /// <summary>DeepUnlearn's version.</summary>
    public string DeepUnlearnVersion { get; init; } = ToolkitInfo.Version;

    /// <summary>When it was written (UTC).</summary>
    public DateTimeOffset CreatedUtc { get; init; } = DateTimeOffset.UtcNow;
}
