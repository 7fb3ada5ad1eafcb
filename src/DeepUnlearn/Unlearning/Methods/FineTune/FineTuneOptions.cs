namespace DeepUnlearn.Unlearning.Methods.FineTune;

/// <summary>
/// Options of <see cref="FineTuneMethod"/>. SalUn's FT baseline fine-tunes for 10 epochs with lr in
/// [0.01, 0.1] on CIFAR-10: 10 epochs at lr 0.01 by default. The demo, whose original is trained for one epoch,
/// scales the epochs down in its own settings (<c>DemoCommand.ScaledDownSettings</c>), not here.
/// </summary>
public sealed record FineTuneOptions : IMethodOptions
{
    /// <summary>Epochs over the retain set.</summary>
    [DefaultFrom(DefaultOrigin.Paper, "SalUn's FT: 10 epochs")]
    public int Epochs { get; init; } = 10;

    /// <summary>Learning rate (SGD, momentum 0.9, constant).</summary>
    [DefaultFrom(DefaultOrigin.Paper, "SalUn's FT: 0.01 to 0.1")]
    public double LearningRate { get; init; } = 0.01;

    /// <summary>Mini-batch size.</summary>
    [DefaultFrom(DefaultOrigin.Ours, "arg_parser.py: 256")]
    public int BatchSize { get; init; } = 128;

    /// <summary>Weight decay.</summary>
    [DefaultFrom(DefaultOrigin.AuthorsCode, "arg_parser.py")]
    public double WeightDecay { get; init; } = 5e-4;

    /// <inheritdoc />
    public void Validate()
    {
        OptionChecks.AtLeastOne(Epochs, "finetune", "epochs");
        OptionChecks.Positive(LearningRate, "finetune", "learning_rate");
        OptionChecks.BatchSize(BatchSize, "finetune", "batch_size");
        OptionChecks.NonNegative(WeightDecay, "finetune", "weight_decay");
    }
}
