using DeepUnlearn.Unlearning.Methods.RandomLabel;

namespace DeepUnlearn.Unlearning.Methods.SalUn;

/// <summary>
/// Options of <see cref="SalUnMethod"/>. The CIFAR-10 / ResNet-18 values of SalUn (Fan et al., ICLR 2024;
/// OPTML-Group/Unlearn-Saliency, Classification README: <c>main_random.py --unlearn RL --unlearn_epochs 10
/// --unlearn_lr 0.013 --mask_path mask/with_0.5.pt</c>, for class-wise and 10% random forgetting) are a 50%
/// saliency mask and 10 epochs at lr 0.013, with batch 256, momentum 0.9 and weight decay 5e-4 from its
/// arg_parser.py, and RL.py's loop and label draw. Each epoch visits the whole training set (forget ∪ retain),
/// so on small models 10 epochs cost more than the original's training; the demo scales them down in its own
/// settings (<c>DemoCommand.DemoSettings</c>), not here.
/// </summary>
public sealed record SalUnOptions : IMethodOptions
{
    /// <summary>The salient fraction of the weights, the only ones that change (README: <c>mask/with_0.5.pt</c>).</summary>
    [DefaultFrom(DefaultOrigin.AuthorsCode, "README mask/with_0.5.pt")]
    public double MaskRatio { get; init; } = 0.5;

    /// <summary>Epochs of masked random-label training over forget ∪ retain (README: 10).</summary>
    [DefaultFrom(DefaultOrigin.AuthorsCode, "README unlearn_epochs")]
    public int Epochs { get; init; } = 10;

    /// <summary>Learning rate (SGD, constant; README: 0.013).</summary>
    [DefaultFrom(DefaultOrigin.AuthorsCode, "README unlearn_lr")]
    public double LearningRate { get; init; } = 0.013;

    /// <summary>Mini-batch size of the unlearning and of the saliency pass (arg_parser.py: 256).</summary>
    [DefaultFrom(DefaultOrigin.AuthorsCode, "arg_parser.py")]
    public int BatchSize { get; init; } = 256;

    /// <summary>SGD momentum (arg_parser.py: 0.9).</summary>
    [DefaultFrom(DefaultOrigin.AuthorsCode, "arg_parser.py")]
    public double Momentum { get; init; } = 0.9;

    /// <summary>Weight decay, applied to the salient weights only (arg_parser.py: 5e-4).</summary>
    [DefaultFrom(DefaultOrigin.AuthorsCode, "arg_parser.py")]
    public double WeightDecay { get; init; } = 5e-4;

    /// <summary>The epoch's loop, as for <see cref="RandomLabelOptions.Loop"/> (RL.py's, chosen by dataset).</summary>
    [DefaultFrom(DefaultOrigin.AuthorsCode, "RL.py's loop by dataset; by class count elsewhere")]
    public RandomLabelLoop Loop { get; init; } = RandomLabelLoop.Auto;

    /// <summary>Draw the random labels from the K − 1 wrong classes instead of all K (RL.py draws from all K).</summary>
    [DefaultFrom(DefaultOrigin.AuthorsCode, "RL.py randint over all K")]
    public bool ExcludeTrueLabel { get; init; }

    /// <inheritdoc />
    public void Validate()
    {
        OptionChecks.Require(MaskRatio is > 0 and <= 1, "salun", "mask_ratio", "in (0, 1] (the salient fraction of the weights)", MaskRatio);
        OptionChecks.AtLeastOne(Epochs, "salun", "epochs");
        OptionChecks.Positive(LearningRate, "salun", "learning_rate");
        OptionChecks.BatchSize(BatchSize, "salun", "batch_size");
        OptionChecks.Require(Momentum is >= 0 and < 1, "salun", "momentum", "in [0, 1)", Momentum);
        OptionChecks.NonNegative(WeightDecay, "salun", "weight_decay");
        OptionChecks.Require(System.Enum.IsDefined(Loop), "salun", "loop", "auto, forget-then-retain or mixed", Loop);
    }

    /// <summary>The settings of the RL loop.</summary>
    internal RandomLabelTraining Training => new(Epochs, BatchSize, Loop, ExcludeTrueLabel);
}
