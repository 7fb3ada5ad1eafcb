using System.Runtime.InteropServices;

namespace DeepUnlearn.Torch.Interop;

/// <summary>Status codes of the C ABI (<c>DU_OK</c>, <c>DU_ERR_*</c> in du_api.h).</summary>
internal static class NativeStatus
{
    public const int Ok = 0;
    public const int Torch = 1;
    public const int OutOfMemory = 2;
    public const int Argument = 3;
    public const int Io = 4;
    public const int Unknown = 5;

    /// <summary>The one place where a native failure becomes a managed exception.</summary>
    public static void ThrowIfFailed(int status)
    {
        if (status == Ok)
        {
            return;
        }
        string message = Marshal.PtrToStringUTF8(NativeMethods.du_last_error()) ?? "unknown native error";
        throw status switch
        {
            OutOfMemory => new TorchOutOfMemoryException(message),
            Io => new TorchIOException(message),
            Argument => new TorchException(message, status),
            _ => new TorchException(message, status),
        };
    }
}
