using System.Collections.Generic;
using System.IO;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace DeepUnlearn.Data;

/// <summary>
/// Reads CIFAR-10 in its binary distribution (<c>cifar-10-binary.tar.gz</c>, extracted to
/// <c>cifar-10-batches-bin/</c>): <c>data_batch_1.bin</c> … <c>data_batch_5.bin</c> (training, in that
/// order), <c>test_batch.bin</c> and <c>batches.meta.txt</c> (class names). Each record is one label byte
/// followed by 3072 pixel bytes: the 32×32 red plane, then green, then blue, each row-major (CHW).
/// </summary>
public static class Cifar10
{
    /// <summary>Bytes per record: 1 label + 3 × 32 × 32 pixels.</summary>
    public const int RecordLength = 1 + ImageLength;

    /// <summary>Bytes of pixels per image.</summary>
    public const int ImageLength = 3 * 32 * 32;

    /// <summary>The training files in canonical order.</summary>
    public static IReadOnlyList<string> TrainFiles { get; } = ["data_batch_1.bin", "data_batch_2.bin", "data_batch_3.bin", "data_batch_4.bin", "data_batch_5.bin"];

    /// <summary>The test file.</summary>
    public const string TestFile = "test_batch.bin";

    /// <summary>The class-name file.</summary>
    public const string MetaFile = "batches.meta.txt";

    /// <summary>CIFAR-10's class names, as in <c>batches.meta.txt</c>.</summary>
    public static IReadOnlyList<string> DefaultClassNames { get; } =
        ["airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck"];

    /// <summary>Loads one split from <paramref name="directory"/> (the <c>cifar-10-batches-bin</c> folder or its parent).</summary>
    /// <exception cref="FileNotFoundException">A file of the split is missing (the message lists the expected files).</exception>
    /// <exception cref="InvalidDataException">A file has the wrong length or a label out of range.</exception>
    public static InMemoryVisionDataset Load(string directory, DatasetSplit split, ILogger? logger = null)
    {
        IReadOnlyList<string> files = split == DatasetSplit.Train ? TrainFiles : [TestFile];
        string[] expected = [.. TrainFiles, TestFile, MetaFile];
        string folder = DatasetFiles.Resolve(directory, "cifar-10-batches-bin", [.. files, MetaFile], expected, "CIFAR-10 (binary version)");
        string[] names = DatasetFiles.ReadNames(Path.Combine(folder, MetaFile));
        var (pixels, labels) = CifarBinary.Read(folder, files, labelBytes: 1, labelIndex: 0, names.Length);
        DataLog.DatasetLoaded(logger ?? NullLogger.Instance, "CIFAR-10", split, labels.Length, folder);
        return new InMemoryVisionDataset("cifar10", pixels, labels, 3, 32, 32, names, ChannelStatistics.Cifar10);
    }
}
