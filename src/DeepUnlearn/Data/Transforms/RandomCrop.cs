using System;

namespace DeepUnlearn.Data.Transforms;

/// <summary>
/// Pads the image with zeros on every side, then crops a random window (torchvision's
/// <c>RandomCrop(size, padding)</c>, the CIFAR augmentation <c>RandomCrop(32, padding=4)</c>).
/// The window's top and left are uniform over every position that fits the padded image.
/// </summary>
public sealed class RandomCrop : IImageTransform
{
    /// <summary>A square crop of <paramref name="size"/> after <paramref name="padding"/> zero pixels on each side.</summary>
    public RandomCrop(int size, int padding = 0)
        : this(size, size, padding)
    {
    }

    /// <summary>A <paramref name="height"/> × <paramref name="width"/> crop after zero padding.</summary>
    public RandomCrop(int height, int width, int padding)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegative(padding);
        Height = height;
        Width = width;
        Padding = padding;
    }

    /// <summary>Output height.</summary>
    public int Height { get; }

    /// <summary>Output width.</summary>
    public int Width { get; }

    /// <summary>Zero padding added to each side before cropping.</summary>
    public int Padding { get; }

    /// <inheritdoc />
    public void Apply(TransformContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        FloatImage image = context.Image;
        int paddedHeight = image.Height + (2 * Padding);
        int paddedWidth = image.Width + (2 * Padding);
        if (paddedHeight < Height || paddedWidth < Width)
        {
            throw new InvalidOperationException(
                $"RandomCrop({Height}x{Width}, padding={Padding}) does not fit sample {context.SampleId} of {image.Height}x{image.Width}; resize it first");
        }
        // torchvision: i = randint(0, h - th + 1), then j = randint(0, w - tw + 1), in the padded image.
        int i = context.Random.NextInt(paddedHeight - Height + 1);
        int j = context.Random.NextInt(paddedWidth - Width + 1);
        ImageOps.Crop(image, context.Scratch, i - Padding, j - Padding, Height, Width);
        context.SwapBuffers();
    }

    /// <inheritdoc />
    public override string ToString() => $"RandomCrop({Height}x{Width}, padding={Padding})";
}
