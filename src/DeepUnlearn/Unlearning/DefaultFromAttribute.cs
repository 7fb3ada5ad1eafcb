using System;

namespace DeepUnlearn.Unlearning;

/// <summary>
/// Records on a setting of a method's options record where its default value comes from, so that a number with a
/// paper's name on it can be told from one we chose: <c>[DefaultFrom(DefaultOrigin.AuthorsCode, "arg_parser.py")]</c>.
/// </summary>
/// <param name="origin">The source of the default.</param>
/// <param name="note">Where exactly (a file, a table, an equation) or why we chose it; short.</param>
[AttributeUsage(AttributeTargets.Property, AllowMultiple = false, Inherited = true)]
public sealed class DefaultFromAttribute(DefaultOrigin origin, string note = "") : Attribute
{
    /// <summary>The source of the default.</summary>
    public DefaultOrigin Origin { get; } = origin;

    /// <summary>Where exactly, or why.</summary>
    public string Note { get; } = note;
}
