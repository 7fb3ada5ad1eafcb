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
    string? Error);
