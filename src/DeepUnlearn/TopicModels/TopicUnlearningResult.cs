using System;

namespace DeepUnlearn.TopicModels;

/// <summary>The outcome of <see cref="TopicModelUnlearner.Unlearn"/>.</summary>
public sealed record TopicUnlearningResult
{
    /// <summary>The unlearned model (noisy A; owns new statistics; dispose it).</summary>
    public required AnchorTopicModel Model { get; init; }

    /// <summary>m: training documents in the statistics before the deletion.</summary>
    public required int DocumentCountBefore { get; init; }

    /// <summary>m_U: deleted documents that contributed to the statistics.</summary>
    public required int DeletedCount { get; init; }

    /// <summary>Requested documents that contributed nothing (fewer than 2 vocabulary words).</summary>
    public required int SkippedCount { get; init; }

    /// <summary>‖Q − Q'‖₁ (entrywise) as measured; at most 2 m_U / m.</summary>
    public required double CooccurrenceChange { get; init; }

    /// <summary>p_S: the smallest word probability among the anchors (before the deletion).</summary>
    public required double MinAnchorProbability { get; init; }

    /// <summary>λ_min(G) = σ_min(Q̄_S)²: the strong convexity of the per-word objectives.</summary>
    public required double GramMinEigenvalue { get; init; }

    /// <summary>Δ: the bound on ‖Ã_unlearned − Ã_retrained‖_F.</summary>
    public required double Sensitivity { get; init; }

    /// <summary>σ of the Gaussian noise added to every entry of Ã (0 without noise).</summary>
    public required double NoiseStd { get; init; }

    /// <summary>Whether noise was added (the result is certified only then).</summary>
    public required bool NoiseAdded { get; init; }

    /// <summary>The deletion capacity bound m_U* for this model, ε, δ and τ.</summary>
    public required int DeletionCapacity { get; init; }

    /// <summary>m / (K² √(V K)): the rate of the paper's deletion capacity (Wei et al. 2025, Theorem 1) without its constants and log factors, for comparison.</summary>
    public required double PaperCapacityRate { get; init; }

    /// <summary>Frobenius norm of the noise actually drawn.</summary>
    public required double NoiseNorm { get; init; }

    /// <summary>Wall time of the unlearning.</summary>
    public required TimeSpan Elapsed { get; init; }
}
