using System.Collections.Generic;

namespace DeepUnlearn.Protocols;

/// <summary>The outcome of one method's hyper-parameter search on one validation request.</summary>
/// <param name="Method">The method label.</param>
/// <param name="ValidationRequest">The validation request searched on.</param>
/// <param name="ReportRequests">The reported requests whose cells use the choice.</param>
/// <param name="Criterion">How the choice was made.</param>
/// <param name="Candidates">Every grid point with its validation results.</param>
/// <param name="ChosenIndex">The chosen grid point's index (null when no choice could be made).</param>
/// <param name="Chosen">The chosen settings (null when no choice could be made).</param>
/// <param name="Error">Why no choice could be made.</param>
public sealed record SelectionRecord(
    string Method,
    string ValidationRequest,
    IReadOnlyList<string> ReportRequests,
    string Criterion,
    IReadOnlyList<SelectionCandidate> Candidates,
    int? ChosenIndex,
    IReadOnlyDictionary<string, string>? Chosen,
    string? Error)
{
    /// <summary>The grid searched: every axis with its candidate values, in recipe order.</summary>
    public IReadOnlyList<GridAxis> Grid { get; init; } = [];

    /// <summary>
    /// One warning per numeric axis whose chosen value is the smallest or largest candidate (axes of one value
    /// excepted): the best setting may lie outside the grid, so the choice is a bound, not an optimum.
    /// </summary>
    public IReadOnlyList<string> EdgeWarnings { get; init; } = [];
}
