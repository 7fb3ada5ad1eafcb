using System.IO;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace DeepUnlearn.Data;

/// <summary>
/// Reads CIFAR-100 in its binary distribution (<c>cifar-100-binary.tar.gz</c>, extracted to
/// <c>cifar-100-binary/</c>): <c>train.bin</c>, <c>test.bin</c>, <c>fine_label_names.txt</c> and
/// <c>coarse_label_names.txt</c>. Each record is the coarse label byte, the fine label byte and 3072
/// pixel bytes (red, green, blue planes of 32×32, row-major).
/// </summary>
public static class Cifar100
{
    /// <summary>Bytes per record: 2 labels + 3 × 32 × 32 pixels.</summary>
    public const int RecordLength = 2 + Cifar10.ImageLength;

    /// <summary>The training file.</summary>
    public const string TrainFile = "train.bin";

    /// <summary>The test file.</summary>
    public const string TestFile = "test.bin";

    /// <summary>The fine class-name file.</summary>
    public const string FineNamesFile = "fine_label_names.txt";

    /// <summary>The coarse class-name file.</summary>
    public const string CoarseNamesFile = "coarse_label_names.txt";

    /// <summary>Loads one split from <paramref name="directory"/> (the <c>cifar-100-binary</c> folder or its parent).</summary>
    /// <exception cref="FileNotFoundException">A file of the split is missing (the message lists the expected files).</exception>
    /// <exception cref="InvalidDataException">A file has the wrong length or a label out of range.</exception>
    public static InMemoryVisionDataset Load(string directory, DatasetSplit split, Cifar100Labels labels = Cifar100Labels.Fine, ILogger? logger = null)
    {
        string file = split == DatasetSplit.Train ? TrainFile : TestFile;
        string namesFile = labels == Cifar100Labels.Fine ? FineNamesFile : CoarseNamesFile;
        string[] expected = [TrainFile, TestFile, FineNamesFile, CoarseNamesFile];
        string folder = DatasetFiles.Resolve(directory, "cifar-100-binary", [file, namesFile], expected, "CIFAR-100 (binary version)");
        string[] names = DatasetFiles.ReadNames(Path.Combine(folder, namesFile));
        var (pixels, values) = CifarBinary.Read(folder, [file], labelBytes: 2, labelIndex: labels == Cifar100Labels.Fine ? 1 : 0, names.Length);
        DataLog.DatasetLoaded(logger ?? NullLogger.Instance, labels == Cifar100Labels.Fine ? "CIFAR-100" : "CIFAR-100 (coarse)", split, values.Length, folder);
        string name = labels == Cifar100Labels.Fine ? "cifar100" : "cifar100-coarse";
        return new InMemoryVisionDataset(name, pixels, values, 3, 32, 32, names, ChannelStatistics.Cifar100);
    }
}
