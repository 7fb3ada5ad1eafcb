using System;

namespace DeepUnlearn.Data.Transforms;

/// <summary>
/// Resizes with antialiased bilinear interpolation (torchvision's Resize on PIL images). With one size
/// the shorter side becomes that size and the longer keeps the aspect ratio (truncated, as torchvision);
/// with two the image becomes exactly height × width.
/// </summary>
public sealed class Resize : IImageTransform
{
    /// <summary>Resizes the shorter side to <paramref name="shorterSide"/>, keeping the aspect ratio.</summary>
    public Resize(int shorterSide)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(shorterSide);
        ShorterSide = shorterSide;
    }

    /// <summary>Resizes to exactly <paramref name="height"/> × <paramref name="width"/>.</summary>
    public Resize(int height, int width)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        Height = height;
        Width = width;
    }

    /// <summary>The target of the shorter side, or null for an exact size.</summary>
    public int? ShorterSide { get; }

    /// <summary>The exact target height, or null.</summary>
    public int? Height { get; }

    /// <summary>The exact target width, or null.</summary>
    public int? Width { get; }

    /// <summary>The output size for an input of <paramref name="height"/> × <paramref name="width"/>.</summary>
    public (int Height, int Width) OutputSize(int height, int width)
    {
        if (ShorterSide is not int size)
        {
            return (Height!.Value, Width!.Value);
        }
        // torchvision _compute_resized_output_size: long side = int(size * long / short).
        return width <= height
            ? ((int)((long)size * height / width), size)
            : (size, (int)((long)size * width / height));
    }

    /// <inheritdoc />
    public void Apply(TransformContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.TryPeekSource(out ImageBuffer pending))
        {
            var (h, w) = OutputSize(pending.Height, pending.Width);
            if (h == pending.Height && w == pending.Width)
            {
                return; // Already the size (e.g. a packed store's short side): the bytes stay pending.
            }
            context.TryTakeSource(out ImageBuffer bytes);
            Resampling.ResizeRegion(bytes, 0, 0, bytes.Height, bytes.Width, context.Scratch, h, w);
            context.SwapBuffers();
            return;
        }
        FloatImage image = context.Image;
        var (height, width) = OutputSize(image.Height, image.Width);
        if (height == image.Height && width == image.Width)
        {
            return;
        }
        Resampling.ResizeRegion(image, 0, 0, image.Height, image.Width, context.Scratch, height, width);
        context.SwapBuffers();
    }

    /// <inheritdoc />
    public override string ToString() => ShorterSide is int size ? $"Resize({size})" : $"Resize({Height}x{Width})";
}
