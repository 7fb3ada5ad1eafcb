using System;
using DeepUnlearn.Data.Transforms;

namespace DeepUnlearn.Data;

/// <summary>Conveniences over <see cref="IVisionDataset"/>.</summary>
public static class VisionDatasetExtensions
{
    /// <summary>
    /// Reads sample <paramref name="id"/> as float32 CHW scaled to [0, 1] (torchvision's ToTensor) into
    /// <paramref name="destination"/>, which must hold exactly its channels × height × width values.
    /// </summary>
    /// <param name="dataset">The dataset.</param>
    /// <param name="id">The sample id.</param>
    /// <param name="destination">Where the values go.</param>
    /// <param name="scratch">A reusable uint8 buffer (one is allocated when null).</param>
    public static void ReadFloat(this IVisionDataset dataset, int id, Span<float> destination, ImageBuffer? scratch = null)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        scratch ??= new ImageBuffer();
        dataset.Read(id, scratch);
        if (destination.Length != scratch.Length)
        {
            throw new ArgumentException(
                $"destination holds {destination.Length} values, sample {id} is {scratch.Channels}x{scratch.Height}x{scratch.Width} ({scratch.Length})",
                nameof(destination));
        }
        ByteScale.Convert(scratch.Pixels, destination);
    }

    /// <summary>Reads sample <paramref name="id"/> as float32 CHW in [0, 1] into <paramref name="destination"/> (resized to fit).</summary>
    public static void ReadFloat(this IVisionDataset dataset, int id, FloatImage destination, ImageBuffer? scratch = null)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(destination);
        scratch ??= new ImageBuffer();
        dataset.Read(id, scratch);
        destination.LoadFrom(scratch);
    }

    /// <summary>The number of samples of each class among <paramref name="ids"/> (all samples when empty).</summary>
    public static int[] ClassCounts(this IVisionDataset dataset, ReadOnlySpan<int> ids = default)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        var counts = new int[dataset.NumClasses];
        ReadOnlySpan<int> labels = dataset.Labels.Span;
        if (ids.IsEmpty)
        {
            foreach (int label in labels)
            {
                counts[label]++;
            }
        }
        else
        {
            foreach (int id in ids)
            {
                counts[dataset.Label(id)]++;
            }
        }
        return counts;
    }
}
