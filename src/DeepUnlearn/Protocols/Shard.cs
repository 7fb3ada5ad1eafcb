using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace DeepUnlearn.Protocols;

/// <summary>
/// One slice of a sweep, <c>i/n</c> with 0 ≤ i &lt; n: a Slurm array task (<c>$SLURM_ARRAY_TASK_ID/n</c>) or a
/// Kubernetes Indexed Job pod (<c>$JOB_COMPLETION_INDEX/n</c>). Within each stage, the cells sorted by id are dealt
/// round-robin: shard i takes positions i, i + n, i + 2n, … — every cell to exactly one shard, the same in every
/// process, balanced to within one cell per stage.
/// </summary>
/// <param name="Index">This shard (0-based).</param>
/// <param name="Count">How many shards.</param>
public sealed record Shard(int Index, int Count)
{
    /// <summary>The whole sweep as one shard.</summary>
    public static Shard Whole { get; } = new(0, 1);

    /// <summary>Parses <c>i/n</c>.</summary>
    /// <exception cref="FormatException">Not of the form i/n with 0 ≤ i &lt; n.</exception>
    public static Shard Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        string[] parts = text.Split('/');
        if (parts.Length == 2
            && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out int index)
            && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int count)
            && count >= 1 && index < count)
        {
            return new Shard(index, count);
        }
        throw new FormatException($"--shard '{text}' must be i/n with 0 <= i < n (e.g. 0/4 … 3/4; Slurm: $SLURM_ARRAY_TASK_ID/n, Kubernetes: $JOB_COMPLETION_INDEX/n)");
    }

    /// <summary>This shard's cells of one stage (<paramref name="cells"/> in any order).</summary>
    public IReadOnlyList<Cell> Select(IEnumerable<Cell> cells)
    {
        ArgumentNullException.ThrowIfNull(cells);
        return cells.OrderBy(c => c.Id, StringComparer.Ordinal).Where((_, position) => position % Count == Index).ToArray();
    }

    /// <inheritdoc />
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Index}/{Count}");
}
