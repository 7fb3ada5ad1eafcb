using System;

namespace DeepUnlearn.Data.Transforms;

/// <summary>
/// Crops the centre (torchvision's CenterCrop): top = round((H − h) / 2), left = round((W − w) / 2),
/// rounding halves to even as Python does; a dimension smaller than the crop is zero-padded, with the
/// extra pixel of an odd padding at the bottom/right.
/// </summary>
public sealed class CenterCrop : IImageTransform
{
    /// <summary>A square centre crop.</summary>
    public CenterCrop(int size)
        : this(size, size)
    {
    }

    /// <summary>A <paramref name="height"/> × <paramref name="width"/> centre crop.</summary>
    public CenterCrop(int height, int width)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        Height = height;
        Width = width;
    }

    /// <summary>Output height.</summary>
    public int Height { get; }

    /// <summary>Output width.</summary>
    public int Width { get; }

    /// <summary>The top-left corner of the centre crop of <paramref name="size"/> from an image of <paramref name="imageSize"/> (one dimension).</summary>
    public static int Offset(int imageSize, int size) =>
        imageSize >= size ? (int)Math.Round((imageSize - size) / 2.0, MidpointRounding.ToEven) : -((size - imageSize) / 2);

    /// <inheritdoc />
    public void Apply(TransformContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.TryPeekSource(out ImageBuffer pending) && pending.Height >= Height && pending.Width >= Width)
        {
            // Straight from the uint8 pixels: only the crop is converted (no padding needed).
            context.TryTakeSource(out ImageBuffer bytes);
            int top = Offset(bytes.Height, Height), left = Offset(bytes.Width, Width);
            FloatImage crop = context.Scratch;
            crop.Resize(bytes.Channels, Height, Width);
            for (int c = 0; c < bytes.Channels; c++)
            {
                for (int y = 0; y < Height; y++)
                {
                    ByteScale.Convert(bytes.Pixels.Slice((((c * bytes.Height) + top + y) * bytes.Width) + left, Width), crop.Row(c, y));
                }
            }
            context.SwapBuffers();
            return;
        }
        FloatImage image = context.Image;
        if (image.Height == Height && image.Width == Width)
        {
            return;
        }
        ImageOps.Crop(image, context.Scratch, Offset(image.Height, Height), Offset(image.Width, Width), Height, Width);
        context.SwapBuffers();
    }

    /// <inheritdoc />
    public override string ToString() => $"CenterCrop({Height}x{Width})";
}
