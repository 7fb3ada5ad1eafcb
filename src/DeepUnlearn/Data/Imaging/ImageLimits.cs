using System;

namespace DeepUnlearn.Data.Imaging;

/// <summary>
/// Limits that stop a hostile or broken image file before it costs memory: the size of the file read, and the
/// pixel count its header declares, checked before anything proportional to the image is allocated (a 69-byte PNG
/// can declare 20000 × 20000 pixels, 1.2 GB of RGB).
/// </summary>
public sealed record ImageLimits
{
    /// <summary>The default pixel cap: 64 Mi pixels (67,108,864, e.g. 8192 × 8192).</summary>
    /// <remarks>
    /// Sized for ImageNet-style photo folders: ILSVRC-2012's images average about 470 × 390 and a 50-megapixel
    /// camera photo fits, while a decoded RGB image stays at most 192 MiB (plus at most 4 bytes per pixel of
    /// transient scratch), so a loader with a few decoding workers cannot be pushed past a few GiB. Pillow, which
    /// torchvision's ImageFolder uses, warns at 89.5 megapixels and refuses twice that; our cap is lower because
    /// it is an error, not a warning. Raise <see cref="MaxPixels"/> for genuinely larger images (satellite, slides).
    /// </remarks>
    public const long DefaultMaxPixels = 64L * 1024 * 1024;

    /// <summary>The default file-size cap: 256 MiB, more than any JPEG or PNG within <see cref="DefaultMaxPixels"/> needs.</summary>
    public const long DefaultMaxFileBytes = 256L * 1024 * 1024;

    private readonly long _maxPixels = DefaultMaxPixels;
    private readonly long _maxFileBytes = DefaultMaxFileBytes;

    /// <summary>The defaults: <see cref="DefaultMaxPixels"/> and <see cref="DefaultMaxFileBytes"/>.</summary>
    public static ImageLimits Default { get; } = new();

    /// <summary>The largest width × height a header may declare; more is refused before decoding.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is below 1.</exception>
    public long MaxPixels
    {
        get => _maxPixels;
        init
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1, nameof(MaxPixels));
            _maxPixels = value;
        }
    }

    /// <summary>The largest image file <see cref="ImageCodec.ReadBytes"/> (and so every <c>ImageCodec.ReadFile</c>) reads, in bytes; a larger file is refused unread.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is below 1 or above <see cref="Array.MaxLength"/>.</exception>
    public long MaxFileBytes
    {
        get => _maxFileBytes;
        init
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1, nameof(MaxFileBytes));
            ArgumentOutOfRangeException.ThrowIfGreaterThan(value, Array.MaxLength, nameof(MaxFileBytes));
            _maxFileBytes = value;
        }
    }
}
