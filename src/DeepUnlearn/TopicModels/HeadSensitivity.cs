using System;
using System.Collections.Generic;
using System.Linq;

namespace DeepUnlearn.TopicModels;

/// <summary>
/// The sensitivity bound of U_head (our derivation, <c>docs/topic-unlearning.md</c>, §5): for any deletion
/// of m_U pre-training documents, the noiseless released fine-tuned model (B_u, b_u) is within
/// <see cref="Bound"/> (Frobenius) of (B_r, b_r), the head re-fitted on the same task documents over a
/// base model retrained with the same anchors.
/// </summary>
/// <remarks>
/// With Δ the base bound (<see cref="TopicSensitivity"/>), ω = √(2 ln C / λ) (the norm bound of any
/// minimiser of the head objective) and, for each of the n task documents, ε_d = Δ ‖x̄_d‖₂ / (x̄_dᵀp') (the
/// bound on its feature change; features lie on the simplex, so ‖[φ; 1]‖ ≤ √2):
/// <code>
///   δ_Θ = (√2 (1 + ω/2) / λ) · (1/n) Σ_d ε_d        (bound on ‖Θ_u − Θ_r‖_F)
///   Δ_H = Δ ω + δ_Θ                                  (‖Ã_r‖₂ ≤ ‖Ã_r‖_F ≤ 1)
/// </code>
/// </remarks>
/// <param name="BaseBound">Δ: the bound on ‖Ã_u − Ã_r‖_F.</param>
/// <param name="MeanFeatureChange">(1/n) Σ_d ε_d: the mean bound on a task document's feature change.</param>
/// <param name="HeadChange">δ_Θ: the bound on ‖Θ_u − Θ_r‖_F.</param>
/// <param name="Bound">Δ_H (+∞ when Δ is).</param>
public sealed record HeadSensitivity(double BaseBound, double MeanFeatureChange, double HeadChange, double Bound)
{
    /// <summary>True if Δ_H is finite.</summary>
    public bool IsFinite => !double.IsPositiveInfinity(Bound);

    /// <summary>Δ_H for a deletion with base terms <paramref name="baseTerms"/>.</summary>
    /// <param name="baseTerms">The base sensitivity for the deletion size.</param>
    /// <param name="lambda">λ of the head objective.</param>
    /// <param name="classCount">C.</param>
    /// <param name="featureGains">‖x̄_d‖₂ / (x̄_dᵀp') of each task document the head is fitted on (p' the retained word probabilities).</param>
    public static HeadSensitivity Compute(TopicSensitivity baseTerms, double lambda, int classCount, IReadOnlyList<double> featureGains)
    {
        ArgumentNullException.ThrowIfNull(baseTerms);
        ArgumentNullException.ThrowIfNull(featureGains);
        ArgumentOutOfRangeException.ThrowIfLessThan(classCount, 2);
        if (featureGains.Count == 0)
        {
            throw new ArgumentException("the head needs at least one task document", nameof(featureGains));
        }
        double delta = baseTerms.Bound;
        if (!baseTerms.IsFinite)
        {
            return new HeadSensitivity(delta, double.PositiveInfinity, double.PositiveInfinity, double.PositiveInfinity);
        }
        double omega = Math.Sqrt(2 * Math.Log(classCount) / lambda);
        double meanChange = delta * featureGains.Average();
        double headChange = Math.Sqrt(2) * (1 + (omega / 2)) / lambda * meanChange;
        return new HeadSensitivity(delta, meanChange, headChange, (delta * omega) + headChange);
    }

    /// <summary>
    /// ‖x̄‖₂ / (x̄ᵀp) of a document: how much of a change of Ã its features can feel. 0 when none of its words
    /// has positive probability: their rows of Ã are zero in both worlds, and so are its features.
    /// </summary>
    public static double FeatureGain(BagOfWordsDocument document, IReadOnlyList<double> wordProbability)
    {
        double normalizer = TopicFeatures.Normalizer(document, wordProbability);
        return normalizer > 0 ? TopicFeatures.DistributionNorm(document) / normalizer : 0;
    }

    /// <summary>
    /// The largest deletion count whose noise (σ_H on each of the (V + 1)·C released entries) has expected
    /// norm at most <paramref name="tolerance"/> · <paramref name="releaseNorm"/>.
    /// </summary>
    public static int DeletionCapacity(TopicModelConstants constants, double lambda, int classCount, IReadOnlyList<double> featureGains, double epsilon, double delta, double tolerance, double releaseNorm)
    {
        ArgumentNullException.ThrowIfNull(constants);
        GaussianMechanism.Validate(epsilon, delta);
        double dimension = Math.Sqrt((constants.VocabularySize + 1.0) * classCount);
        double[] gains = featureGains.ToArray();
        bool Fits(int count)
        {
            HeadSensitivity h = Compute(TopicSensitivity.Compute(constants, count), lambda, classCount, gains);
            return h.IsFinite && GaussianMechanism.NoiseStd(h.Bound, epsilon, delta) * dimension <= tolerance * releaseNorm;
        }
        return TopicSensitivity.LargestTrue(Fits, Math.Max(0, constants.DocumentCount - 2));
    }
}
