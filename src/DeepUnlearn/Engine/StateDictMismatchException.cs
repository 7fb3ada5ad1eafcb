using System;
using System.Collections.Generic;
using System.Linq;

namespace DeepUnlearn.Engine;

/// <summary>
/// A state dict does not fit a module: names missing from it, names the module lacks, or entries whose shape or dtype
/// differ. Thrown by <see cref="StrictStateLoader"/> before anything is copied, so the module is unchanged.
/// </summary>
public sealed class StateDictMismatchException : Exception
{
    private const int Listed = 10;

    /// <summary>Creates the exception from the three lists (any may be empty, not all).</summary>
    public StateDictMismatchException(IReadOnlyList<string> missing, IReadOnlyList<string> unexpected, IReadOnlyList<string> mismatched)
        : base(Describe(missing, unexpected, mismatched))
    {
        Missing = missing;
        Unexpected = unexpected;
        Mismatched = mismatched;
    }

    /// <summary>Creates an exception with a message.</summary>
    public StateDictMismatchException(string message)
        : base(message)
    {
    }

    /// <summary>Creates an exception with a message and an inner exception.</summary>
    public StateDictMismatchException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates an exception with a generic message.</summary>
    public StateDictMismatchException()
        : this("the state dict does not match the module")
    {
    }

    /// <summary>Names the module has and the state dict lacks.</summary>
    public IReadOnlyList<string> Missing { get; } = [];

    /// <summary>Names the state dict has and the module lacks.</summary>
    public IReadOnlyList<string> Unexpected { get; } = [];

    /// <summary>Entries present in both with another shape or dtype, each as "name: module …, state dict …".</summary>
    public IReadOnlyList<string> Mismatched { get; } = [];

    private static string Describe(IReadOnlyList<string> missing, IReadOnlyList<string> unexpected, IReadOnlyList<string> mismatched)
    {
        ArgumentNullException.ThrowIfNull(missing);
        ArgumentNullException.ThrowIfNull(unexpected);
        ArgumentNullException.ThrowIfNull(mismatched);
        var parts = new List<string>();
        if (missing.Count > 0)
        {
            parts.Add($"{missing.Count} missing from the state dict ({List(missing)})");
        }
        if (unexpected.Count > 0)
        {
            parts.Add($"{unexpected.Count} unexpected, not in the module ({List(unexpected)})");
        }
        if (mismatched.Count > 0)
        {
            parts.Add($"{mismatched.Count} with another shape or dtype ({List(mismatched)})");
        }
        return $"the state dict does not match the module: {string.Join("; ", parts)}. Nothing was copied.";
    }

    private static string List(IReadOnlyList<string> items) =>
        items.Count <= Listed
            ? string.Join(", ", items)
            : string.Join(", ", items.Take(Listed)) + $", … and {items.Count - Listed} more";
}
