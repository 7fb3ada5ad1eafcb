namespace DeepUnlearn.Unlearning.Methods.RandomLabel;

/// <summary>
/// Options of <see cref="RandomLabelMethod"/>. The SalUn / Unlearn-Sparse CIFAR-10 (ResNet-18) values are 10
/// epochs at lr 0.01 (OPTML-Group/Unlearn-Saliency arg_parser.py: <c>unlearn_epochs</c> 10, <c>unlearn_lr</c>
/// 0.01), batch 256, momentum 0.9, weight decay 5e-4. Each epoch
/// is a pass over the whole training set (forget ∪ retain), so <see cref="Epochs"/> is scaled down to 2 for
/// the small demo models, whose original is itself trained for a couple of epochs; set 10 on CIFAR-scale runs.
/// </summary>
public sealed record RandomLabelOptions : IMethodOptions
{
    /// <summary>Epochs over forget ∪ retain (SalUn CIFAR-10: 10; scaled down to 2 for small models).</summary>
    public int Epochs { get; init; } = 2;

    /// <summary>Learning rate (SGD, constant; Unlearn-Saliency default 0.01).</summary>
    public double LearningRate { get; init; } = 0.01;

    /// <summary>Mini-batch size (arg_parser.py: 256).</summary>
    public int BatchSize { get; init; } = 256;

    /// <summary>SGD momentum (arg_parser.py: 0.9).</summary>
    public double Momentum { get; init; } = 0.9;

    /// <summary>Weight decay (arg_parser.py: 5e-4).</summary>
    public double WeightDecay { get; init; } = 5e-4;

    /// <inheritdoc />
    public void Validate()
    {
        OptionChecks.AtLeastOne(Epochs, "random-label", "epochs");
        OptionChecks.Positive(LearningRate, "random-label", "learning_rate");
        OptionChecks.AtLeastOne(BatchSize, "random-label", "batch_size");
        OptionChecks.Require(Momentum is >= 0 and < 1, "random-label", "momentum", "in [0, 1)", Momentum);
        OptionChecks.NonNegative(WeightDecay, "random-label", "weight_decay");
    }
}
