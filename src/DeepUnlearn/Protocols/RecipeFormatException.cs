using System;

namespace DeepUnlearn.Protocols;

/// <summary>
/// A protocol recipe file that does not follow the schema (<c>docs/protocols.md</c>): the message names the
/// file, the JSON path and what is valid there (for an unknown key, every valid key).
/// </summary>
public sealed class RecipeFormatException : FormatException
{
    /// <summary>Creates the exception.</summary>
    public RecipeFormatException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with its cause.</summary>
    public RecipeFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception without a message.</summary>
    public RecipeFormatException()
    {
    }
}
