using System.Collections.Generic;
using Microsoft.Extensions.Logging;

namespace DeepUnlearn.Data;

/// <summary>
/// Fashion-MNIST (Xiao et al. 2017): 28×28 gray images of 10 clothing classes, 60,000 for training and
/// 10,000 for testing, in IDX format. The default location is Debian's <c>dataset-fashion-mnist</c>
/// package, which makes it DeepUnlearn's built-in dataset (name <c>fashion-mnist</c>).
/// </summary>
public static class FashionMnist
{
    /// <summary>Where Debian's <c>dataset-fashion-mnist</c> installs the files.</summary>
    public const string DefaultDirectory = "/usr/share/datasets/fashion-mnist";

    /// <summary>The catalogue name.</summary>
    public const string Name = "fashion-mnist";

    /// <summary>The 10 class names, by label.</summary>
    public static IReadOnlyList<string> ClassNames { get; } =
        ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"];

    /// <summary>Loads one split from <paramref name="directory"/> (Debian's location by default).</summary>
    /// <exception cref="System.IO.DirectoryNotFoundException">The folder is missing (install <c>dataset-fashion-mnist</c>).</exception>
    public static InMemoryVisionDataset Load(DatasetSplit split, string? directory = null, ILogger? logger = null)
    {
        string folder = directory ?? DefaultDirectory;
        if (directory is null && !System.IO.Directory.Exists(folder))
        {
            throw new System.IO.DirectoryNotFoundException(
                $"Fashion-MNIST is not installed at {DefaultDirectory}: 'sudo apt-get install dataset-fashion-mnist' (Debian/Ubuntu), or give the folder holding its IDX files");
        }
        return IdxDataset.Load(folder, split, ClassNames, Name, ChannelStatistics.FashionMnist, logger);
    }
}
