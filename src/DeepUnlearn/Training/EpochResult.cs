namespace DeepUnlearn.Training;

/// <summary>One epoch of training: its learning rate, training loss and accuracy, validation accuracy and speed.</summary>
public sealed record EpochResult
{
    /// <summary>The epoch (0-based).</summary>
    public required int Epoch { get; init; }

    /// <summary>Learning rate used during the epoch.</summary>
    public required double LearningRate { get; init; }

    /// <summary>Mean training loss.</summary>
    public required double TrainLoss { get; init; }

    /// <summary>Training accuracy (percent, on the augmented batches, in training mode).</summary>
    public required double TrainAccuracy { get; init; }

    /// <summary>Validation accuracy (percent), when a validation set was given.</summary>
    public double? ValidationAccuracy { get; init; }

    /// <summary>Validation loss, when a validation set was given.</summary>
    public double? ValidationLoss { get; init; }

    /// <summary>Wall time of the training part.</summary>
    public required double Seconds { get; init; }

    /// <summary>Training throughput.</summary>
    public required double ImagesPerSecond { get; init; }
}
