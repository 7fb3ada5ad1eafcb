using System;

namespace DeepUnlearn.TopicModels;

/// <summary>
/// The Gaussian mechanism (Dwork and Roth 2014, Theorem A.1), through which Wei et al. 2025 (Lemma 1)
/// and Sekhari et al. 2021 turn a bound on how far the unlearned output can be from the retrained one
/// into (ε, δ)-unlearning: adding N(0, σ² I) with
/// <code>
///   σ = Δ · √(2 ln(1.25 / δ)) / ε
/// </code>
/// makes outputs whose L2 distance is at most Δ (ε, δ)-indistinguishable. The classical proof covers
/// ε ∈ (0, 1); for larger ε the same σ is used and the guarantee is heuristic (see
/// <see cref="IsProvenRegime"/>).
/// </summary>
public static class GaussianMechanism
{
    /// <summary>σ for L2 sensitivity <paramref name="sensitivity"/> and privacy (ε, δ).</summary>
    /// <exception cref="ArgumentOutOfRangeException">ε ≤ 0, δ outside (0, 1), or a negative sensitivity.</exception>
    public static double NoiseStd(double sensitivity, double epsilon, double delta)
    {
        Validate(epsilon, delta);
        if (!(sensitivity >= 0) || double.IsPositiveInfinity(sensitivity))
        {
            throw new ArgumentOutOfRangeException(nameof(sensitivity), sensitivity, "the sensitivity must be a finite number ≥ 0");
        }
        return sensitivity * Math.Sqrt(2 * Math.Log(1.25 / delta)) / epsilon;
    }

    /// <summary>Throws unless ε &gt; 0 and 0 &lt; δ &lt; 1, naming the valid ranges.</summary>
    public static void Validate(double epsilon, double delta)
    {
        if (!(epsilon > 0) || double.IsInfinity(epsilon))
        {
            throw new ArgumentOutOfRangeException(nameof(epsilon), epsilon, "epsilon must be a finite number > 0 (the classical Gaussian mechanism is proven for 0 < epsilon < 1)");
        }
        if (!(delta > 0 && delta < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(delta), delta, "delta must lie strictly between 0 and 1 (typically below 1/number of documents)");
        }
    }

    /// <summary>True if ε lies where the classical calibration is proven (0 &lt; ε &lt; 1).</summary>
    public static bool IsProvenRegime(double epsilon) => epsilon > 0 && epsilon < 1;
}
