using System;
using System.Runtime.InteropServices;
using System.Text;

namespace DeepUnlearn.Data.Imaging;

/// <summary>
/// P/Invoke declarations of du_codecs (src/DeepUnlearn.Native/codecs/include/du_codecs.h), 1:1, and the one place
/// where its status codes become exceptions.
/// </summary>
internal static unsafe partial class CodecsNative
{
    public const int Ok = 0;
    public const int ErrArgument = 1;
    public const int ErrFormat = 2;
    public const int ErrCorrupt = 3;
    public const int ErrTooLarge = 4;
    public const int ErrNoMemory = 5;

    /// <summary>Bytes of the message buffer every call gets; longer messages are truncated by the library.</summary>
    public const int MessageCapacity = 512;

    private const string Library = "du_codecs";

    /// <summary>du_image_info.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct NativeImageInfo
    {
        public int Format;
        public int Width;
        public int Height;
        public int Channels;

        public readonly ImageInfo ToInfo() => new((ImageFormat)Format, Width, Height, Channels);
    }

    [LibraryImport(Library, EntryPoint = "du_codecs_read_info")]
    public static partial int ReadInfo(byte* data, long size, NativeImageInfo* info, byte* message, int messageCapacity);

    [LibraryImport(Library, EntryPoint = "du_codecs_decode")]
    public static partial int Decode(byte* data, long size, int channels, int layout, long maxPixels, byte* output, long outputCapacity,
        NativeImageInfo* info, byte* message, int messageCapacity);

    [LibraryImport(Library, EntryPoint = "du_codecs_encode")]
    public static partial int Encode(byte* pixels, int channels, int height, int width, int layout, int format, int quality, byte** output,
        long* outputSize, byte* message, int messageCapacity);

    [LibraryImport(Library, EntryPoint = "du_codecs_free")]
    public static partial void Free(byte* buffer);

    [LibraryImport(Library, EntryPoint = "du_codecs_versions")]
    public static partial int Versions(byte* buffer, int capacity);

    /// <summary>The NUL-terminated UTF-8 text in <paramref name="message"/>.</summary>
    public static string Text(ReadOnlySpan<byte> message)
    {
        int end = message.IndexOf((byte)0);
        return Encoding.UTF8.GetString(end < 0 ? message : message[..end]);
    }

    /// <summary>
    /// Throws the exception for a failed status: <see cref="System.IO.InvalidDataException"/> for data that is not a
    /// JPEG/PNG, is corrupt, or exceeds the pixel cap, <see cref="ArgumentException"/> for a bad argument, <see cref="InsufficientMemoryException"/> for an allocation failure. Messages start with
    /// <paramref name="source"/> (a file path or a caller's name for the bytes).
    /// </summary>
    public static void ThrowIfFailed(int status, ReadOnlySpan<byte> message, string source)
    {
        if (status == Ok)
        {
            return;
        }
        string text = $"{source}: {Text(message)}";
        throw status switch
        {
            ErrFormat or ErrCorrupt or ErrTooLarge => new System.IO.InvalidDataException(text),
            ErrNoMemory => new InsufficientMemoryException(text),
            ErrArgument => new ArgumentException(text),
            _ => new InvalidOperationException($"{text} (du_codecs status {status})"),
        };
    }

    /// <summary>The exception for a missing libdu_codecs (or libturbojpeg / libpng under it), saying how to get it.</summary>
    public static DllNotFoundException NotFound(DllNotFoundException e) =>
        new($"DeepUnlearn's image codecs (libdu_codecs, over libturbojpeg and libpng16) could not be loaded: {e.Message}. " +
            "The library is built by src/DeepUnlearn.Native/codecs during dotnet build and copied next to DeepUnlearn.dll; " +
            "at run time it needs libturbojpeg0 and libpng16-16 (Debian/Ubuntu: sudo apt-get install libturbojpeg0 libpng16-16).", e);
}
