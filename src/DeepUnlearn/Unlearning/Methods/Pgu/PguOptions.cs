namespace DeepUnlearn.Unlearning.Methods.Pgu;

/// <summary>
/// Options of <see cref="PguMethod"/>, Projected-Gradient Unlearning (Hoang, Rana, Gupta and Venkatesh,
/// "Learn to Unlearn for Deep Neural Networks: Minimizing Unlearning Interference with Gradient
/// Projection", WACV 2024, arXiv 2312.04095). Defaults are those of the authors' released configurations
/// (github.com/hnanhtuan/projected_gradient_unlearning, <c>exp/unlearned/*/config.yaml</c>:
/// <c>retained_var: 0.95</c>, <c>start_lr: 0.05</c>, <c>end_lr: 0.01</c>, <c>loss2_w: 0.2</c>,
/// <c>offset: 0.05</c>, <c>wd: 0</c>, <c>num_epochs: 100</c>; <c>early_stop_thres: 5.0</c> in
/// <c>unlearn_class.py</c>); the sub-sampling and evaluation sizes are ours, for speed.
/// </summary>
public sealed record PguOptions : IMethodOptions
{
    /// <summary>Maximum passes over the forget set D_f (the stopping rule usually ends sooner).</summary>
    public int Epochs { get; init; } = 100;

    /// <summary>Learning rate of the first epoch; it decays exponentially to <see cref="EndLearningRate"/>.</summary>
    public double StartLearningRate { get; init; } = 0.05;

    /// <summary>Learning rate the exponential decay reaches after <see cref="Epochs"/> epochs.</summary>
    public double EndLearningRate { get; init; } = 0.01;

    /// <summary>Mini-batch size over D_f.</summary>
    public int BatchSize { get; init; } = 128;

    /// <summary>
    /// ε: the retain subspace of a layer keeps the leading singular directions of its retain input
    /// covariance until their singular values reach this share of the total (<c>retained_var</c>).
    /// </summary>
    public double RetainedEnergy { get; init; } = 0.95;

    /// <summary>δ in the confidence term −log(1 − (p_y − δ)) (<c>offset</c>).</summary>
    public double Offset { get; init; } = 0.05;

    /// <summary>Weight of the confidence term (<c>loss1_w</c>).</summary>
    public double ConfidenceWeight { get; init; } = 1.0;

    /// <summary>Weight of the negative-entropy term (<c>loss2_w</c>).</summary>
    public double EntropyWeight { get; init; } = 0.2;

    /// <summary>L2 weight decay added to the gradient before projection (<c>wd</c>).</summary>
    public double WeightDecay { get; init; }

    /// <summary>
    /// Training samples drawn (seeded, uniformly) to estimate the input covariances of D and of D_f; each
    /// estimate is rescaled to its set's size. 0 uses every sample, the paper's exact construction.
    /// </summary>
    public int CovarianceSamples { get; init; } = 10_000;

    /// <summary>Batch size of the covariance pass (memory grows with it times the largest unfolded layer input).</summary>
    public int CovarianceBatchSize { get; init; } = 64;

    /// <summary>
    /// For class forgetting the target forget accuracy is 0; it counts as reached at or below this many
    /// points (a DeepUnlearn choice: on a 1,000-sample check, a handful of ambiguous images can stay
    /// classified and would otherwise keep unlearning running to <see cref="Epochs"/>).
    /// </summary>
    public double ClassTargetTolerance { get; init; } = 1.0;

    /// <summary>Check the stopping rule every this many steps; 0 checks after every epoch, as the paper does.</summary>
    public int EvalEvery { get; init; }

    /// <summary>Samples (seeded subsets) of D_f, of the held-out data and of D_r evaluated by the stopping rule.</summary>
    public int EvalSamples { get; init; } = 1000;

    /// <summary>
    /// Stop when the accuracy on the retain subset has fallen by more than this many points from the original's
    /// (<c>early_stop_thres</c>); +∞ disables the guard.
    /// </summary>
    public double RetainDropLimit { get; init; } = 5.0;

    /// <inheritdoc />
    public void Validate()
    {
        OptionChecks.AtLeastOne(Epochs, "pgu", "epochs");
        OptionChecks.Positive(StartLearningRate, "pgu", "start_learning_rate");
        OptionChecks.Positive(EndLearningRate, "pgu", "end_learning_rate");
        OptionChecks.NonNegative(ClassTargetTolerance, "pgu", "class_target_tolerance");
        OptionChecks.AtLeastOne(BatchSize, "pgu", "batch_size");
        OptionChecks.Require(RetainedEnergy > 0 && RetainedEnergy <= 1, "pgu", "retained_energy", "in (0, 1]", RetainedEnergy);
        OptionChecks.Require(Offset > 0 && Offset <= 1, "pgu", "offset", "in (0, 1]", Offset);
        OptionChecks.NonNegative(ConfidenceWeight, "pgu", "confidence_weight");
        OptionChecks.NonNegative(EntropyWeight, "pgu", "entropy_weight");
        OptionChecks.Require(ConfidenceWeight + EntropyWeight > 0, "pgu", "confidence_weight", "positive together with entropy_weight", ConfidenceWeight);
        OptionChecks.NonNegative(WeightDecay, "pgu", "weight_decay");
        OptionChecks.Require(CovarianceSamples >= 0, "pgu", "covariance_samples", "0 (all) or more", CovarianceSamples);
        OptionChecks.AtLeastOne(CovarianceBatchSize, "pgu", "covariance_batch_size");
        OptionChecks.Require(EvalEvery >= 0, "pgu", "eval_every", "0 (every epoch) or more", EvalEvery);
        OptionChecks.AtLeastOne(EvalSamples, "pgu", "eval_samples");
        OptionChecks.NonNegative(RetainDropLimit, "pgu", "retain_drop_limit");
    }
}
