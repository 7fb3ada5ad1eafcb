using System.Collections.Generic;

namespace DeepUnlearn.Protocols;

/// <summary>
/// A named derivation of a protocol at another scale (<c>small</c>: fewer epochs and samples, for CPUs). Every
/// value given replaces the full recipe's; results at a derived scale are labelled with <see cref="Description"/>
/// wherever they show and are never comparable to the published figures.
/// </summary>
/// <param name="Description">What changes, in a few words (printed beside every table).</param>
/// <param name="Training">Training settings replaced (e.g. <c>epochs</c>, <c>milestones</c>).</param>
/// <param name="TrainSamples">A class-stratified subset of the training split of this size; null keeps the full recipe's.</param>
/// <param name="Seeds">Seeds replaced; null keeps the full recipe's.</param>
/// <param name="ValidationSeeds">Validation seeds replaced; null keeps the full recipe's.</param>
/// <param name="MethodSettings">Per method label, settings replaced.</param>
/// <param name="ExpectedTestAccuracy">The original's expected test accuracy at this scale; null means unknown (the guard warns).</param>
/// <param name="ExpectedSource">Where that expectation comes from.</param>
public sealed record RecipeScale(
    string Description,
    IReadOnlyDictionary<string, string> Training,
    int? TrainSamples,
    IReadOnlyList<ulong>? Seeds,
    IReadOnlyList<ulong>? ValidationSeeds,
    IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> MethodSettings,
    double? ExpectedTestAccuracy,
    string? ExpectedSource)
{
    /// <summary>Whether the scale's expectation was checked against its source (null: the recipe does not say).</summary>
    public bool? ExpectedVerified { get; init; }
}
