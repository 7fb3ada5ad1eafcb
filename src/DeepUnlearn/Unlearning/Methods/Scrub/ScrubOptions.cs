using System.Linq;

namespace DeepUnlearn.Unlearning.Methods.Scrub;

/// <summary>
/// Options of <see cref="ScrubMethod"/>, with the defaults of SCRUB's CIFAR-10 class-forgetting runs
/// (Kurmanji et al., NeurIPS 2023; meghdadk/SCRUB, large_scale_unlearning.ipynb "SCRUB Forgetting" cell:
/// <c>gamma 0.99, alpha 0.001, kd_T 4, msteps 2, sgda_epochs 3, sgda_learning_rate 0.0005, lr_decay_epochs
/// [3,5,9], lr_decay_rate 0.1, sgda_weight_decay 5e-4, sgda_momentum 0.9, sgda_batch_size 128</c>; its forget
/// loader has batches of 512, its retain loader 256, while <c>sgda_batch_size</c> says 128, which we take). The
/// notebook's loaders do not augment, and neither does this method. SCRUB is already short (3 epochs), so
/// nothing is scaled down. For selective (random-sample) forgetting the authors use 5 epochs with 5 max-step
/// epochs.
/// </summary>
public sealed record ScrubOptions : IMethodOptions
{
    /// <summary>Epochs in all (SCRUB's <c>sgda_epochs</c>: 3); each ends with a min-step pass over D_r.</summary>
    [DefaultFrom(DefaultOrigin.AuthorsCode, "sgda_epochs")]
    public int Epochs { get; init; } = 3;

    /// <summary>The first this-many epochs start with a max-step pass over D_f (SCRUB's <c>msteps</c>: 2); 0 turns max-steps off.</summary>
    [DefaultFrom(DefaultOrigin.AuthorsCode, "msteps")]
    public int MaxStepEpochs { get; init; } = 2;

    /// <summary>Learning rate (SGD; <c>sgda_learning_rate</c>: 5e-4).</summary>
    [DefaultFrom(DefaultOrigin.AuthorsCode, "sgda_learning_rate")]
    public double LearningRate { get; init; } = 5e-4;

    /// <summary>α, the weight of KL(teacher ‖ student) in the min-step loss (<c>alpha</c>: 0.001).</summary>
    [DefaultFrom(DefaultOrigin.AuthorsCode, "alpha")]
    public double Alpha { get; init; } = 0.001;

    /// <summary>γ, the weight of the retain cross-entropy in the min-step loss (<c>gamma</c>: 0.99).</summary>
    [DefaultFrom(DefaultOrigin.AuthorsCode, "gamma")]
    public double Gamma { get; init; } = 0.99;

    /// <summary>The distillation temperature T (<c>kd_T</c>: 4).</summary>
    [DefaultFrom(DefaultOrigin.AuthorsCode, "kd_T")]
    public double Temperature { get; init; } = 4;

    /// <summary>Forget-set batch size of the max-steps (the notebook's forget loader: 512).</summary>
    [DefaultFrom(DefaultOrigin.AuthorsCode, "the notebook's forget loader")]
    public int ForgetBatchSize { get; init; } = 512;

    /// <summary>Retain-set batch size of the min-steps (<c>sgda_batch_size</c>: 128).</summary>
    [DefaultFrom(DefaultOrigin.AuthorsCode, "sgda_batch_size")]
    public int RetainBatchSize { get; init; } = 128;

    /// <summary>SGD momentum (<c>sgda_momentum</c>: 0.9), shared by max- and min-steps as in the reference (one optimizer).</summary>
    [DefaultFrom(DefaultOrigin.AuthorsCode, "sgda_momentum")]
    public double Momentum { get; init; } = 0.9;

    /// <summary>Weight decay (<c>sgda_weight_decay</c>: 5e-4).</summary>
    [DefaultFrom(DefaultOrigin.AuthorsCode, "sgda_weight_decay")]
    public double WeightDecay { get; init; } = 5e-4;

    /// <summary>Epochs (1-based) after which the rate is multiplied by <see cref="LrDecayRate"/> (<c>lr_decay_epochs</c>: 3, 5, 9; none is reached in 3 epochs).</summary>
    [DefaultFrom(DefaultOrigin.AuthorsCode, "lr_decay_epochs")]
    public int[] LrDecayEpochs { get; init; } = [3, 5, 9];

    /// <summary>The decay factor (<c>lr_decay_rate</c>: 0.1).</summary>
    [DefaultFrom(DefaultOrigin.AuthorsCode, "lr_decay_rate")]
    public double LrDecayRate { get; init; } = 0.1;

    /// <inheritdoc />
    public void Validate()
    {
        OptionChecks.AtLeastOne(Epochs, "scrub", "epochs");
        OptionChecks.Require(MaxStepEpochs >= 0, "scrub", "max_step_epochs", "non-negative (0 turns max-steps off)", MaxStepEpochs);
        OptionChecks.Positive(LearningRate, "scrub", "learning_rate");
        OptionChecks.NonNegative(Alpha, "scrub", "alpha");
        OptionChecks.NonNegative(Gamma, "scrub", "gamma");
        OptionChecks.Require(Alpha + Gamma > 0, "scrub", "alpha", "positive when gamma is 0 (the min-step loss would be 0)", Alpha);
        OptionChecks.Positive(Temperature, "scrub", "temperature");
        OptionChecks.BatchSize(ForgetBatchSize, "scrub", "forget_batch_size");
        OptionChecks.BatchSize(RetainBatchSize, "scrub", "retain_batch_size");
        OptionChecks.Require(Momentum is >= 0 and < 1, "scrub", "momentum", "in [0, 1)", Momentum);
        OptionChecks.NonNegative(WeightDecay, "scrub", "weight_decay");
        OptionChecks.Require(LrDecayEpochs is not null && LrDecayEpochs.All(e => e >= 1), "scrub", "lr_decay_epochs", "a list of epochs >= 1 (e.g. 3,5,9)", LrDecayEpochs is null ? "null" : string.Join(",", LrDecayEpochs));
        OptionChecks.Require(LrDecayRate is > 0 and <= 1, "scrub", "lr_decay_rate", "in (0, 1]", LrDecayRate);
    }
}
