using System;

namespace DeepUnlearn.Evaluation.Attacks;

/// <summary>
/// Settings of the per-example attacks relative to retraining (<see cref="PerExampleAttacks"/>). They cost training
/// runs: off unless asked for.
/// </summary>
public sealed record PerExampleAttackOptions
{
    /// <summary>
    /// K: retrained models whose outputs make each example's reference distribution (each target is scored against K
    /// retrains that are neither itself nor its held-out negative). Small on a CPU; LiRA uses 64 and more.
    /// </summary>
    public int ReferenceModels { get; init; } = 2;

    /// <summary>
    /// One σ for every example (LiRA's fixed variance, recommended below 64 reference models) instead of each example's
    /// own; null chooses: fixed below 64 references.
    /// </summary>
    public bool? FixedVariance { get; init; }

    /// <summary>
    /// Standardise each model's scores by its own scores on population samples (RMIA's idea, Zarifzadeh et al. 2024);
    /// on by default: without it the comparison of a few target models with a few retrained ones is decided by
    /// model-level offsets rather than by the examples.
    /// </summary>
    public bool Calibrate { get; init; } = true;

    /// <summary>The first seed tried for the extra reference retrains (seeds already used by the comparison are skipped).</summary>
    public ulong ReferenceSeedStart { get; init; } = 1000;

    /// <summary>δ of the ε estimate (the challenge's 1e-5).</summary>
    public double Delta { get; init; } = EpsilonEstimator.Delta;

    /// <summary>Confidence level of the Clopper–Pearson intervals.</summary>
    public double Confidence { get; init; } = 0.95;

    /// <summary>Whether the fit uses one σ for all examples.</summary>
    public bool UsesFixedVariance => FixedVariance ?? ReferenceModels < 64;

    /// <summary>Throws when a setting is out of range, saying what is valid.</summary>
    public void Validate()
    {
        if (ReferenceModels < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(ReferenceModels), ReferenceModels, "the per-example attacks need at least 1 reference model (K ≥ 1; 2–4 on a CPU, 64+ for LiRA-grade estimates)");
        }
        if (!UsesFixedVariance && ReferenceModels < 2)
        {
            throw new ArgumentOutOfRangeException(nameof(FixedVariance), FixedVariance, "a per-example variance needs at least 2 reference models; use the fixed variance");
        }
        if (!(Delta >= 0 && Delta < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(Delta), Delta, "δ must be in [0, 1)");
        }
        if (!(Confidence > 0 && Confidence < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(Confidence), Confidence, "the confidence level must be in (0, 1)");
        }
    }
}
