using System.Collections.Generic;

namespace DeepUnlearn.Protocols;

/// <summary>What one sweep process did.</summary>
/// <param name="Shard">Its shard.</param>
/// <param name="Assigned">Cells assigned to it (both stages).</param>
/// <param name="Ran">Cells it ran to success.</param>
/// <param name="Skipped">Cells already finished (resumed runs skip them).</param>
/// <param name="Helped">Validation cells of other shards it ran while waiting for the search to complete.</param>
/// <param name="Busy">Cells another process was running when this one reached them.</param>
/// <param name="Failed">Cells that failed, with the reason.</param>
/// <param name="Original">The original and the guard's verdict.</param>
/// <param name="Selections">The hyper-parameter choices (empty without searched methods).</param>
public sealed record SweepSummary(
    Shard Shard,
    int Assigned,
    int Ran,
    int Skipped,
    int Helped,
    IReadOnlyList<string> Busy,
    IReadOnlyList<(string CellId, string Error)> Failed,
    OriginalCheck Original,
    IReadOnlyList<SelectionRecord> Selections);
