using System.Text.Json.Serialization;

namespace DeepUnlearn.Protocols;

/// <summary>The original model of a sweep and what the accuracy guard made of it.</summary>
/// <param name="Key">Its content key.</param>
/// <param name="TestAccuracy">Its test accuracy (percent, all classes), if measured.</param>
/// <param name="ExpectedTestAccuracy">What the recipe expects at this scale, if known.</param>
/// <param name="ExpectedSource">Where the expectation comes from.</param>
/// <param name="Verdict"><c>ok</c>, <c>below-expected</c> (continued only because the user allowed it), <c>no-expectation</c> or <c>not-measured</c>.</param>
/// <param name="Message">The guard's message for the report.</param>
public sealed record OriginalCheck(string Key, double? TestAccuracy, double? ExpectedTestAccuracy, string? ExpectedSource, string Verdict, string Message)
{
    /// <summary>The verdict for an original at or above expectation.</summary>
    public const string Ok = "ok";

    /// <summary>The verdict for a weaker original accepted with the override flag.</summary>
    public const string BelowExpected = "below-expected";

    /// <summary>Whether the report must carry a warning about the original.</summary>
    [JsonIgnore]
    public bool NeedsWarning => Verdict != Ok;
}
