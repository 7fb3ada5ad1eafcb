namespace DeepUnlearn.Unlearning.Methods.RandomLabel;

/// <summary>
/// Options of <see cref="RandomLabelMethod"/>, with the SalUn / Unlearn-Sparse CIFAR-10 (ResNet-18) values of the
/// authors' code (OPTML-Group/Unlearn-Saliency, Classification/arg_parser.py: <c>unlearn_epochs</c> 10,
/// <c>unlearn_lr</c> 0.01, <c>batch_size</c> 256, <c>momentum</c> 0.9, <c>weight_decay</c> 5e-4; the loop and the
/// label draw of unlearn/RL.py). Each epoch visits the whole training set (forget ∪ retain), so on small models 10
/// epochs cost more than the original's training; the demo scales them down in its own settings
/// (<c>DemoCommand.DemoSettings</c>), not here.
/// </summary>
public sealed record RandomLabelOptions : IMethodOptions
{
    /// <summary>Epochs over forget ∪ retain (arg_parser.py <c>unlearn_epochs</c>: 10).</summary>
    [DefaultFrom(DefaultOrigin.AuthorsCode, "arg_parser.py unlearn_epochs")]
    public int Epochs { get; init; } = 10;

    /// <summary>Learning rate (SGD, constant over the 10 epochs; arg_parser.py <c>unlearn_lr</c>: 0.01).</summary>
    [DefaultFrom(DefaultOrigin.AuthorsCode, "arg_parser.py unlearn_lr")]
    public double LearningRate { get; init; } = 0.01;

    /// <summary>Mini-batch size of the forget and retain batches (arg_parser.py: 256).</summary>
    [DefaultFrom(DefaultOrigin.AuthorsCode, "arg_parser.py")]
    public int BatchSize { get; init; } = 256;

    /// <summary>SGD momentum (arg_parser.py: 0.9).</summary>
    [DefaultFrom(DefaultOrigin.AuthorsCode, "arg_parser.py")]
    public double Momentum { get; init; } = 0.9;

    /// <summary>Weight decay (arg_parser.py: 5e-4).</summary>
    [DefaultFrom(DefaultOrigin.AuthorsCode, "arg_parser.py")]
    public double WeightDecay { get; init; } = 5e-4;

    /// <summary>
    /// The epoch's loop (<see cref="RandomLabelLoop"/>): <c>auto</c> picks RL.py's loop for the dataset
    /// (forget-then-retain below 100 classes, as for CIFAR-10; mixed from 100, as for CIFAR-100).
    /// </summary>
    [DefaultFrom(DefaultOrigin.AuthorsCode, "RL.py's loop by dataset; by class count elsewhere")]
    public RandomLabelLoop Loop { get; init; } = RandomLabelLoop.Auto;

    /// <summary>Draw the random labels from the K − 1 wrong classes instead of all K (RL.py draws from all K).</summary>
    [DefaultFrom(DefaultOrigin.AuthorsCode, "RL.py randint over all K")]
    public bool ExcludeTrueLabel { get; init; }

    /// <inheritdoc />
    public void Validate()
    {
        OptionChecks.AtLeastOne(Epochs, "random-label", "epochs");
        OptionChecks.Positive(LearningRate, "random-label", "learning_rate");
        OptionChecks.BatchSize(BatchSize, "random-label", "batch_size");
        OptionChecks.Require(Momentum is >= 0 and < 1, "random-label", "momentum", "in [0, 1)", Momentum);
        OptionChecks.NonNegative(WeightDecay, "random-label", "weight_decay");
        OptionChecks.Require(System.Enum.IsDefined(Loop), "random-label", "loop", "auto, forget-then-retain or mixed", Loop);
    }

    /// <summary>The settings of the RL loop.</summary>
    internal RandomLabelTraining Training => new(Epochs, BatchSize, Loop, ExcludeTrueLabel);
}
