namespace DeepUnlearn.Unlearning.Methods.DeltaGrad;

/// <summary>
/// Options of <see cref="DeltaGradMethod"/>: the head-over-frozen-features training whose trajectory
/// DeltaGrad replays, and DeltaGrad's own T0, j0, m (Wu, Dobriban and Davidson, ICML 2020, Algorithm 1), whose
/// defaults are <see cref="DeltaGradOptions"/>'s (documented there, with their source).
/// </summary>
public sealed record DeltaGradMethodOptions : IMethodOptions
{
    private static readonly DeltaGradOptions s_algorithmDefaults = new();

    /// <summary>
    /// A trajectory file: reused when it exists (it must come from the same backbone, dataset and head
    /// recipe), recorded there when it does not; null keeps the trajectory in memory for this run.
    /// </summary>
    [DefaultFrom(DefaultOrigin.Ours, "in memory")]
    public string? Trajectory { get; init; }

    /// <summary>
    /// Start the head training from the original head instead of a fresh seeded initialisation. The replay
    /// then only removes the forget set's share of a short fine-tuning, so the head keeps most of what it
    /// learned from it; the default (false) retrains the head as a linear probe.
    /// </summary>
    [DefaultFrom(DefaultOrigin.Ours)]
    public bool WarmStart { get; init; }

    /// <summary>
    /// Use the approximate replay (T0 as given) for whole-class requests too. Off by default: there the
    /// L-BFGS estimate does not follow the retrained path, so class requests replay exactly (T0 = 1).
    /// </summary>
    [DefaultFrom(DefaultOrigin.Ours, "exact replay for classes")]
    public bool ApproximateClassRequests { get; init; }

    /// <summary>Epochs of plain SGD over the frozen features that the trajectory records.</summary>
    [DefaultFrom(DefaultOrigin.Ours)]
    public int HeadEpochs { get; init; } = 5;

    /// <summary>Mini-batch size of that training (DeltaGrad is most accurate with large batches).</summary>
    [DefaultFrom(DefaultOrigin.Ours)]
    public int BatchSize { get; init; } = 1024;

    /// <summary>Learning rate of the head training.</summary>
    [DefaultFrom(DefaultOrigin.Ours)]
    public double LearningRate { get; init; } = 0.5;

    /// <summary>L2 weight decay λ of the head training (the paper's regularised objective).</summary>
    [DefaultFrom(DefaultOrigin.Ours)]
    public double WeightDecay { get; init; } = 5e-3;

    /// <summary>T0: an exact gradient every T0 steps after the burn-in (default: <see cref="DeltaGradOptions.Period"/>'s).</summary>
    [DefaultFrom(DefaultOrigin.AuthorsCode, "T0: their --period 5")]
    public int Period { get; init; } = s_algorithmDefaults.Period;

    /// <summary>j0: exact gradients for steps 0..j0 (default: <see cref="DeltaGradOptions.BurnIn"/>'s).</summary>
    [DefaultFrom(DefaultOrigin.AuthorsCode, "j0: their --init 20")]
    public int BurnIn { get; init; } = s_algorithmDefaults.BurnIn;

    /// <summary>m: the L-BFGS history length (default: <see cref="DeltaGradOptions.History"/>'s).</summary>
    [DefaultFrom(DefaultOrigin.AuthorsCode, "m: their -m 2")]
    public int History { get; init; } = s_algorithmDefaults.History;

    /// <inheritdoc />
    public void Validate()
    {
        OptionChecks.AtLeastOne(HeadEpochs, "deltagrad-head", "head_epochs");
        OptionChecks.BatchSize(BatchSize, "deltagrad-head", "batch_size");
        OptionChecks.Positive(LearningRate, "deltagrad-head", "learning_rate");
        OptionChecks.NonNegative(WeightDecay, "deltagrad-head", "weight_decay");
        ToAlgorithmOptions().Validate();
    }

    /// <summary>The algorithm's own options.</summary>
    public DeltaGradOptions ToAlgorithmOptions() => new() { Period = Period, BurnIn = BurnIn, History = History };
}
