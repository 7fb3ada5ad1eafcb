using System;
using System.Globalization;
using System.Runtime.CompilerServices;

namespace DeepUnlearn.Data.Transforms;

/// <summary>Mirrors the image left-right with probability p (torchvision's RandomHorizontalFlip).</summary>
public sealed class RandomHorizontalFlip : IImageTransform
{
    /// <summary>Flips with probability <paramref name="probability"/> (0.5 by default).</summary>
    public RandomHorizontalFlip(double probability = 0.5)
    {
        if (!(probability >= 0 && probability <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(probability), probability, "the flip probability must be in [0, 1]");
        }
        Probability = probability;
    }

    /// <summary>The flip probability.</summary>
    public double Probability { get; }

    /// <inheritdoc />
    public void Apply(TransformContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (Draw(context))
        {
            Flip(context.Image);
        }
    }

    /// <summary>Whether this sample is mirrored: the one draw <see cref="Apply"/> makes (the batch loader draws it when it mirrors elsewhere).</summary>
    internal bool Draw(TransformContext context) => context.Random.NextDouble() < Probability;

    /// <summary>Mirrors <paramref name="image"/> left-right in place.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Flip(FloatImage image)
    {
        ArgumentNullException.ThrowIfNull(image);
        for (int c = 0; c < image.Channels; c++)
        {
            for (int y = 0; y < image.Height; y++)
            {
                image.Row(c, y).Reverse();
            }
        }
    }

    /// <inheritdoc />
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"RandomHorizontalFlip(p={Probability})");
}
