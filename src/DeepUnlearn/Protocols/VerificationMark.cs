namespace DeepUnlearn.Protocols;

/// <summary>
/// How reports print whether a figure or a setting of a recipe was checked against its source, next to it: a number
/// with a paper's name on it must not look verified when nobody read the paper.
/// </summary>
public static class VerificationMark
{
    /// <summary>The mark of something checked against its source.</summary>
    public const string Verified = "[checked against the source]";

    /// <summary>The mark of something not checked against its source.</summary>
    public const string Unverified = "[UNVERIFIED against the source]";

    /// <summary>The mark for <paramref name="verified"/> (empty when the recipe does not say, e.g. our own choices).</summary>
    public static string For(bool? verified) => verified switch
    {
        true => Verified,
        false => Unverified,
        null => "",
    };

    /// <summary>" " + the mark, or nothing, for appending to a sentence.</summary>
    public static string Suffix(bool? verified) => verified is null ? "" : " " + For(verified);
}
