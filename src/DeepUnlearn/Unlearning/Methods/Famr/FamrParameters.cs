namespace DeepUnlearn.Unlearning.Methods.Famr;

/// <summary>Which parameters FAMR optimises (the rest keep θ0's values, an infinite anchor).</summary>
public enum FamrParameters
{
    /// <summary>Every trainable parameter: the objective as the paper writes it.</summary>
    All,

    /// <summary>
    /// The classification head only (the final linear layer); the feature extractor is frozen. The objective is
    /// then strongly convex in the optimised parameters (the KL term is convex in the logits, the logits are
    /// linear in the head, and the anchor adds ρ·I), so it has one minimiser, and the feature extractor's
    /// representation of the other classes cannot drift.
    /// </summary>
    Head,
}
