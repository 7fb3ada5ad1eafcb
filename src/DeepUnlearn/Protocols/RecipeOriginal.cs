namespace DeepUnlearn.Protocols;

/// <summary>The original model of a protocol: trained once with the recipe's training section, shared by every cell.</summary>
/// <param name="Seed">The seed of its initialisation, of the train/validation split and of its training.</param>
/// <param name="ExpectedTestAccuracy">
/// The test accuracy (percent, all classes) an original trained with this recipe reaches in the source paper or
/// code; a sweep refuses a weaker original unless told otherwise. Null when unknown (the guard then only warns).
/// </param>
/// <param name="ExpectedSource">Where <paramref name="ExpectedTestAccuracy"/> comes from.</param>
public sealed record RecipeOriginal(ulong Seed, double? ExpectedTestAccuracy, string? ExpectedSource)
{
    /// <summary>
    /// Whether <see cref="ExpectedTestAccuracy"/> was checked against the text of <see cref="ExpectedSource"/> (null: the
    /// recipe does not say). Reports print the expectation as unverified unless this is true.
    /// </summary>
    public bool? ExpectedVerified { get; init; }
}
