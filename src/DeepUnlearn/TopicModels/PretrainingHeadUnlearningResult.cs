using System;
using System.Collections.Generic;

namespace DeepUnlearn.TopicModels;

/// <summary>The outcome of <see cref="PretrainingHeadUnlearner.Unlearn"/>.</summary>
public sealed record PretrainingHeadUnlearningResult
{
    /// <summary>The released fine-tuned model (B, b) with noise: what the guarantee covers.</summary>
    public required FineTunedTopicClassifier FineTuned { get; init; }

    /// <summary>The head re-fitted on the noiseless updated base (private state; not released).</summary>
    public required TopicClassifierHead Head { get; init; }

    /// <summary>m_U: deleted pre-training documents that contributed to the statistics.</summary>
    public required int DeletedCount { get; init; }

    /// <summary>Deleted documents that were also task documents of the head (removed from its training set).</summary>
    public required int TaskDocumentsRemoved { get; init; }

    /// <summary>The base model's constants (measured before the deletion).</summary>
    public required TopicModelConstants Constants { get; init; }

    /// <summary>The base sensitivity Δ for this deletion size.</summary>
    public required TopicSensitivity BaseSensitivity { get; init; }

    /// <summary>The head sensitivity Δ_H on ‖(B, b)_u − (B, b)_r‖_F.</summary>
    public required HeadSensitivity Sensitivity { get; init; }

    /// <summary>σ of the noise on every entry of (B, b) (0 without noise).</summary>
    public required double NoiseStd { get; init; }

    /// <summary>Whether noise was added (the release is certified only then).</summary>
    public required bool NoiseAdded { get; init; }

    /// <summary>Frobenius norm of the noise actually drawn.</summary>
    public required double NoiseNorm { get; init; }

    /// <summary>Whether ε lies where the Gaussian mechanism's calibration is proven.</summary>
    public required PrivacyRegime Regime { get; init; }

    /// <summary>The deletion capacity of U_head for this model, head, ε, δ and τ.</summary>
    public required int DeletionCapacity { get; init; }

    /// <summary>The deletion capacity of U_base for the same model and settings, for comparison.</summary>
    public required int BaseDeletionCapacity { get; init; }

    /// <summary>Words whose Newton step landed on the exact fixed-anchor re-fit.</summary>
    public required int ExactWords { get; init; }

    /// <summary>The anchors FastAnchorWords selects on the retained statistics, or null if unknown.</summary>
    public required IReadOnlyList<int>? ReselectedAnchors { get; init; }

    /// <summary>True if the re-selected anchors equal the model's, in order (null if unknown).</summary>
    public required bool? AnchorsUnchanged { get; init; }

    /// <summary>The guarantee in words.</summary>
    public required string Guarantee { get; init; }

    /// <summary>Wall time of the anchor re-selection check (included in <see cref="Elapsed"/>; zero when skipped).</summary>
    public required TimeSpan AnchorCheckElapsed { get; init; }

    /// <summary>Wall time.</summary>
    public required TimeSpan Elapsed { get; init; }
}
