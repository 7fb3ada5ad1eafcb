using System.Collections.Generic;

namespace DeepUnlearn.Protocols;

/// <summary>One grid point of a search and how close it came to the retrained oracle on the validation request.</summary>
/// <param name="Index">Its position in the method's grid.</param>
/// <param name="Settings">The grid point.</param>
/// <param name="Seeds">Seeds with results.</param>
/// <param name="Failed">Seeds whose cell failed or is missing.</param>
/// <param name="UnlearningAccuracy">Mean UA.</param>
/// <param name="RetainAccuracy">Mean RA.</param>
/// <param name="ValidationAccuracy">Mean VA (held-out validation split).</param>
/// <param name="MiaEfficacy">Mean MIA-efficacy.</param>
/// <param name="Gap">The selection criterion: mean |difference| to the oracle's means over UA, RA, VA and MIA (null without results).</param>
public sealed record SelectionCandidate(
    int Index,
    IReadOnlyDictionary<string, string> Settings,
    int Seeds,
    int Failed,
    double? UnlearningAccuracy,
    double? RetainAccuracy,
    double? ValidationAccuracy,
    double? MiaEfficacy,
    double? Gap);
