namespace DeepUnlearn.Unlearning.Methods.DeltaGrad;

/// <summary>
/// Options of <see cref="DeltaGradMethod"/>: the head-over-frozen-features training whose trajectory
/// DeltaGrad replays, and DeltaGrad's own T0, j0, m (Wu, Dobriban and Davidson, ICML 2020, Algorithm 1;
/// the paper uses T0 = 5, j0 = 10, m = 2 in most experiments, and large batches).
/// </summary>
public sealed record DeltaGradMethodOptions : IMethodOptions
{
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

    /// <summary>T0: an exact gradient every T0 steps after the burn-in.</summary>
    [DefaultFrom(DefaultOrigin.Paper, "T0")]
    public int Period { get; init; } = 5;

    /// <summary>j0: exact gradients for the first j0 steps.</summary>
    [DefaultFrom(DefaultOrigin.Paper, "j0")]
    public int BurnIn { get; init; } = 10;

    /// <summary>m: the L-BFGS history length.</summary>
    [DefaultFrom(DefaultOrigin.Paper, "m")]
    public int History { get; init; } = 2;

    /// <inheritdoc />
    public void Validate()
    {
        OptionChecks.AtLeastOne(HeadEpochs, "deltagrad-head", "head_epochs");
        OptionChecks.AtLeastOne(BatchSize, "deltagrad-head", "batch_size");
        OptionChecks.Positive(LearningRate, "deltagrad-head", "learning_rate");
        OptionChecks.NonNegative(WeightDecay, "deltagrad-head", "weight_decay");
        ToAlgorithmOptions().Validate();
    }

    /// <summary>The algorithm's own options.</summary>
    public DeltaGradOptions ToAlgorithmOptions() => new() { Period = Period, BurnIn = BurnIn, History = History };
}
