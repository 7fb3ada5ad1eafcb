using System.Collections.Generic;

namespace DeepUnlearn.Protocols;

/// <summary>The published figures for one request of a protocol.</summary>
/// <param name="Request">The recipe's request id they belong to.</param>
/// <param name="Table">The table they come from (number and caption).</param>
/// <param name="Statistic">What the numbers are (e.g. mean and standard deviation over 10 trials).</param>
/// <param name="Verified">
/// Whether every non-null value was checked against the paper by a named person (<paramref name="VerifiedBy"/>);
/// unverified tables are printed as such.
/// </param>
/// <param name="VerifiedBy">Who checked the values against the paper, and against which copy.</param>
/// <param name="Rows">The rows.</param>
/// <param name="Note">Anything the reader must know.</param>
public sealed record PublishedTable(string Request, string Table, string? Statistic, bool Verified, string? VerifiedBy, IReadOnlyList<PublishedRow> Rows, string? Note);
