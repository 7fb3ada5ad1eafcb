using System;

namespace DeepUnlearn.TopicModels;

/// <summary>Settings of topic-model unlearning (U_base of Wei et al. 2025, Algorithm 1).</summary>
public sealed record TopicUnlearningOptions
{
    /// <summary>ε of (ε, δ)-unlearning; must be &gt; 0 (the calibration is proven for ε &lt; 1).</summary>
    public double Epsilon { get; init; } = 1.0;

    /// <summary>δ of (ε, δ)-unlearning; must lie in (0, 1).</summary>
    public double Delta { get; init; } = 1e-5;

    /// <summary>The update of p(topic | word) after the downdate.</summary>
    public TopicUnlearningUpdate Update { get; init; } = TopicUnlearningUpdate.NewtonStep;

    /// <summary>Add the calibrated Gaussian noise (turn off only for diagnostics: the result is then not certified).</summary>
    public bool AddNoise { get; init; } = true;

    /// <summary>Seed of the noise.</summary>
    public ulong Seed { get; init; }

    /// <summary>
    /// τ of the deletion-capacity bound: the expected Frobenius norm of the noise may be at most τ times
    /// the Frobenius norm of the noiseless joint matrix Ã.
    /// </summary>
    public double UtilityTolerance { get; init; } = 0.1;

    /// <summary>Throws if a setting is out of range, naming the valid range.</summary>
    public void Validate()
    {
        GaussianMechanism.Validate(Epsilon, Delta);
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
