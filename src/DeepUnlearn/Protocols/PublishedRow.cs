using System.Collections.Generic;

namespace DeepUnlearn.Protocols;

/// <summary>One method's published figures (percent, except <c>rte_minutes</c>); a missing or null value is unknown.</summary>
/// <param name="Method">The recipe's label for the method (<c>retrain</c>, <c>salun</c>, ...).</param>
/// <param name="PaperName">The method's name in the paper (<c>SalUn</c>, <c>FT</c>).</param>
/// <param name="Values">Metric key (<c>ua</c>, <c>ra</c>, <c>ta</c>, <c>mia</c>, <c>gap</c>, <c>rte_minutes</c>, or one of them with <c>_std</c>) → value, or null when unknown.</param>
/// <param name="Note">Anything the reader must know about this row.</param>
public sealed record PublishedRow(string Method, string? PaperName, IReadOnlyDictionary<string, double?> Values, string? Note)
{
    /// <summary>The keys a published row may give.</summary>
    public static IReadOnlyList<string> ValueKeys { get; } = ["ua", "ra", "ta", "mia", "gap", "rte_minutes", "ua_std", "ra_std", "ta_std", "mia_std"];

    /// <summary>The value of <paramref name="key"/>, or null when unknown.</summary>
    public double? Get(string key) => Values.TryGetValue(key, out double? value) ? value : null;
}
