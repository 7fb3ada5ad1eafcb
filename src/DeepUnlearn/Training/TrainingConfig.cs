using System;
using System.Globalization;

namespace DeepUnlearn.Training;

/// <summary>
/// A training recipe: the original model, the retrained gold standard and every fine-tuning-style
/// unlearning method are trained with one of these. Defaults train smallcnn on Fashion-MNIST quickly;
/// the SalUn CIFAR-10 recipe (Unlearn-Saliency main_train.py) is SGD, lr 0.1, momentum 0.9, weight decay 5e-4,
/// 182 epochs, batch 256, multi-step decay ×0.1 at epochs 91 and 136 (the training section of
/// recipes/protocols/salun-cifar10-resnet18.json, which <c>train --config</c> reads).
/// Bound from --config / --set with snake_case keys (<c>train.learning_rate=0.05</c>).
/// </summary>
public sealed record TrainingConfig
{
    /// <summary>Epochs to train.</summary>
    public int Epochs { get; init; } = 2;

    /// <summary>Mini-batch size.</summary>
    public int BatchSize { get; init; } = 128;

    /// <summary>The optimizer.</summary>
    public OptimizerKind Optimizer { get; init; } = OptimizerKind.Sgd;

    /// <summary>Initial learning rate.</summary>
    public double LearningRate { get; init; } = 0.05;

    /// <summary>SGD momentum.</summary>
    public double Momentum { get; init; } = 0.9;

    /// <summary>Nesterov momentum (SGD).</summary>
    public bool Nesterov { get; init; }

    /// <summary>Weight decay (L2 for SGD and Adam, decoupled for AdamW).</summary>
    public double WeightDecay { get; init; } = 5e-4;

    /// <summary>The learning-rate schedule.</summary>
    public ScheduleKind Schedule { get; init; } = ScheduleKind.Cosine;

    /// <summary>Step schedule: epochs between decays.</summary>
    public int StepSize { get; init; } = 30;

    /// <summary>Multi-step schedule: the epochs at which the rate decays.</summary>
    public int[] Milestones { get; init; } = [];

    /// <summary>Decay factor of the step schedules.</summary>
    public double Gamma { get; init; } = 0.1;

    /// <summary>Epochs of linear warm-up from lr/10 before the schedule.</summary>
    public int WarmupEpochs { get; init; }

    /// <summary>Label smoothing of the cross-entropy loss.</summary>
    public double LabelSmoothing { get; init; }

    /// <summary>Whether to apply the dataset's training augmentation.</summary>
    public bool Augment { get; init; } = true;

    /// <summary>Loader worker threads.</summary>
    public int Workers { get; init; } = 2;

    /// <summary>Share of the training set held out for validation (SalUn: 10%).</summary>
    public double ValidationFraction { get; init; } = 0.1;

    /// <summary>Seed of the model initialisation, the split, the shuffling and the augmentation.</summary>
    public ulong Seed { get; init; }

    /// <summary>Checks every value, with a message that says what is valid.</summary>
    public TrainingConfig Validate()
    {
        Require(Epochs >= 1, "epochs must be at least 1");
        CheckBatchSize(BatchSize, "batch_size");
        Require(LearningRate > 0 && LearningRate <= float.MaxValue,
            string.Create(CultureInfo.InvariantCulture, $"learning_rate must be a positive number float32 can hold (at most {float.MaxValue:G3}; usually 1e-4 to 1), got {LearningRate:G6}"));
        Require(Momentum is >= 0 and < 1, "momentum must be in [0, 1)");
        Require(WeightDecay >= 0, "weight_decay must be non-negative");
        Require(!Nesterov || (Optimizer == OptimizerKind.Sgd && Momentum > 0), "nesterov needs the sgd optimizer with momentum > 0");
        Require(StepSize >= 1, "step_size must be at least 1");
        Require(Gamma is > 0 and <= 1, "gamma must be in (0, 1]");
        Require(WarmupEpochs >= 0 && WarmupEpochs < Epochs, "warmup_epochs must be in [0, epochs)");
        Require(LabelSmoothing is >= 0 and < 1, "label_smoothing must be in [0, 1)");
        Require(Workers >= 0, "workers must be non-negative");
        Require(ValidationFraction is >= 0 and < 1, "validation_fraction must be in [0, 1)");
        Require(Schedule != ScheduleKind.MultiStep || Milestones.Length > 0, "the multi-step schedule needs milestones (e.g. train.milestones=50,75)");
        return this;
    }

    /// <summary>The largest batch size accepted (2^20): far above any batch that fits a device, and small enough that the
    /// evaluation loaders' doubled batch cannot overflow an int.</summary>
    public const int MaxBatchSize = 1 << 20;

    /// <summary>Throws when a batch size is not in 1..<see cref="MaxBatchSize"/>, naming <paramref name="setting"/>.</summary>
    /// <exception cref="ArgumentException">Out of range.</exception>
    public static void CheckBatchSize(int value, string setting)
    {
        if (value is < 1 or > MaxBatchSize)
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                $"invalid {setting}: must be between 1 and {MaxBatchSize:N0} (a batch larger than the dataset is one batch of everything), got {value}"));
        }
    }

    private static void Require(bool condition, string message)
    {
        if (!condition)
        {
            throw new ArgumentException($"invalid training config: {message}");
        }
    }
}
