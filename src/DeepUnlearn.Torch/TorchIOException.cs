using System;

namespace DeepUnlearn.Torch;

/// <summary>The native shim could not read or decode a file (an image, say).</summary>
public sealed class TorchIOException : TorchException
{
    /// <summary>Creates an exception with the shim's message.</summary>
    public TorchIOException(string message)
        : base(message, 4)
    {
    }

    /// <summary>Creates an exception with a generic message.</summary>
    public TorchIOException()
        : this("native I/O failed")
    {
    }

    /// <summary>Creates an exception with a message and an inner exception.</summary>
    public TorchIOException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
