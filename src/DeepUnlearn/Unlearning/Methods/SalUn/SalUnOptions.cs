namespace DeepUnlearn.Unlearning.Methods.SalUn;

/// <summary>
/// Options of <see cref="SalUnMethod"/>. The CIFAR-10 / ResNet-18 values of SalUn (Fan et al., ICLR 2024;
/// OPTML-Group/Unlearn-Saliency, Classification README: <c>main_random.py --unlearn RL --unlearn_epochs 10
/// --unlearn_lr 0.013 --mask_path mask/with_0.5.pt</c>, for class-wise and 10% random forgetting) are a 50%
/// saliency mask and 10 epochs at lr 0.013, with batch 256, momentum 0.9 and weight decay 5e-4 from its
/// arg_parser.py. Each epoch is a pass over the whole training set (forget ∪ retain), so
/// <see cref="Epochs"/> is scaled down to 2 for the small demo models; set 10 on CIFAR-scale runs.
/// </summary>
public sealed record SalUnOptions : IMethodOptions
{
    /// <summary>The salient fraction of the weights, the only ones that change (generate_mask.py: 0.5).</summary>
    public double MaskRatio { get; init; } = 0.5;

    /// <summary>Epochs of masked random-label training over forget ∪ retain (SalUn CIFAR-10: 10; scaled down to 2 for small models).</summary>
    public int Epochs { get; init; } = 2;

    /// <summary>Learning rate (SGD, constant; SalUn README: 0.013).</summary>
    public double LearningRate { get; init; } = 0.013;

    /// <summary>Mini-batch size of the unlearning and of the saliency pass (arg_parser.py: 256).</summary>
    public int BatchSize { get; init; } = 256;

    /// <summary>SGD momentum (arg_parser.py: 0.9).</summary>
    public double Momentum { get; init; } = 0.9;

    /// <summary>Weight decay, applied to the salient weights only (arg_parser.py: 5e-4).</summary>
    public double WeightDecay { get; init; } = 5e-4;

    /// <inheritdoc />
    public void Validate()
    {
        OptionChecks.Require(MaskRatio is > 0 and <= 1, "salun", "mask_ratio", "in (0, 1] (the salient fraction of the weights)", MaskRatio);
        OptionChecks.AtLeastOne(Epochs, "salun", "epochs");
        OptionChecks.Positive(LearningRate, "salun", "learning_rate");
        OptionChecks.AtLeastOne(BatchSize, "salun", "batch_size");
        OptionChecks.Require(Momentum is >= 0 and < 1, "salun", "momentum", "in [0, 1)", Momentum);
        OptionChecks.NonNegative(WeightDecay, "salun", "weight_decay");
    }
}
