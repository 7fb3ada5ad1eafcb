using System;

namespace DeepUnlearn.Engine;

/// <summary>
/// A file is not a well-formed safetensors file. The message names the file and the exact problem
/// (the reference implementation rejects the same files).
/// </summary>
public sealed class SafeTensorsFormatException : Exception
{
    /// <summary>Creates an exception for <paramref name="filePath"/> describing <paramref name="problem"/>.</summary>
    public SafeTensorsFormatException(string filePath, string problem, Exception? innerException = null)
        : base($"safetensors file '{filePath}': {problem}", innerException)
    {
        FilePath = filePath;
        Problem = problem;
    }

    /// <summary>Creates an exception with a message.</summary>
    public SafeTensorsFormatException(string message)
        : base(message)
    {
        Problem = message;
    }

    /// <summary>Creates an exception with a message and an inner exception.</summary>
    public SafeTensorsFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
        Problem = message;
    }

    /// <summary>Creates an exception with a generic message.</summary>
    public SafeTensorsFormatException()
        : this("malformed safetensors file")
    {
    }

    /// <summary>The file that failed to parse, when known.</summary>
    public string? FilePath { get; }

    /// <summary>The problem alone, without the file name.</summary>
    public string Problem { get; }
}
