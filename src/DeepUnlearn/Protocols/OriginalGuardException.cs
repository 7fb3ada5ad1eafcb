using System;

namespace DeepUnlearn.Protocols;

/// <summary>
/// The original model is less accurate than the recipe expects — the most common reason published numbers do not
/// reproduce — and the user did not accept it. The message gives both numbers, the source, and the override flag.
/// </summary>
public sealed class OriginalGuardException : InvalidOperationException
{
    /// <summary>Creates the exception.</summary>
    public OriginalGuardException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with its cause.</summary>
    public OriginalGuardException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception without a message.</summary>
    public OriginalGuardException()
    {
    }
}
