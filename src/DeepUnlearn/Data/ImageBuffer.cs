using System;

namespace DeepUnlearn.Data;

/// <summary>
/// A reusable uint8 image in CHW layout (channel planes, each row-major). Readers resize it to the
/// sample they write; the storage grows but never shrinks, so a worker reuses one buffer for every
/// sample it reads.
/// </summary>
public sealed class ImageBuffer
{
    private byte[] _data = [];

    /// <summary>Number of channels (1 gray, 3 RGB).</summary>
    public int Channels { get; private set; }

    /// <summary>Height in pixels.</summary>
    public int Height { get; private set; }

    /// <summary>Width in pixels.</summary>
    public int Width { get; private set; }

    /// <summary>Channels × height × width.</summary>
    public int Length => Channels * Height * Width;

    /// <summary>The pixels of the current image, CHW.</summary>
    public Span<byte> Pixels => _data.AsSpan(0, Length);

    /// <summary>Sets the image size, growing the storage when needed; the pixel values are then unspecified.</summary>
    public void Resize(int channels, int height, int width)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(channels);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        long length = (long)channels * height * width;
        if (length > Array.MaxLength)
        {
            throw new ArgumentOutOfRangeException(nameof(height), $"an image of {channels}x{height}x{width} is too large");
        }
        if (_data.Length < length)
        {
            _data = new byte[length];
        }
        Channels = channels;
        Height = height;
        Width = width;
    }
}
