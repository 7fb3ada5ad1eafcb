using System.Collections.Generic;

namespace DeepUnlearn.Protocols;

/// <summary>
/// The merged result of a sweep: one table per reported request, the hyper-parameter search's choices, and what
/// the reader must know to trust it (scale, synthetic numbers, the original's guard, failures, missing cells,
/// provenance). <see cref="Tables"/> and <see cref="Selections"/> depend only on the cells' results, so they are
/// identical however the sweep was split into processes.
/// </summary>
public sealed record Leaderboard
{
    /// <summary>The recipe.</summary>
    public required ProtocolRecipe Recipe { get; init; }

    /// <summary>One table per reported request.</summary>
    public required IReadOnlyList<LeaderboardTable> Tables { get; init; }

    /// <summary>The hyper-parameter search's choices.</summary>
    public required IReadOnlyList<SelectionRecord> Selections { get; init; }

    /// <summary>Whether any result came from the synthetic runner.</summary>
    public required bool Synthetic { get; init; }

    /// <summary>The guard's verdicts on the originals the cells used (one, normally).</summary>
    public required IReadOnlyList<OriginalCheck> Originals { get; init; }

    /// <summary>Failed cells with their errors.</summary>
    public required IReadOnlyList<KeyValuePair<string, string>> Failed { get; init; }

    /// <summary>Planned cells with no result yet.</summary>
    public required IReadOnlyList<string> Missing { get; init; }

    /// <summary>Distinct engines, commits and devices that produced the cells, with counts.</summary>
    public required IReadOnlyList<KeyValuePair<string, int>> Provenance { get; init; }

    /// <summary>The time budget of the matched-run-time comparison, if any.</summary>
    public double? TimeBudgetSeconds { get; init; }

    /// <summary>The sweep directories merged.</summary>
    public required IReadOnlyList<string> Sources { get; init; }
}
