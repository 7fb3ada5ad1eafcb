using System;

namespace DeepUnlearn.TopicModels;

/// <summary>
/// Settings of anchor-word topic learning (Arora et al. 2013, Algorithm 1 with FastAnchorWords and
/// RecoverL2).
/// </summary>
public sealed record AnchorTopicModelOptions
{
    /// <summary>The number of topics K (r in Wei et al. 2025).</summary>
    public int TopicCount { get; init; } = 10;

    /// <summary>
    /// Only words occurring in at least this many training documents may be anchors: their rows of Q̄
    /// are estimated from enough documents (the "anchor threshold" of Arora et al. 2013, §5).
    /// </summary>
    public int AnchorMinDocuments { get; init; } = 10;

    /// <summary>Random-projection dimension for anchor search; 0 searches the full rows of Q̄.</summary>
    public int ProjectionDimension { get; init; }

    /// <summary>Run the clean-up pass of FastAnchorWords.</summary>
    public bool AnchorCleanup { get; init; } = true;

    /// <summary>Seed for the random projection.</summary>
    public ulong Seed { get; init; }

    /// <summary>Stop the simplex least-squares solver when no coordinate moves by more than this.</summary>
    public double SolverTolerance { get; init; } = 1e-12;

    /// <summary>Iteration cap of the simplex least-squares solver (per word).</summary>
    public int SolverMaxIterations { get; init; } = 20_000;

    /// <summary>Throws if a setting is out of range, naming the valid range.</summary>
    public void Validate()
    {
        if (TopicCount < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(TopicCount), TopicCount, "the number of topics must be at least 1");
        }
        if (AnchorMinDocuments < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(AnchorMinDocuments), AnchorMinDocuments, "the anchor document threshold must be at least 1");
        }
        if (ProjectionDimension < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(ProjectionDimension), ProjectionDimension, "the projection dimension must be 0 (none) or positive");
        }
        if (!(SolverTolerance > 0))
        {
            throw new ArgumentOutOfRangeException(nameof(SolverTolerance), SolverTolerance, "the solver tolerance must be positive");
        }
        if (SolverMaxIterations < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(SolverMaxIterations), SolverMaxIterations, "the solver needs at least one iteration");
        }
    }
}
