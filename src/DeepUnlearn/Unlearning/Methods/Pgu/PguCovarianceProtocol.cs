namespace DeepUnlearn.Unlearning.Methods.Pgu;

/// <summary>
/// How a PGU representation matrix is computed. A stored retain space records it, and every later forget pass
/// against that space repeats it, so that the forget sum subtracted is the one the stored sum contains.
/// </summary>
public sealed record PguCovarianceProtocol
{
    /// <summary>Whether each sample passes through the training augmentation (one draw, seeded by the sample's id and <see cref="AugmentationSeed"/>).</summary>
    public bool Augment { get; init; } = true;

    /// <summary>The seed of the augmentation draws (and of the sub-sample, if any).</summary>
    public ulong AugmentationSeed { get; init; }

    /// <summary>Samples drawn from each id set (its sum rescaled to the set's size); 0 = every sample (exact).</summary>
    public int Samples { get; init; }

    /// <summary>Batch size of the forward passes (no effect on the result beyond round-off).</summary>
    public int BatchSize { get; init; } = 128;
}
