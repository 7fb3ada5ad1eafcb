using System.Collections.Generic;
using System.Linq;

namespace DeepUnlearn.Protocols;

/// <summary>The published reference figures of a protocol and their source.</summary>
/// <param name="Source">The paper (authors, venue, arXiv id).</param>
/// <param name="Url">Where to read it.</param>
/// <param name="Tables">One table per reported request.</param>
public sealed record PublishedFigures(string Source, string? Url, IReadOnlyList<PublishedTable> Tables)
{
    /// <summary>The table for request <paramref name="requestId"/>, if any.</summary>
    public PublishedTable? For(string requestId) => Tables.FirstOrDefault(t => t.Request == requestId);
}
