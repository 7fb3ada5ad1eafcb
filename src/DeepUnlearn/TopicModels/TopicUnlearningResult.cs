using System;
using System.Collections.Generic;

namespace DeepUnlearn.TopicModels;

/// <summary>The outcome of <see cref="TopicModelUnlearner.Unlearn"/>.</summary>
public sealed record TopicUnlearningResult
{
    /// <summary>
    /// The unlearned model: the released (noisy) Ã, A and R, and the private state (the downdated
    /// statistics and the fixed-anchor optimum C on them). Owns new statistics; dispose it.
    /// </summary>
    public required AnchorTopicModel Model { get; init; }

    /// <summary>m: training documents in the statistics before the deletion.</summary>
    public required int DocumentCountBefore { get; init; }

    /// <summary>m_U: deleted documents that contributed to the statistics.</summary>
    public required int DeletedCount { get; init; }

    /// <summary>Requested documents that contributed nothing (fewer than 2 vocabulary words).</summary>
    public required int SkippedCount { get; init; }

    /// <summary>‖Q − Q'‖₁ (entrywise) as measured; at most η = 2 m_U / m.</summary>
    public required double CooccurrenceChange { get; init; }

    /// <summary>The constants the bound uses, measured on the model before the deletion.</summary>
    public required TopicModelConstants Constants { get; init; }

    /// <summary>The sensitivity bound Δ on ‖Ã_unlearned − Ã_retrain(same anchors)‖_F and its terms.</summary>
    public required TopicSensitivity Sensitivity { get; init; }

    /// <summary>σ of the Gaussian noise added to every entry of Ã (0 without noise).</summary>
    public required double NoiseStd { get; init; }

    /// <summary>Whether noise was added (the result is certified only then).</summary>
    public required bool NoiseAdded { get; init; }

    /// <summary>Frobenius norm of the noise actually drawn.</summary>
    public required double NoiseNorm { get; init; }

    /// <summary>Whether ε lies where the Gaussian mechanism's calibration is proven.</summary>
    public required PrivacyRegime Regime { get; init; }

    /// <summary>The deletion capacity m_U* for this model, ε, δ and τ (<see cref="TopicSensitivity.DeletionCapacity"/>).</summary>
    public required int DeletionCapacity { get; init; }

    /// <summary>
    /// How many training documents a model with the same constants would need for the capacity to reach one
    /// deletion (null beyond 10¹⁵; <see cref="TopicSensitivity.DocumentsNeededForOneDeletion"/>).
    /// </summary>
    public required long? DocumentsNeededForOneDeletion { get; init; }

    /// <summary>m / (K² √(V K)): the rate of the paper's deletion capacity (Wei et al. 2025, Theorem 1) without its constants and log factors, for comparison.</summary>
    public required double PaperCapacityRate { get; init; }

    /// <summary>Words whose Newton step landed on the exact fixed-anchor re-fit (all V for <see cref="TopicUnlearningUpdate.ExactRecovery"/>).</summary>
    public required int ExactWords { get; init; }

    /// <summary>
    /// The anchors FastAnchorWords selects on the retained statistics (same options and seed), or null if
    /// the statistics carry no word document counts.
    /// </summary>
    public required IReadOnlyList<int>? ReselectedAnchors { get; init; }

    /// <summary>True if <see cref="ReselectedAnchors"/> equals the model's anchors in order (null if unknown).</summary>
    public required bool? AnchorsUnchanged { get; init; }

    /// <summary>The guarantee in words: its reference (same-anchor retrain, and whether a full retrain too), ε, δ and regime.</summary>
    public required string Guarantee { get; init; }

    /// <summary>Wall time of the anchor re-selection check (included in <see cref="Elapsed"/>; zero when skipped).</summary>
    public required TimeSpan AnchorCheckElapsed { get; init; }

    /// <summary>Wall time of the unlearning.</summary>
    public required TimeSpan Elapsed { get; init; }
}
