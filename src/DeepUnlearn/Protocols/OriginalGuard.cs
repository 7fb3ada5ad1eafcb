using System.Globalization;

namespace DeepUnlearn.Protocols;

/// <summary>
/// Refuses an original below the recipe's expected test accuracy (undertrained originals are the most common
/// reason published unlearning numbers do not reproduce), unless the user accepts it explicitly, in which case the
/// acceptance is recorded in every cell manifest and printed as a warning on the leaderboard.
/// </summary>
public static class OriginalGuard
{
    /// <summary>The command-line flag that accepts a weak original.</summary>
    public const string OverrideFlag = "--allow-weak-original";

    /// <summary>Checks <paramref name="original"/> against <paramref name="recipe"/>.</summary>
    /// <exception cref="OriginalGuardException">Below expectation and <paramref name="allowWeak"/> is false.</exception>
    public static OriginalCheck Check(ProtocolRecipe recipe, StoredArtefact original, bool allowWeak)
    {
        System.ArgumentNullException.ThrowIfNull(recipe);
        System.ArgumentNullException.ThrowIfNull(original);
        double? accuracy = original.Record.TestAccuracy;
        double? expected = recipe.Original.ExpectedTestAccuracy;
        string source = (recipe.Original.ExpectedSource ?? "the recipe") + VerificationMark.Suffix(recipe.Original.ExpectedVerified);
        string key = original.Record.Key;
        if (expected is null)
        {
            // At a derived scale the full recipe's figure does not apply, but it says how far this original may be from a trained one.
            string context = recipe.FullScaleOriginal?.ExpectedTestAccuracy is double full
                ? $"; the full recipe expects ≥ {Format(full)} ({recipe.FullScaleOriginal.ExpectedSource ?? "the recipe"}{VerificationMark.Suffix(recipe.FullScaleOriginal.ExpectedVerified)}), so an original far below that is undertrained and its unlearning numbers (MIA-efficacy above all) describe an undertrained model"
                : "";
            return new OriginalCheck(key, accuracy, null, null, "no-expectation",
                $"recipe '{recipe.Name}' at scale {recipe.Scale} declares no expected test accuracy for the original; nothing guards against an undertrained original (its test accuracy: {Format(accuracy)}){context}");
        }
        if (accuracy is null)
        {
            return new OriginalCheck(key, null, expected, source, "not-measured",
                $"the runner did not measure the original's test accuracy; it cannot be checked against the expected {Format(expected)} ({source})");
        }
        if (accuracy >= expected)
        {
            return new OriginalCheck(key, accuracy, expected, source, OriginalCheck.Ok,
                $"the original reaches {Format(accuracy)} test accuracy (expected ≥ {Format(expected)}, {source})");
        }
        string message = $"the original model reaches {Format(accuracy)} test accuracy, below the {Format(expected)} recipe '{recipe.Name}' expects at scale {recipe.Scale} ({source}); unlearning results on an undertrained original do not reproduce published figures";
        if (!allowWeak)
        {
            throw new OriginalGuardException($"{message}. Check the data and the training settings, or pass {OverrideFlag} to continue anyway (every manifest and the leaderboard will say so). The original is kept in the artefact store: {original.Directory}");
        }
        return new OriginalCheck(key, accuracy, expected, source, OriginalCheck.BelowExpected, $"{message} — accepted with {OverrideFlag}");
    }

    private static string Format(double? value) => value is double v ? v.ToString("F2", CultureInfo.InvariantCulture) + "%" : "unknown";
}
