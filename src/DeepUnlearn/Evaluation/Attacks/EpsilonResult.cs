using System.Collections.Generic;
using System.Text.Json.Serialization;

namespace DeepUnlearn.Evaluation.Attacks;

/// <summary>The NeurIPS'23 challenge's ε estimate of one method over the forget set (<see cref="EpsilonEstimator"/>).</summary>
public sealed record EpsilonResult
{
    /// <summary>The method label.</summary>
    public required string Method { get; init; }

    /// <summary>N_u: unlearned models (the method's seeds).</summary>
    public required int UnlearnedModels { get; init; }

    /// <summary>N_r: retrained models.</summary>
    public required int RetrainedModels { get; init; }

    /// <summary>The challenge's forgetting score F (0–1, 1 = every example looks retrained); null with fewer than 3 models per side.</summary>
    public double? ForgetScore { get; init; }

    /// <summary>Median over the forget examples of the per-example ε.</summary>
    public required double MedianEpsilon { get; init; }

    /// <summary>Median over the forget examples of the interval's lower end.</summary>
    public required double MedianLower { get; init; }

    /// <summary>Median over the forget examples of the interval's upper end (may be ∞, written as null in JSON).</summary>
    public required double? MedianUpper { get; init; }

    /// <summary>Share of forget examples whose interval excludes 0 (lower end &gt; 0), in percent.</summary>
    public required double DistinguishablePercent { get; init; }

    /// <summary>Share of forget examples set to the cap by the peakiness rule, in percent.</summary>
    public required double PeakyPercent { get; init; }

    /// <summary>The largest finite ε any rule can show with min(N_u, N_r) models per side.</summary>
    public required double LargestFinite { get; init; }

    /// <summary>Every example's estimate, in forget-set order (attacks.json only).</summary>
    [JsonIgnore]
    public IReadOnlyList<ExampleEpsilon> Examples { get; init; } = [];
}
