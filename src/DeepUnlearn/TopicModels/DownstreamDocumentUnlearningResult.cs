using System;

namespace DeepUnlearn.TopicModels;

/// <summary>The outcome of <see cref="DownstreamDocumentUnlearner.Unlearn"/>.</summary>
public sealed record DownstreamDocumentUnlearningResult
{
    /// <summary>The unlearned head (noisy weights).</summary>
    public required TopicClassifierHead Head { get; init; }

    /// <summary>m_U: the number of deleted training examples.</summary>
    public required int DeletedCount { get; init; }

    /// <summary>γ: the bound on the distance of the Newton step to the retrained head.</summary>
    public required double Sensitivity { get; init; }

    /// <summary>σ of the Gaussian noise on every weight (0 without noise).</summary>
    public required double NoiseStd { get; init; }

    /// <summary>Whether noise was added.</summary>
    public required bool NoiseAdded { get; init; }

    /// <summary>Wall time.</summary>
    public required TimeSpan Elapsed { get; init; }
}
