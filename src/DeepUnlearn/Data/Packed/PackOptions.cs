using System;

namespace DeepUnlearn.Data.Packed;

/// <summary>How <see cref="PackedStore"/> packs images.</summary>
public sealed record PackOptions
{
    /// <summary>
    /// The default short side, 256: the size the standard ImageNet evaluation resizes to before its 224 centre crop
    /// (torchvision's reference, <c>Resize(256)</c> + <c>CenterCrop(224)</c>), so evaluation from the store sees what it
    /// sees from the JPEGs (to within the store's rounding to uint8), and RandomResizedCrop(224) for training draws
    /// its windows from 256-pixel images, which is more than the 224 output for every window of at least 77% of the
    /// short side. 160 stores 2.6× fewer bytes (ImageNet-100 train: about 13 GB against 34 GB) and suits low-resolution
    /// training (e.g. FFCV-style 160-px epochs); evaluation at 224 then upsamples.
    /// </summary>
    public const int DefaultShortSide = 256;

    private readonly int _shortSide = DefaultShortSide;
    private readonly int _workers = Environment.ProcessorCount;

    /// <summary>Every image is resized (antialiased bilinear, as <see cref="Transforms.Resize"/>) so its shorter side is this.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Below 8 or above 4096.</exception>
    public int ShortSide
    {
        get => _shortSide;
        init
        {
            if (value is < 8 or > 4096)
            {
                throw new ArgumentOutOfRangeException(nameof(ShortSide), value, "the short side must be in 8..4096 pixels");
            }
            _shortSide = value;
        }
    }

    /// <summary>Decoding threads (the machine's cores by default).</summary>
    /// <exception cref="ArgumentOutOfRangeException">Below 1.</exception>
    public int Workers
    {
        get => _workers;
        init
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1, nameof(Workers));
            _workers = value;
        }
    }
}
