using System;
using System.Globalization;
using System.IO;

namespace DeepUnlearn.Data.Imaging;

/// <summary>
/// JPEG and PNG decoding and encoding through du_codecs (libjpeg-turbo's TurboJPEG and libpng; see
/// src/DeepUnlearn.Native/codecs). Decoded pixels are those of Pillow's <c>Image.open(f).convert("RGB")</c> (or
/// <c>"L"</c>), which torchvision's ImageFolder uses: alpha dropped, palettes expanded, gray replicated, colour reduced
/// with ITU-R 601-2 luma, CMYK JPEGs converted with Pillow's formula, 16-bit samples cut to their high byte (where
/// Pillow clips 16-bit gray to 255 instead). Every read takes the header first and refuses, before allocating, an
/// image whose declared pixel count exceeds <see cref="ImageLimits.MaxPixels"/>. Thread-safe.
/// </summary>
public static class ImageCodec
{
    private const string DefaultSourceName = "image data";

    private static string? s_nativeVersions;

    /// <summary>The native libraries in use, e.g. "libjpeg-turbo 2.1.5 (TurboJPEG), libpng 1.6.39".</summary>
    public static unsafe string NativeVersions
    {
        get
        {
            if (s_nativeVersions is null)
            {
                Span<byte> buffer = stackalloc byte[CodecsNative.MessageCapacity];
                try
                {
                    fixed (byte* pointer = buffer)
                    {
                        CodecsNative.Versions(pointer, buffer.Length);
                    }
                }
                catch (DllNotFoundException e)
                {
                    throw CodecsNative.NotFound(e);
                }
                s_nativeVersions = CodecsNative.Text(buffer);
            }
            return s_nativeVersions;
        }
    }

    /// <summary>Reads the header of the JPEG or PNG in <paramref name="data"/> without decoding it.</summary>
    /// <param name="data">The file's bytes.</param>
    /// <param name="sourceName">Names the bytes in error messages (e.g. their file); "image data" by default.</param>
    /// <returns>The format, size and the channel count <see cref="ImageChannels.Keep"/> would give.</returns>
    /// <exception cref="InvalidDataException">Not a JPEG or PNG, or an unreadable header; the message starts with the source name.</exception>
    public static ImageInfo ReadInfo(ReadOnlySpan<byte> data, string? sourceName = null) =>
        ReadInfoCore(data, sourceName ?? DefaultSourceName);

    /// <summary>Decodes the JPEG or PNG in <paramref name="data"/> into a new array.</summary>
    /// <param name="data">The file's bytes.</param>
    /// <param name="channels">Channels to decode to.</param>
    /// <param name="layout">Pixel order of the result.</param>
    /// <param name="limits">Caps; <see cref="ImageLimits.Default"/> when null.</param>
    /// <param name="sourceName">Names the bytes in error messages (e.g. their file); "image data" by default.</param>
    /// <exception cref="InvalidDataException">The header declares more pixels than <see cref="ImageLimits.MaxPixels"/>.</exception>
    /// <exception cref="InvalidDataException">Not a JPEG or PNG, or truncated or corrupt; the message starts with the source name.</exception>
    public static DecodedImage Decode(ReadOnlySpan<byte> data, ImageChannels channels = ImageChannels.Keep, ImageLayout layout = ImageLayout.Chw,
        ImageLimits? limits = null, string? sourceName = null)
    {
        CheckOptions(channels, layout);
        limits ??= ImageLimits.Default;
        string source = sourceName ?? DefaultSourceName;
        ImageInfo info = Plan(data, channels, limits, source);
        if (info.ByteCount > Array.MaxLength)
        {
            throw new InvalidDataException($"{source}: a {info.Channels}x{info.Height}x{info.Width} image does not fit in one .NET array ({Array.MaxLength} bytes at most)");
        }
        byte[] pixels = GC.AllocateUninitializedArray<byte>((int)info.ByteCount);
        DecodeCore(data, channels, layout, limits, source, info, pixels);
        return new DecodedImage(pixels, info.Channels, info.Height, info.Width, layout, info.Format);
    }

    /// <summary>
    /// Decodes the JPEG or PNG in <paramref name="data"/> into the caller's <paramref name="destination"/>, which must hold at
    /// least <see cref="ImageInfo.ByteCount"/> bytes (read the header with <see cref="ReadInfo"/> to size it).
    /// </summary>
    /// <returns>The header, with <see cref="ImageInfo.Channels"/> the count written; the first <see cref="ImageInfo.ByteCount"/> bytes hold the image.</returns>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is too small; the message gives the size needed.</exception>
    /// <exception cref="InvalidDataException">The header declares more pixels than <see cref="ImageLimits.MaxPixels"/>.</exception>
    /// <exception cref="InvalidDataException">Not a JPEG or PNG, or truncated or corrupt; the message starts with the source name.</exception>
    public static ImageInfo DecodeInto(ReadOnlySpan<byte> data, Span<byte> destination, ImageChannels channels = ImageChannels.Keep,
        ImageLayout layout = ImageLayout.Chw, ImageLimits? limits = null, string? sourceName = null)
    {
        CheckOptions(channels, layout);
        limits ??= ImageLimits.Default;
        string source = sourceName ?? DefaultSourceName;
        ImageInfo info = Plan(data, channels, limits, source);
        if (destination.Length < info.ByteCount)
        {
            throw new ArgumentException($"{source}: the destination holds {destination.Length} bytes; the {info.Channels}x{info.Height}x{info.Width} image needs {info.ByteCount}",
                nameof(destination));
        }
        DecodeCore(data, channels, layout, limits, source, info, destination);
        return info;
    }

    /// <summary>Reads and decodes the JPEG or PNG file at <paramref name="path"/> into a new array.</summary>
    /// <param name="path">The file (symbolic links are followed).</param>
    /// <param name="channels">Channels to decode to.</param>
    /// <param name="layout">Pixel order of the result.</param>
    /// <param name="limits">Caps on the file size and the declared pixel count; <see cref="ImageLimits.Default"/> when null.</param>
    /// <exception cref="InvalidDataException">The file, or the pixel count its header declares, exceeds <paramref name="limits"/>; the message names the file and the limit.</exception>
    /// <exception cref="InvalidDataException">Not a JPEG or PNG, or truncated or corrupt; the message starts with the path.</exception>
    /// <exception cref="IOException">The file cannot be opened or read (<see cref="FileNotFoundException"/> and kin name it).</exception>
    public static DecodedImage ReadFile(string path, ImageChannels channels = ImageChannels.Keep, ImageLayout layout = ImageLayout.Chw, ImageLimits? limits = null)
    {
        CheckOptions(channels, layout);
        limits ??= ImageLimits.Default;
        byte[] data = ReadBytes(path, limits);
        return Decode(data, channels, layout, limits, path);
    }

    /// <summary>
    /// Reads and decodes the JPEG or PNG file at <paramref name="path"/> into <paramref name="destination"/> (CHW), resizing
    /// it to the image: the data loader's path, one reused buffer per worker.
    /// </summary>
    /// <returns>The header, with <see cref="ImageInfo.Channels"/> the count written.</returns>
    /// <exception cref="InvalidDataException">The file, or the pixel count its header declares, exceeds <paramref name="limits"/>; the message names the file and the limit.</exception>
    /// <exception cref="InvalidDataException">Not a JPEG or PNG, or truncated or corrupt; the message starts with the path.</exception>
    /// <exception cref="IOException">The file cannot be opened or read.</exception>
    public static ImageInfo ReadFile(string path, ImageBuffer destination, ImageChannels channels = ImageChannels.Rgb, ImageLimits? limits = null)
    {
        ArgumentNullException.ThrowIfNull(destination);
        CheckOptions(channels, ImageLayout.Chw);
        limits ??= ImageLimits.Default;
        byte[] data = ReadBytes(path, limits);
        ImageInfo info = Plan(data, channels, limits, path);
        destination.Resize(info.Channels, info.Height, info.Width);
        DecodeCore(data, channels, ImageLayout.Chw, limits, path, info, destination.Pixels);
        return info;
    }

    /// <summary>
    /// Reads the whole file at <paramref name="path"/>, refusing one longer than <see cref="ImageLimits.MaxFileBytes"/>
    /// before reading it (or, for a device or pipe whose length is unknown, as soon as the limit is passed).
    /// </summary>
    /// <exception cref="InvalidDataException">The file is longer than the limit; the message names it and the limit.</exception>
    /// <exception cref="IOException">The file cannot be opened or read.</exception>
    public static byte[] ReadBytes(string path, ImageLimits? limits = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        long max = (limits ?? ImageLimits.Default).MaxFileBytes;
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 0, FileOptions.SequentialScan);
        // The opened file's length (fstat), so a symbolic link reports its target's size. Devices and pipes report 0.
        long length = stream.CanSeek ? stream.Length : 0;
        if (length > max)
        {
            throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture, $"{path}: the file is {length:N0} bytes, more than the image file limit of {max:N0} bytes (ImageLimits.MaxFileBytes)"));
        }
        byte[] buffer = new byte[length > 0 ? length : Math.Min(max, 64 * 1024)];
        int filled = 0;
        while (true)
        {
            if (filled == buffer.Length)
            {
                // Full: either the end (the usual case, the length was known) or a device, a pipe, or a file that grew.
                int next = stream.ReadByte();
                if (next < 0)
                {
                    break;
                }
                if (filled >= max)
                {
                    throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture, $"{path}: more than {max:N0} bytes were read, the image file limit (ImageLimits.MaxFileBytes)"));
                }
                Array.Resize(ref buffer, (int)Math.Min(max, Math.Max(2L * buffer.Length, 64 * 1024)));
                buffer[filled++] = (byte)next;
                continue;
            }
            int read = stream.Read(buffer, filled, buffer.Length - filled);
            if (read == 0)
            {
                break;
            }
            filled += read;
        }
        if (filled != buffer.Length)
        {
            Array.Resize(ref buffer, filled);
        }
        return buffer;
    }

    /// <summary>Encodes an 8-bit image as the bytes of a PNG file (lossless).</summary>
    /// <param name="pixels">channels × height × width bytes in <paramref name="layout"/>.</param>
    /// <param name="channels">1 (gray) or 3 (RGB).</param>
    /// <param name="height">Height, 1..65535.</param>
    /// <param name="width">Width, 1..65535.</param>
    /// <param name="layout">Pixel order of <paramref name="pixels"/>.</param>
    /// <exception cref="ArgumentException">Sizes that do not match or are out of range.</exception>
    public static byte[] EncodePng(ReadOnlySpan<byte> pixels, int channels, int height, int width, ImageLayout layout = ImageLayout.Chw) =>
        Encode(pixels, channels, height, width, layout, ImageFormat.Png, 0);

    /// <summary>Encodes an 8-bit image as the bytes of a baseline JPEG file (no chroma subsampling, accurate DCT).</summary>
    /// <param name="pixels">channels × height × width bytes in <paramref name="layout"/>.</param>
    /// <param name="channels">1 (gray) or 3 (RGB).</param>
    /// <param name="height">Height, 1..65535.</param>
    /// <param name="width">Width, 1..65535.</param>
    /// <param name="quality">JPEG quality, 1..100.</param>
    /// <param name="layout">Pixel order of <paramref name="pixels"/>.</param>
    /// <exception cref="ArgumentException">Sizes that do not match or are out of range.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="quality"/> is outside 1..100.</exception>
    public static byte[] EncodeJpeg(ReadOnlySpan<byte> pixels, int channels, int height, int width, int quality = 95, ImageLayout layout = ImageLayout.Chw)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(quality, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(quality, 100);
        return Encode(pixels, channels, height, width, layout, ImageFormat.Jpeg, quality);
    }

    private static void CheckOptions(ImageChannels channels, ImageLayout layout)
    {
        if (channels is not (ImageChannels.Keep or ImageChannels.Gray or ImageChannels.Rgb))
        {
            throw new ArgumentOutOfRangeException(nameof(channels), channels, "channels must be Keep, Gray or Rgb");
        }
        if (layout is not (ImageLayout.Chw or ImageLayout.Hwc))
        {
            throw new ArgumentOutOfRangeException(nameof(layout), layout, "layout must be Chw or Hwc");
        }
    }

    // Reads the header and applies the pixel cap before the caller allocates anything for the image.
    private static ImageInfo Plan(ReadOnlySpan<byte> data, ImageChannels channels, ImageLimits limits, string source)
    {
        ImageInfo info = ReadInfoCore(data, source);
        if (info.PixelCount > limits.MaxPixels)
        {
            string format = info.Format == ImageFormat.Png ? "PNG" : "JPEG";
            throw new InvalidDataException(
                string.Create(CultureInfo.InvariantCulture,
                    $"{source}: the {format} header declares {info.Width}x{info.Height} = {info.PixelCount:N0} pixels, more than the limit of {limits.MaxPixels:N0} pixels ") +
                "(ImageLimits.MaxPixels; refused before decoding, raise the limit if the image is genuine)");
        }
        return channels == ImageChannels.Keep ? info : info with { Channels = (int)channels };
    }

    private static unsafe ImageInfo ReadInfoCore(ReadOnlySpan<byte> data, string source)
    {
        Span<byte> message = stackalloc byte[CodecsNative.MessageCapacity];
        CodecsNative.NativeImageInfo native;
        int status;
        try
        {
            fixed (byte* pointer = data)
            fixed (byte* text = message)
            {
                status = CodecsNative.ReadInfo(pointer, data.Length, &native, text, message.Length);
            }
        }
        catch (DllNotFoundException e)
        {
            throw CodecsNative.NotFound(e);
        }
        CodecsNative.ThrowIfFailed(status, message, source);
        return native.ToInfo();
    }

    private static unsafe void DecodeCore(ReadOnlySpan<byte> data, ImageChannels channels, ImageLayout layout, ImageLimits limits, string source,
        ImageInfo planned, Span<byte> destination)
    {
        Span<byte> message = stackalloc byte[CodecsNative.MessageCapacity];
        CodecsNative.NativeImageInfo native;
        int status;
        try
        {
            fixed (byte* pointer = data)
            fixed (byte* output = destination)
            fixed (byte* text = message)
            {
                status = CodecsNative.Decode(pointer, data.Length, (int)channels, (int)layout, limits.MaxPixels, output, destination.Length, &native,
                    text, message.Length);
            }
        }
        catch (DllNotFoundException e)
        {
            throw CodecsNative.NotFound(e);
        }
        CodecsNative.ThrowIfFailed(status, message, source);
        if (native.ToInfo() != planned)
        {
            throw new InvalidOperationException($"{source}: du_codecs decoded {native.ToInfo()} where its header read promised {planned}");
        }
    }

    private static unsafe byte[] Encode(ReadOnlySpan<byte> pixels, int channels, int height, int width, ImageLayout layout, ImageFormat format, int quality)
    {
        if (channels is not (1 or 3))
        {
            throw new ArgumentOutOfRangeException(nameof(channels), channels, "an image to encode has 1 (gray) or 3 (RGB) channels");
        }
        if (height is < 1 or > 65535 || width is < 1 or > 65535)
        {
            throw new ArgumentOutOfRangeException(nameof(height), $"image height and width must be in 1..65535, got {height}x{width}");
        }
        if (layout is not (ImageLayout.Chw or ImageLayout.Hwc))
        {
            throw new ArgumentOutOfRangeException(nameof(layout), layout, "layout must be Chw or Hwc");
        }
        long expected = (long)channels * height * width;
        if (pixels.Length != expected)
        {
            throw new ArgumentException($"{pixels.Length} bytes are not a {channels}x{height}x{width} image ({expected} bytes)", nameof(pixels));
        }
        Span<byte> message = stackalloc byte[CodecsNative.MessageCapacity];
        byte* output = null;
        long size = 0;
        try
        {
            int status;
            fixed (byte* input = pixels)
            fixed (byte* text = message)
            {
                status = CodecsNative.Encode(input, channels, height, width, (int)layout, (int)format, quality, &output, &size, text, message.Length);
            }
            CodecsNative.ThrowIfFailed(status, message, format == ImageFormat.Png ? "PNG encoder" : "JPEG encoder");
            return new ReadOnlySpan<byte>(output, checked((int)size)).ToArray();
        }
        catch (DllNotFoundException e)
        {
            throw CodecsNative.NotFound(e);
        }
        finally
        {
            if (output != null)
            {
                CodecsNative.Free(output);
            }
        }
    }
}
