namespace DeepUnlearn.Unlearning.Methods.GradientAscent;

/// <summary>
/// Options of <see cref="GradientAscentMethod"/>. The defaults are the GA baseline of the SalUn /
/// Unlearn-Sparse benchmark on CIFAR-10 with ResNet-18 (OPTML-Group/Unlearn-Saliency, Classification/README.md:
/// <c>--unlearn GA --unlearn_lr 0.0001 --unlearn_epochs 5</c>; batch 256, momentum 0.9, weight decay 5e-4 from
/// its arg_parser.py). They are not scaled down: GA only visits the forget set, so it is cheap at any model
/// size. On small models (smallcnn) and small forget sets a larger rate (1e-3 .. 1e-2) forgets faster and
/// diverges sooner; the method stops with an error when the loss stops being finite.
/// </summary>
public sealed record GradientAscentOptions : IMethodOptions
{
    /// <summary>Epochs over the forget set (SalUn README: 5).</summary>
    [DefaultFrom(DefaultOrigin.AuthorsCode, "Unlearn-Saliency README, first revision")]
    public int Epochs { get; init; } = 5;

    /// <summary>Learning rate of the ascent (SalUn README: 1e-4).</summary>
    [DefaultFrom(DefaultOrigin.AuthorsCode, "Unlearn-Saliency README, first revision")]
    public double LearningRate { get; init; } = 1e-4;

    /// <summary>Mini-batch size (Unlearn-Saliency arg_parser.py: 256).</summary>
    [DefaultFrom(DefaultOrigin.AuthorsCode, "arg_parser.py")]
    public int BatchSize { get; init; } = 256;

    /// <summary>SGD momentum (arg_parser.py: 0.9).</summary>
    [DefaultFrom(DefaultOrigin.AuthorsCode, "arg_parser.py")]
    public double Momentum { get; init; } = 0.9;

    /// <summary>Weight decay, which keeps pulling the weights towards zero while the loss is ascended (arg_parser.py: 5e-4).</summary>
    [DefaultFrom(DefaultOrigin.AuthorsCode, "arg_parser.py")]
    public double WeightDecay { get; init; } = 5e-4;

    /// <summary>
    /// Stop early, before the step, once a forget batch's mean cross-entropy exceeds this (0 = never, the
    /// reference behaviour). The ascent is unbounded, so this turns it into a bounded procedure: ln K is the
    /// loss of a uniform guess, and a few times ln K means the forget samples are confidently misclassified.
    /// </summary>
    [DefaultFrom(DefaultOrigin.AuthorsCode, "0: no early stop, as GA.py")]
    public double MaxForgetLoss { get; init; }

    /// <inheritdoc />
    public void Validate()
    {
        OptionChecks.AtLeastOne(Epochs, "gradient-ascent", "epochs");
        OptionChecks.Positive(LearningRate, "gradient-ascent", "learning_rate");
        OptionChecks.BatchSize(BatchSize, "gradient-ascent", "batch_size");
        OptionChecks.Require(Momentum is >= 0 and < 1, "gradient-ascent", "momentum", "in [0, 1)", Momentum);
        OptionChecks.NonNegative(WeightDecay, "gradient-ascent", "weight_decay");
        OptionChecks.Require(MaxForgetLoss >= 0 && double.IsFinite(MaxForgetLoss), "gradient-ascent", "max_forget_loss", "a non-negative number (0 = no early stop)", MaxForgetLoss);
    }
}
