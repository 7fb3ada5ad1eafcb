using System;
using System.Globalization;

namespace DeepUnlearn.Data.Transforms;

/// <summary>
/// Crops a random window of random area and aspect ratio and resizes it (torchvision's
/// RandomResizedCrop, the ImageNet training augmentation): up to 10 attempts draw an area fraction
/// uniformly in <c>scale</c> and a log-uniform aspect ratio in <c>ratio</c>; the first window that fits
/// is placed uniformly; otherwise the centre crop with the aspect ratio clamped to <c>ratio</c> is used.
/// </summary>
public sealed class RandomResizedCrop : IImageTransform
{
    /// <summary>A square output of <paramref name="size"/>, with torchvision's defaults scale (0.08, 1) and ratio (3/4, 4/3).</summary>
    public RandomResizedCrop(int size, double minScale = 0.08, double maxScale = 1.0, double minRatio = 3.0 / 4.0, double maxRatio = 4.0 / 3.0)
        : this(size, size, minScale, maxScale, minRatio, maxRatio)
    {
    }

    /// <summary>A <paramref name="height"/> × <paramref name="width"/> output.</summary>
    public RandomResizedCrop(int height, int width, double minScale, double maxScale, double minRatio, double maxRatio)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        if (!(minScale > 0 && minScale <= maxScale && maxScale <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(minScale), $"scale must satisfy 0 < min <= max <= 1, got ({minScale}, {maxScale})");
        }
        if (!(minRatio > 0 && minRatio <= maxRatio))
        {
            throw new ArgumentOutOfRangeException(nameof(minRatio), $"ratio must satisfy 0 < min <= max, got ({minRatio}, {maxRatio})");
        }
        Height = height;
        Width = width;
        MinScale = minScale;
        MaxScale = maxScale;
        MinRatio = minRatio;
        MaxRatio = maxRatio;
    }

    /// <summary>Output height.</summary>
    public int Height { get; }

    /// <summary>Output width.</summary>
    public int Width { get; }

    /// <summary>Smallest area fraction.</summary>
    public double MinScale { get; }

    /// <summary>Largest area fraction.</summary>
    public double MaxScale { get; }

    /// <summary>Smallest aspect ratio (width / height).</summary>
    public double MinRatio { get; }

    /// <summary>Largest aspect ratio (width / height).</summary>
    public double MaxRatio { get; }

    /// <summary>torchvision's <c>get_params</c>: the window (top, left, height, width) for an image of the given size.</summary>
    public (int Top, int Left, int Height, int Width) SampleWindow(int imageHeight, int imageWidth, DeterministicRandom random)
    {
        ArgumentNullException.ThrowIfNull(random);
        double area = (double)imageHeight * imageWidth;
        double logMin = Math.Log(MinRatio), logMax = Math.Log(MaxRatio);
        for (int attempt = 0; attempt < 10; attempt++)
        {
            double targetArea = area * random.Uniform(MinScale, MaxScale);
            double aspect = Math.Exp(random.Uniform(logMin, logMax));
            int w = (int)Math.Round(Math.Sqrt(targetArea * aspect), MidpointRounding.ToEven);
            int h = (int)Math.Round(Math.Sqrt(targetArea / aspect), MidpointRounding.ToEven);
            if (w > 0 && w <= imageWidth && h > 0 && h <= imageHeight)
            {
                int top = random.NextInt(imageHeight - h + 1);
                int left = random.NextInt(imageWidth - w + 1);
                return (top, left, h, w);
            }
        }
        // Fallback: the central crop with the aspect ratio clamped to [MinRatio, MaxRatio].
        double inRatio = (double)imageWidth / imageHeight;
        int cropWidth, cropHeight;
        if (inRatio < MinRatio)
        {
            cropWidth = imageWidth;
            cropHeight = (int)Math.Round(cropWidth / MinRatio, MidpointRounding.ToEven);
        }
        else if (inRatio > MaxRatio)
        {
            cropHeight = imageHeight;
            cropWidth = (int)Math.Round(cropHeight * MaxRatio, MidpointRounding.ToEven);
        }
        else
        {
            cropWidth = imageWidth;
            cropHeight = imageHeight;
        }
        return ((imageHeight - cropHeight) / 2, (imageWidth - cropWidth) / 2, cropHeight, cropWidth);
    }

    /// <inheritdoc />
    public void Apply(TransformContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.TryTakeSource(out ImageBuffer bytes))
        {
            // Straight from the uint8 pixels: only the window is converted.
            var (t, l, wh, ww) = SampleWindow(bytes.Height, bytes.Width, context.Random);
            Resampling.ResizeRegion(bytes, t, l, wh, ww, context.Scratch, Height, Width);
            context.SwapBuffers();
            return;
        }
        FloatImage image = context.Image;
        var (top, left, h, w) = SampleWindow(image.Height, image.Width, context.Random);
        Resampling.ResizeRegion(image, top, left, h, w, context.Scratch, Height, Width);
        context.SwapBuffers();
    }

    /// <inheritdoc />
    public override string ToString() => string.Create(
        CultureInfo.InvariantCulture,
        $"RandomResizedCrop({Height}x{Width}, scale=({MinScale:0.###}, {MaxScale:0.###}), ratio=({MinRatio:0.###}, {MaxRatio:0.###}))");
}
