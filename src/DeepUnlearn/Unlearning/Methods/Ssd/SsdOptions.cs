namespace DeepUnlearn.Unlearning.Methods.Ssd;

/// <summary>
/// Options of <see cref="SsdMethod"/>, Selective Synaptic Dampening (Foster, Schoepf and Brintrup, "Fast
/// Machine Unlearning Without Retraining Through Selective Synaptic Dampening", AAAI 2024). The paper
/// uses λ = 1 and α = 10 for all its ResNet18 CIFAR tasks (α = 5 for ViT class forgetting, α = 50 with
/// λ = 0.1 for PinsFaceRecognition); its code's loaders default to batch size 64.
/// Since D contains D_f, I_D is roughly at least (|D_f|/|D|)·I_f on every parameter, so nothing can be
/// selected unless α &lt; |D|/|D_f|: forgetting one class of ten sits near the edge at α = 10, and forgetting
/// one class of four needs α below 4.
/// </summary>
public sealed record SsdOptions : IMethodOptions
{
    /// <summary>α, the selection weighting: a parameter is dampened where I_f &gt; α·I_D (eq. 3).</summary>
    [DefaultFrom(DefaultOrigin.Paper, "ResNet18 CIFAR tasks")]
    public double Alpha { get; init; } = 10;

    /// <summary>λ, the dampening constant: the chosen parameters are scaled by β = min(λ·I_D/I_f, 1) (eq. 4).</summary>
    [DefaultFrom(DefaultOrigin.Paper, "ResNet18 CIFAR tasks")]
    public double Lambda { get; init; } = 1;

    /// <summary>
    /// Mini-batch size of the importance passes. The importances are means of squared batch gradients, so
    /// their scale depends on it; D and D_f use the same.
    /// </summary>
    [DefaultFrom(DefaultOrigin.AuthorsCode, "loaders' batch size")]
    public int BatchSize { get; init; } = 64;

    /// <inheritdoc />
    public void Validate()
    {
        OptionChecks.Require(Alpha > 0 && !double.IsNaN(Alpha), "ssd", "alpha", "a positive number (or Infinity to dampen nothing)", Alpha);
        OptionChecks.Positive(Lambda, "ssd", "lambda");
        OptionChecks.BatchSize(BatchSize, "ssd", "batch_size");
    }
}
