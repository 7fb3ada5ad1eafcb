using System;
using System.Globalization;

namespace DeepUnlearn.TopicModels;

/// <summary>Settings of topic-model unlearning (U_base and U_head of Wei et al. 2025, Algorithms 1 and 2).</summary>
public sealed record TopicUnlearningOptions
{
    /// <summary>
    /// ε of (ε, δ)-unlearning. The default 0.5 lies in (0, 1), where the Gaussian mechanism's calibration
    /// σ = Δ √(2 ln(1.25/δ)) / ε is proven (Dwork and Roth 2014, Theorem A.1; Lemma 1 of the paper).
    /// ε ≥ 1 is refused unless <see cref="AllowEpsilonOutsideProvenRange"/> is set.
    /// </summary>
    public double Epsilon { get; init; } = 0.5;

    /// <summary>δ of (ε, δ)-unlearning; must lie in (0, 1).</summary>
    public double Delta { get; init; } = 1e-5;

    /// <summary>
    /// Accept ε ≥ 1. The same σ formula is then used, but the classical proof does not cover it: the
    /// result reports the regime as not proven.
    /// </summary>
    public bool AllowEpsilonOutsideProvenRange { get; init; }

    /// <summary>The update of p(topic | word) after the downdate.</summary>
    public TopicUnlearningUpdate Update { get; init; } = TopicUnlearningUpdate.NewtonStep;

    /// <summary>Add the calibrated Gaussian noise (turn off only for diagnostics: the result is then not certified).</summary>
    public bool AddNoise { get; init; } = true;

    /// <summary>
    /// Re-run FastAnchorWords on the retained statistics to tell whether the guarantee also holds relative
    /// to a full retrain (O(V² K²) with the clean-up pass, independent of the number of documents, but on
    /// large vocabularies as slow as a retrain's anchor step). Off: the report says it was not checked.
    /// </summary>
    public bool CheckAnchors { get; init; } = true;

    /// <summary>Seed of the noise.</summary>
    public ulong Seed { get; init; }

    /// <summary>
    /// τ of the deletion-capacity bound: the expected Frobenius norm of the noise may be at most τ times
    /// the Frobenius norm of the noiseless released matrix.
    /// </summary>
    public double UtilityTolerance { get; init; } = 0.1;

    /// <summary>Which (ε, δ) regime these settings are in.</summary>
    public PrivacyRegime Regime => GaussianMechanism.IsProvenRegime(Epsilon) ? PrivacyRegime.Proven : PrivacyRegime.OutsideProvenRange;

    /// <summary>Throws if a setting is out of range, naming the valid range.</summary>
    public void Validate()
    {
        GaussianMechanism.Validate(Epsilon, Delta);
        if (!GaussianMechanism.IsProvenRegime(Epsilon) && !AllowEpsilonOutsideProvenRange)
        {
            throw new ArgumentOutOfRangeException(
                nameof(Epsilon),
                Epsilon,
                $"epsilon = {Epsilon.ToString("G", CultureInfo.InvariantCulture)} is outside (0, 1), where the Gaussian mechanism's calibration is proven; "
                + "choose 0 < epsilon < 1, or set AllowEpsilonOutsideProvenRange (CLI: --allow-epsilon-outside-proven-range) to accept an unproven guarantee");
        }
        if (!(UtilityTolerance > 0) || double.IsInfinity(UtilityTolerance))
        {
            throw new ArgumentOutOfRangeException(nameof(UtilityTolerance), UtilityTolerance, "the utility tolerance must be a finite number > 0");
        }
        if (!Enum.IsDefined(Update))
        {
            throw new ArgumentOutOfRangeException(nameof(Update), Update, $"valid updates: {string.Join(", ", Enum.GetNames<TopicUnlearningUpdate>())}");
        }
    }
}
