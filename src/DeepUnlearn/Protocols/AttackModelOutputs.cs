namespace DeepUnlearn.Protocols;

/// <summary>
/// One model's logit-scaled confidences φ (<see cref="Evaluation.Attacks.LogitScaledConfidence"/>) as a sweep cell
/// records them for the per-example attacks (<see cref="CellAttackOutputs"/>).
/// </summary>
/// <param name="Role">What the model is: <see cref="Unlearned"/>, <see cref="Retrained"/>, <see cref="Reference"/> or <see cref="Original"/>.</param>
/// <param name="Seed">Its seed: the cell's for an unlearned or retrained model, the reference retrain's own, the cell's for the original.</param>
/// <param name="Forget">φ on the forget examples, in the evaluation's order.</param>
/// <param name="Population">φ on the population samples (the test set; its remaining classes for a class-wise request).</param>
public sealed record AttackModelOutputs(string Role, ulong Seed, double[] Forget, double[] Population)
{
    /// <summary>A method's unlearned model (the attacks' target).</summary>
    public const string Unlearned = "unlearned";

    /// <summary>The cell's retrained oracle: the negative of its seed's targets, a reference for the other seeds'.</summary>
    public const string Retrained = "retrained";

    /// <summary>An extra retrain, with another seed, that only serves as a reference.</summary>
    public const string Reference = "reference";

    /// <summary>The original model ("do nothing", attacked like a method).</summary>
    public const string Original = "original";
}
