namespace DeepUnlearn.Unlearning.Methods.Retrain;

/// <summary>
/// Options of <see cref="RetrainMethod"/>. By default it repeats the original model's recipe exactly
/// (epochs, optimizer, schedule), which is what makes it the gold standard of the SalUn benchmark.
/// </summary>
public sealed record RetrainOptions : IMethodOptions
{
    /// <summary>Epochs; null repeats the original recipe's.</summary>
    [DefaultFrom(DefaultOrigin.Ours, "unset: the original's recipe")]
    public int? Epochs { get; init; }

    /// <summary>Learning rate; null repeats the original recipe's.</summary>
    [DefaultFrom(DefaultOrigin.Ours, "unset: the original's recipe")]
    public double? LearningRate { get; init; }

    /// <inheritdoc />
    public void Validate()
    {
        if (Epochs is int e)
        {
            OptionChecks.AtLeastOne(e, "retrain", "epochs");
        }
        if (LearningRate is double lr)
        {
            OptionChecks.Positive(lr, "retrain", "learning_rate");
        }
    }
}
