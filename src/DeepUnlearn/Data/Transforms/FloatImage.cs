using System;

namespace DeepUnlearn.Data.Transforms;

/// <summary>
/// A reusable float32 image in CHW layout, the working format of transforms (pixel values start in
/// [0, 1], as after torchvision's ToTensor). The storage grows but never shrinks.
/// </summary>
public sealed class FloatImage
{
    private float[] _data = [];

    /// <summary>An empty image (resize it before use).</summary>
    public FloatImage()
    {
    }

    /// <summary>An image of the given size with zero pixels.</summary>
    public FloatImage(int channels, int height, int width)
    {
        Resize(channels, height, width);
        Pixels.Clear();
    }

    /// <summary>Number of channels.</summary>
    public int Channels { get; private set; }

    /// <summary>Height in pixels.</summary>
    public int Height { get; private set; }

    /// <summary>Width in pixels.</summary>
    public int Width { get; private set; }

    /// <summary>Pixels per channel plane (height × width).</summary>
    public int PlaneLength => Height * Width;

    /// <summary>Channels × height × width.</summary>
    public int Length => Channels * Height * Width;

    /// <summary>The pixels, CHW.</summary>
    public Span<float> Pixels => _data.AsSpan(0, Length);

    /// <summary>Channel <paramref name="channel"/>'s plane, row-major.</summary>
    public Span<float> Plane(int channel) => _data.AsSpan(channel * PlaneLength, PlaneLength);

    /// <summary>Row <paramref name="y"/> of channel <paramref name="channel"/>.</summary>
    public Span<float> Row(int channel, int y) => _data.AsSpan((channel * PlaneLength) + (y * Width), Width);

    /// <summary>Sets the size, growing the storage when needed; pixel values are then unspecified.</summary>
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
            _data = new float[length];
        }
        Channels = channels;
        Height = height;
        Width = width;
    }

    /// <summary>Loads a uint8 image, scaling values to [0, 1] (x / 255, torchvision's ToTensor).</summary>
    public void LoadFrom(ImageBuffer source)
    {
        ArgumentNullException.ThrowIfNull(source);
        LoadFrom(source.Pixels, source.Channels, source.Height, source.Width);
    }

    /// <summary>Loads uint8 CHW pixels, scaling values to [0, 1].</summary>
    public void LoadFrom(ReadOnlySpan<byte> pixels, int channels, int height, int width)
    {
        Resize(channels, height, width);
        if (pixels.Length != Length)
        {
            throw new ArgumentException($"{pixels.Length} bytes do not make a {channels}x{height}x{width} image", nameof(pixels));
        }
        ByteScale.Convert(pixels, Pixels);
    }

    /// <summary>Makes this image a copy of <paramref name="source"/>.</summary>
    public void CopyFrom(FloatImage source)
    {
        ArgumentNullException.ThrowIfNull(source);
        Resize(source.Channels, source.Height, source.Width);
        source.Pixels.CopyTo(Pixels);
    }

    /// <summary>The pixel at (channel, y, x).</summary>
    public float this[int channel, int y, int x]
    {
        get => _data[(channel * PlaneLength) + (y * Width) + x];
        set => _data[(channel * PlaneLength) + (y * Width) + x] = value;
    }
}
