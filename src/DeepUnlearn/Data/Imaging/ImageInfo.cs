namespace DeepUnlearn.Data.Imaging;

/// <summary>What an image file's header says, read without decoding the pixels.</summary>
/// <param name="Format">JPEG or PNG.</param>
/// <param name="Width">Width in pixels (at least 1).</param>
/// <param name="Height">Height in pixels (at least 1).</param>
/// <param name="Channels">
/// From <see cref="ImageCodec.ReadInfo"/>: what <see cref="ImageChannels.Keep"/> decodes to (1 or 3). From a decode: the
/// channel count written.
/// </param>
public readonly record struct ImageInfo(ImageFormat Format, int Width, int Height, int Channels)
{
    /// <summary>Width × height.</summary>
    public long PixelCount => (long)Width * Height;

    /// <summary>Channels × height × width: the bytes a decode writes.</summary>
    public long ByteCount => PixelCount * Channels;
}
