using System;

namespace DeepUnlearn.Torch;

/// <summary>A libtorch operation failed; the message is libtorch's own, without its C++ backtrace.</summary>
public class TorchException : Exception
{
    /// <summary>Creates an exception with a message and the shim's status code.</summary>
    public TorchException(string message, int status)
        : base(message)
    {
        Status = status;
    }

    /// <summary>Creates an exception with a message.</summary>
    public TorchException(string message)
        : this(message, 1)
    {
    }

    /// <summary>Creates an exception with a message and an inner exception.</summary>
    public TorchException(string message, Exception innerException)
        : base(message, innerException)
    {
        Status = 1;
    }

    /// <summary>Creates an exception with a generic message.</summary>
    public TorchException()
        : this("libtorch operation failed")
    {
    }

    /// <summary>The native status code (DU_ERR_* in du_api.h).</summary>
    public int Status { get; }
}
