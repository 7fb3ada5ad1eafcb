using System;

namespace DeepUnlearn.Torch;

/// <summary>libtorch ran out of host or device memory.</summary>
public sealed class TorchOutOfMemoryException : TorchException
{
    /// <summary>Creates an exception with libtorch's message.</summary>
    public TorchOutOfMemoryException(string message)
        : base(message, 2)
    {
    }

    /// <summary>Creates an exception with a generic message.</summary>
    public TorchOutOfMemoryException()
        : this("out of memory")
    {
    }

    /// <summary>Creates an exception with a message and an inner exception.</summary>
    public TorchOutOfMemoryException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
