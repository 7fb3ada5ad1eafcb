using System;
using DeepUnlearn.Data;

namespace DeepUnlearn.Bayesian;

/// <summary>
/// Fashion-MNIST as a tabular set for Bayesian logistic regression: each 28 × 28 image becomes its
/// (28/s)² block means of pixel/255 over s × s blocks (s = 4 by default: 49 features in [0, 1]). Block means
/// keep the coarse shape that separates the classes while making a multiclass model of (K − 1)(D + 1) = 450
/// parameters, small enough for variational inference and a full covariance on two CPU cores. The map is
/// fixed (no statistics of the data), so the features of the remaining rows do not depend on the erased ones.
/// Row ids are Fashion-MNIST's ids (file order).
/// </summary>
public static class FashionMnistFeatures
{
    /// <summary>The default block size s.</summary>
    public const int DefaultBlock = 4;

    /// <summary>Loads <paramref name="split"/> from <paramref name="directory"/> (Debian's location by default) as block-mean features.</summary>
    /// <param name="split">Train (60,000 images) or test (10,000).</param>
    /// <param name="block">The block size s; one of 1, 2, 4, 7, 14, 28 (it must divide 28).</param>
    /// <param name="directory">The folder holding the IDX files; Debian's <c>dataset-fashion-mnist</c> location when null.</param>
    public static ClassificationData Load(DatasetSplit split = DatasetSplit.Train, int block = DefaultBlock, string? directory = null)
    {
        if (block < 1 || 28 % block != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(block), block, "the block size must divide 28: 1, 2, 4, 7, 14 or 28");
        }
        InMemoryVisionDataset dataset = FashionMnist.Load(split, directory);
        return FromDataset(dataset, block);
    }

    /// <summary>Block-mean features of any single-channel dataset of 28 × 28 images.</summary>
    public static ClassificationData FromDataset(IVisionDataset dataset, int block = DefaultBlock)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        if (dataset.Channels != 1 || dataset.Height != 28 || dataset.Width != 28)
        {
            throw new ArgumentException($"expected 1 x 28 x 28 images; '{dataset.Name}' has {dataset.Channels} x {dataset.Height} x {dataset.Width}", nameof(dataset));
        }
        if (block < 1 || 28 % block != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(block), block, "the block size must divide 28: 1, 2, 4, 7, 14 or 28");
        }
        int side = 28 / block;
        int d = side * side;
        var features = new double[(long)dataset.Count * d];
        var labels = new int[dataset.Count];
        var buffer = new ImageBuffer();
        double scale = 1.0 / (255.0 * block * block);
        for (int id = 0; id < dataset.Count; id++)
        {
            dataset.Read(id, buffer);
            ReadOnlySpan<byte> pixels = buffer.Pixels;
            Span<double> row = features.AsSpan(id * d, d);
            for (int y = 0; y < 28; y++)
            {
                int rowBase = y / block * side;
                for (int x = 0; x < 28; x++)
                {
                    row[rowBase + (x / block)] += pixels[(y * 28) + x];
                }
            }
            for (int j = 0; j < d; j++)
            {
                row[j] *= scale;
            }
            labels[id] = dataset.Label(id);
        }
        return new ClassificationData(features, labels, d, dataset.NumClasses, dataset.ClassNames);
    }
}
