using System;

namespace DeepUnlearn.Data.Imaging;

/// <summary>A decoded 8-bit image: its pixels and the dimensions that give them meaning.</summary>
public sealed class DecodedImage
{
    /// <summary>Wraps <paramref name="pixels"/> (not copied).</summary>
    /// <exception cref="ArgumentException">The array's length is not channels × height × width.</exception>
    public DecodedImage(byte[] pixels, int channels, int height, int width, ImageLayout layout, ImageFormat format)
    {
        ArgumentNullException.ThrowIfNull(pixels);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(channels);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        if (pixels.LongLength != (long)channels * height * width)
        {
            throw new ArgumentException($"{pixels.LongLength} bytes are not a {channels}x{height}x{width} image", nameof(pixels));
        }
        Pixels = pixels;
        Channels = channels;
        Height = height;
        Width = width;
        Layout = layout;
        Format = format;
    }

    /// <summary>The pixels, channels × height × width bytes in <see cref="Layout"/>.</summary>
    /// <remarks>An array, so a tensor can be made from it without a copy of a copy.</remarks>
    public byte[] Pixels { get; }

    /// <summary>1 (gray) or 3 (RGB).</summary>
    public int Channels { get; }

    /// <summary>Height in pixels.</summary>
    public int Height { get; }

    /// <summary>Width in pixels.</summary>
    public int Width { get; }

    /// <summary>How <see cref="Pixels"/> is ordered.</summary>
    public ImageLayout Layout { get; }

    /// <summary>The format the image was decoded from.</summary>
    public ImageFormat Format { get; }

    /// <summary>The shape of <see cref="Pixels"/>: [C, H, W] or [H, W, C].</summary>
    public long[] Shape => Layout == ImageLayout.Chw ? [Channels, Height, Width] : [Height, Width, Channels];
}
