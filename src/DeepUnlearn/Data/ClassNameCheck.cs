using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;

namespace DeepUnlearn.Data;

/// <summary>
/// Compares two lists of class names wherever labels cross from one place to another (a training split and its test
/// split, a checkpoint and the data it meets, an original and its retrained reference). Label k means class k only
/// when both lists agree name for name: equal counts are not enough (a renamed or re-ordered class folder keeps the
/// count and silently swaps labels).
/// </summary>
public static class ClassNameCheck
{
    /// <summary>Names longer lists are cut to in messages.</summary>
    private const int ShownNames = 20;

    /// <summary>Throws when <paramref name="actual"/> is not exactly <paramref name="expected"/>, naming both lists and the first difference.</summary>
    /// <param name="expectedWhat">What holds the expected names, e.g. "the checkpoint 'x.safetensors'".</param>
    /// <param name="expected">The expected names, in label order.</param>
    /// <param name="actualWhat">What holds the other names, e.g. "the dataset 'folder:/data' (train)".</param>
    /// <param name="actual">The other names, in label order.</param>
    /// <param name="remedy">What the user can do, appended to the message (optional).</param>
    /// <exception cref="InvalidDataException">The lists differ.</exception>
    public static void EnsureSame(string expectedWhat, IReadOnlyList<string> expected, string actualWhat, IReadOnlyList<string> actual, string? remedy = null)
    {
        ArgumentNullException.ThrowIfNull(expected);
        ArgumentNullException.ThrowIfNull(actual);
        if (expected.SequenceEqual(actual, StringComparer.Ordinal))
        {
            return;
        }
        int first = 0;
        while (first < expected.Count && first < actual.Count && string.Equals(expected[first], actual[first], StringComparison.Ordinal))
        {
            first++;
        }
        string difference = first < expected.Count && first < actual.Count
            ? string.Create(CultureInfo.InvariantCulture, $"label {first} is '{expected[first]}' in one and '{actual[first]}' in the other")
            : string.Create(CultureInfo.InvariantCulture, $"{expected.Count} classes against {actual.Count}");
        throw new InvalidDataException(
            $"the class names of {expectedWhat} and {actualWhat} differ ({difference}): " +
            $"{expectedWhat} has [{Show(expected)}], {actualWhat} has [{Show(actual)}]; labels would mean different classes" +
            (remedy is null ? string.Empty : "; " + remedy));
    }

    private static string Show(IReadOnlyList<string> names) =>
        names.Count <= ShownNames
            ? string.Join(", ", names)
            : string.Join(", ", names.Take(ShownNames)) + string.Create(CultureInfo.InvariantCulture, $", ... ({names.Count} in all)");
}
