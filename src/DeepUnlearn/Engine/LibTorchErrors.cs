using System;
using System.Runtime.InteropServices;

namespace DeepUnlearn.Engine;

/// <summary>
/// libtorch errors as TorchSharp reports them. Where TorchSharp's native layer catches a libtorch error (most calls),
/// it becomes a <see cref="ExternalException"/> whose message is libtorch's <c>what()</c>: the message itself, then
/// "Exception raised from …" and a C++ backtrace of some thirty frames. <see cref="Summarize"/> keeps the message for
/// the CLI boundary. Some calls are NOT caught natively and abort the process instead: see <see cref="NativeGuards"/>.
/// </summary>
public static class LibTorchErrors
{
    private const string BacktraceMarker = "Exception raised from ";

    /// <summary>Whether <paramref name="exception"/> is a libtorch error surfaced by TorchSharp.</summary>
    public static bool IsLibTorchError(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return exception.GetType() == typeof(ExternalException);
    }

    /// <summary>
    /// libtorch's message without the C++ backtrace (e.g. "mat1 and mat2 shapes cannot be multiplied (2x3 and 4x5)");
    /// any other exception's message unchanged.
    /// </summary>
    public static string Summarize(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        string message = exception.Message;
        if (!IsLibTorchError(exception))
        {
            return message;
        }
        int marker = message.IndexOf(BacktraceMarker, StringComparison.Ordinal);
        return (marker < 0 ? message : message[..marker]).Trim();
    }
}
