using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using static TorchSharp.torch;
using DeepUnlearn.Training.Trajectory;
using DeepUnlearn.Unlearning.Methods.DeltaGrad.Models;

namespace DeepUnlearn.Unlearning.Methods.DeltaGrad;

/// <summary>
/// How the original model of a DeltaGrad experiment is trained: model, batch order, learning rate and
/// weight decay. Defaults are a large-batch setting like the paper's logistic-regression runs
/// (full-batch gradient descent, λ = 5·10⁻³, float64 as in the authors' code).
/// </summary>
public sealed record DeltaGradRecipe
{
    /// <summary>Logistic regression (default) or the two-layer network.</summary>
    public FlatModelKind Model { get; init; } = FlatModelKind.LogisticRegression;

    /// <summary>Hidden width of the two-layer network (the paper's 300).</summary>
    public long HiddenUnits { get; init; } = TwoLayerPerceptron.PaperHiddenUnits;

    /// <summary>Hidden nonlinearity of the two-layer network.</summary>
    public HiddenActivation Activation { get; init; } = HiddenActivation.Sigmoid;

    /// <summary>Mini-batch size; 0 means full-batch gradient descent.</summary>
    public int BatchSize { get; init; }

    /// <summary>Epochs (with full-batch gradient descent, one step each).</summary>
    public int Epochs { get; init; } = 40;

    /// <summary>
    /// Learning rate η: one rate for every epoch, or with <see cref="LearningRateEpochs"/> one rate per stage
    /// (the authors' <c>--lr 0.1 0.05 --lrlen 10 10</c>).
    /// </summary>
    public IReadOnlyList<double> LearningRates { get; init; } = [0.2];

    /// <summary>
    /// Epochs of each stage of <see cref="LearningRates"/> (they must add up to <see cref="Epochs"/>); empty when
    /// there is one rate for the whole run.
    /// </summary>
    public IReadOnlyList<int> LearningRateEpochs { get; init; } = [];

    /// <summary>A constant learning rate η (sets <see cref="LearningRates"/> to this one rate); reads the first stage's.</summary>
    public double LearningRate
    {
        get => LearningRates[0];
        init
        {
            LearningRates = [value];
            LearningRateEpochs = [];
        }
    }

    /// <summary>L2 weight decay λ.</summary>
    public double WeightDecay { get; init; } = 5e-3;

    /// <summary>Seed of the initialisation and of the batch order.</summary>
    public ulong Seed { get; init; }

    /// <summary>Element type of the model (and of the recorded trajectory).</summary>
    public ScalarType ScalarType { get; init; } = ScalarType.Float64;

    /// <summary>Throws when a value is out of range.</summary>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfNegative(BatchSize);
        ArgumentOutOfRangeException.ThrowIfLessThan(Epochs, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(HiddenUnits, 1);
        if (LearningRates is null || LearningRates.Count == 0 || LearningRates.Any(r => !double.IsFinite(r) || r <= 0))
        {
            throw new ArgumentOutOfRangeException(nameof(LearningRates), LearningRates is null ? "null" : string.Join(", ", LearningRates), "learning rates must be finite and > 0 (at least one)");
        }
        if (LearningRateEpochs is null || (LearningRateEpochs.Count == 0 && LearningRates.Count > 1))
        {
            throw new ArgumentOutOfRangeException(nameof(LearningRateEpochs), "none", $"{LearningRates.Count} learning rates need as many stage lengths in epochs");
        }
        if (LearningRateEpochs.Count > 0
            && (LearningRateEpochs.Count != LearningRates.Count || LearningRateEpochs.Any(e => e < 1) || LearningRateEpochs.Sum() != Epochs))
        {
            throw new ArgumentOutOfRangeException(
                nameof(LearningRateEpochs), string.Join(", ", LearningRateEpochs),
                $"one stage length (≥ 1 epoch) per learning rate ({LearningRates.Count}), adding up to the {Epochs} epochs");
        }
        if (!double.IsFinite(WeightDecay) || WeightDecay < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(WeightDecay), WeightDecay, "must be finite and ≥ 0");
        }
        if (ScalarType is not (ScalarType.Float32 or ScalarType.Float64))
        {
            throw new ArgumentOutOfRangeException(nameof(ScalarType), ScalarType, "Float32 or Float64");
        }
    }

    /// <summary>A freshly initialised model for <paramref name="inputFeatures"/> features and <paramref name="classes"/> classes.</summary>
    public FlatModel CreateModel(long inputFeatures, long classes, Device device) => Model switch
    {
        FlatModelKind.LogisticRegression => new MultinomialLogisticRegression(inputFeatures, classes, ScalarType, device, Seed),
        FlatModelKind.Mlp => new TwoLayerPerceptron(inputFeatures, classes, HiddenUnits, Activation, ScalarType, device, Seed),
        _ => throw new ArgumentOutOfRangeException(nameof(Model), Model, "valid models: LogisticRegression, Mlp"),
    };

    /// <summary>The batch order over <paramref name="trainingIds"/>.</summary>
    public BatchSchedule CreateSchedule(long[] trainingIds) => BatchSize == 0 || BatchSize >= trainingIds.Length
        ? BatchSchedule.FullBatch(trainingIds, Epochs)
        : BatchSchedule.Shuffled(trainingIds, BatchSize, Epochs, Seed);

    /// <summary>The learning rate of every step, for a batch order of <paramref name="stepsPerEpoch"/> steps per epoch.</summary>
    public LearningRateSchedule LearningRateSchedule(long stepsPerEpoch) => LearningRateEpochs.Count == 0
        ? Training.Trajectory.LearningRateSchedule.Constant(LearningRates[0])
        : Training.Trajectory.LearningRateSchedule.PiecewiseByEpoch(LearningRates, LearningRateEpochs, stepsPerEpoch);

    /// <summary>The trajectory metadata for training <paramref name="model"/> on <paramref name="data"/> with <paramref name="schedule"/>.</summary>
    public TrajectoryMetadata Metadata(FlatModel model, SampleTable data, BatchSchedule schedule)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(schedule);
        return new TrajectoryMetadata(model.Identity, data.Identity, model.ParameterCount, data.Count, WeightDecay, schedule.StepsPerEpoch, ScalarType);
    }

    /// <summary>A one-line description for logs and manifests.</summary>
    public override string ToString() => string.Create(
        CultureInfo.InvariantCulture,
        $"{Model} batch {(BatchSize == 0 ? "full" : BatchSize.ToString(CultureInfo.InvariantCulture))}, {Epochs} epochs, η {Rates()}, λ {WeightDecay}, {ScalarType}, seed {Seed}");

    private string Rates() => LearningRateEpochs.Count == 0
        ? LearningRates[0].ToString(CultureInfo.InvariantCulture)
        : string.Join(" then ", LearningRates.Select((r, i) => string.Create(CultureInfo.InvariantCulture, $"{r} ({LearningRateEpochs[i]} epochs)")));
}
