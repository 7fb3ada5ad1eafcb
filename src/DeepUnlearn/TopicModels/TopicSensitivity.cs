using System;

namespace DeepUnlearn.TopicModels;

/// <summary>
/// The sensitivity bound of U_base (our derivation, <c>docs/topic-unlearning.md</c>, §3): for any deletion
/// of <see cref="DeletedCount"/> documents, the noiseless unlearned joint matrix Ã_u is within
/// <see cref="Bound"/> (Frobenius) of Ã_r, RecoverL2 run on the retained documents with the same anchors.
/// </summary>
/// <remarks>
/// With η = 2 m_U / m, a = min(2η / p_S, √(2K)), g = a (min(s + a, √K) + s) and λ, s, p_S the
/// <see cref="TopicModelConstants"/>:
/// <code>
///   Δ = 2 (g + a + 2 s η) / (λ − g)      when λ &gt; g, else +∞ (the bound does not cover the deletion)
/// </code>
/// η bounds ‖Q' − Q‖₁ (Lemma 1), a bounds ‖Q̄'_S − Q̄_S‖_F (Lemma 2), g bounds ‖G' − G‖₂ and λ − g bounds the
/// retained strong convexity from below (Weyl). Δ depends on the deletion only through its size.
/// </remarks>
/// <param name="DeletedCount">m_U.</param>
/// <param name="Eta">η = 2 m_U / m: the bound on ‖Q − Q'‖₁.</param>
/// <param name="AnchorRowChange">a: the bound on ‖Q̄'_S − Q̄_S‖_F.</param>
/// <param name="GramChange">g: the bound on ‖G' − G‖₂.</param>
/// <param name="RetainedStrongConvexity">λ − g: the lower bound on λ_min of G' on the sum-zero subspace.</param>
/// <param name="Bound">Δ (+∞ when the retained strong convexity bound is not positive).</param>
public sealed record TopicSensitivity(int DeletedCount, double Eta, double AnchorRowChange, double GramChange, double RetainedStrongConvexity, double Bound)
{
    /// <summary>True if Δ is finite, i.e. the derivation covers a deletion of this size.</summary>
    public bool IsFinite => !double.IsPositiveInfinity(Bound);

    /// <summary>The terms and Δ for a deletion of <paramref name="deletedCount"/> documents.</summary>
    public static TopicSensitivity Compute(TopicModelConstants constants, int deletedCount)
    {
        ArgumentNullException.ThrowIfNull(constants);
        ArgumentOutOfRangeException.ThrowIfLessThan(constants.DocumentCount, 1, nameof(constants));
        return Compute(constants, deletedCount, constants.DocumentCount);
    }

    private static TopicSensitivity Compute(TopicModelConstants constants, int deletedCount, long documentCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(deletedCount);
        double eta = 2.0 * deletedCount / documentCount;
        if (constants.TopicCount == 1)
        {
            // One topic: every C_i is [1], so Ã = diag(p') in both worlds.
            return new TopicSensitivity(deletedCount, eta, 0, 0, double.PositiveInfinity, 0);
        }
        double rootK = Math.Sqrt(constants.TopicCount);
        double s = constants.AnchorSpectralNorm;
        double a = constants.MinAnchorProbability > 0 ? Math.Min(2 * eta / constants.MinAnchorProbability, Math.Sqrt(2.0 * constants.TopicCount)) : Math.Sqrt(2.0 * constants.TopicCount);
        double g = a * (Math.Min(s + a, rootK) + s);
        double retained = constants.GramMinEigenvalue - g;
        double bound = deletedCount == 0 ? 0 : retained > 0 ? 2 * (g + a + (2 * s * eta)) / retained : double.PositiveInfinity;
        return new TopicSensitivity(deletedCount, eta, a, g, retained, bound);
    }

    /// <summary>
    /// The deletion capacity m_U*: the largest deletion count (at most m − 2) whose bound is finite and
    /// whose expected noise norm σ √(V K) is at most <paramref name="tolerance"/> · <paramref name="jointNorm"/>.
    /// </summary>
    public static int DeletionCapacity(TopicModelConstants constants, double epsilon, double delta, double tolerance, double jointNorm)
    {
        ArgumentNullException.ThrowIfNull(constants);
        GaussianMechanism.Validate(epsilon, delta);
        double dimension = Math.Sqrt((double)constants.VocabularySize * constants.TopicCount);
        bool Fits(int count)
        {
            TopicSensitivity t = Compute(constants, count);
            return t.IsFinite && GaussianMechanism.NoiseStd(t.Bound, epsilon, delta) * dimension <= tolerance * jointNorm;
        }
        return LargestTrue(Fits, Math.Max(0, constants.DocumentCount - 2));
    }

    /// <summary>
    /// How many training documents a model with these constants (p_S, λ, s, V, K and ‖Ã‖_F held fixed) would
    /// need for its deletion capacity to reach one document, or null beyond 10¹⁵. Δ for one deletion falls
    /// like 1/m, so this is where the certificate starts to cover anything.
    /// </summary>
    public static long? DocumentsNeededForOneDeletion(TopicModelConstants constants, double epsilon, double delta, double tolerance, double jointNorm)
    {
        ArgumentNullException.ThrowIfNull(constants);
        GaussianMechanism.Validate(epsilon, delta);
        double dimension = Math.Sqrt((double)constants.VocabularySize * constants.TopicCount);
        bool Fits(long m)
        {
            TopicSensitivity t = Compute(constants, 1, m);
            return t.IsFinite && GaussianMechanism.NoiseStd(t.Bound, epsilon, delta) * dimension <= tolerance * jointNorm;
        }
        long low = 2;
        long high = 1_000_000_000_000_000;
        if (!Fits(high))
        {
            return null;
        }
        while (high - low > 1)
        {
            long mid = low + ((high - low) / 2);
            if (Fits(mid))
            {
                high = mid;
            }
            else
            {
                low = mid;
            }
        }
        return high;
    }

    /// <summary>The largest n in [0, max] with fits(n), for a predicate that holds up to a point (0 if none beyond 0).</summary>
    internal static int LargestTrue(Func<int, bool> fits, int max)
    {
        int low = 0;
        int high = max;
        if (fits(high))
        {
            return high;
        }
        while (high - low > 1)
        {
            int mid = low + ((high - low) / 2);
            if (fits(mid))
            {
                low = mid;
            }
            else
            {
                high = mid;
            }
        }
        return low;
    }
}
