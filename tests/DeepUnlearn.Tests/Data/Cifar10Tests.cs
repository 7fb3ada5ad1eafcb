using System;
using System.IO;
using DeepUnlearn.Data;
using Xunit;

namespace DeepUnlearn.Tests.Data;

public class Cifar10Tests
{
    [Fact]
    public void Load_Train_ReadsBatchesInOrderWithExactPixelsAndLabels()
    {
        using var dir = new TempDirectory();
        DataFiles.WriteCifar10(dir.Path, perBatch: 5);
        InMemoryVisionDataset train = Cifar10.Load(dir.Path, DatasetSplit.Train);
        Assert.Equal(25, train.Count);
        Assert.Equal((3, 32, 32), (train.Channels, train.Height, train.Width));
        Assert.Equal(Cifar10.DefaultClassNames, train.ClassNames);
        Assert.Equal(10, train.NumClasses);
        Assert.Same(ChannelStatistics.Cifar10, train.Normalization);
        var buffer = new ImageBuffer();
        foreach (int id in new[] { 0, 4, 5, 13, 24 })
        {
            Assert.Equal(DataFiles.Cifar10Label(id), train.Label(id));
            train.Read(id, buffer);
            Assert.Equal((3, 32, 32), (buffer.Channels, buffer.Height, buffer.Width));
            Assert.Equal(DataFiles.Pixels(id, Cifar10.ImageLength), buffer.Pixels.ToArray());
        }
    }

    [Fact]
    public void Load_Test_ReadsTestBatch_FromParentFolder()
    {
        using var dir = new TempDirectory();
        DataFiles.WriteCifar10(dir.Combine("cifar-10-batches-bin"), perBatch: 5);
        InMemoryVisionDataset test = Cifar10.Load(dir.Path, DatasetSplit.Test);
        Assert.Equal(5, test.Count);
        Assert.Equal(DataFiles.Cifar10Label(25), test.Label(0));
        Assert.Equal(DataFiles.Pixels(27, Cifar10.ImageLength), test.Sample(2).ToArray());
    }

    [Fact]
    public void Load_MissingBatch_NamesItAndTheExpectedFiles()
    {
        using var dir = new TempDirectory();
        DataFiles.WriteCifar10(dir.Path, perBatch: 2);
        File.Delete(dir.Combine("data_batch_3.bin"));
        var e = Assert.Throws<FileNotFoundException>(() => Cifar10.Load(dir.Path, DatasetSplit.Train));
        Assert.Contains("missing data_batch_3.bin", e.Message, StringComparison.Ordinal);
        Assert.Contains("test_batch.bin", e.Message, StringComparison.Ordinal);
        Assert.Contains("batches.meta.txt", e.Message, StringComparison.Ordinal);
        // The test split does not need the training files.
        Assert.Equal(2, Cifar10.Load(dir.Path, DatasetSplit.Test).Count);
    }

    [Fact]
    public void Load_MissingDirectory_Throws()
    {
        var e = Assert.Throws<DirectoryNotFoundException>(() => Cifar10.Load("/nonexistent/cifar", DatasetSplit.Train));
        Assert.Contains("/nonexistent/cifar", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_FileNotWholeRecords_NamesFileAndRecordSize()
    {
        using var dir = new TempDirectory();
        DataFiles.WriteCifar10(dir.Path, perBatch: 2);
        using (var stream = new FileStream(dir.Combine("data_batch_2.bin"), FileMode.Append))
        {
            stream.WriteByte(1);
        }
        var e = Assert.Throws<InvalidDataException>(() => Cifar10.Load(dir.Path, DatasetSplit.Train));
        Assert.Contains("data_batch_2.bin", e.Message, StringComparison.Ordinal);
        Assert.Contains("3073-byte records", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_LabelOutOfRange_NamesFileRecordAndRange()
    {
        using var dir = new TempDirectory();
        DataFiles.WriteCifar10(dir.Path, perBatch: 3);
        byte[] bytes = File.ReadAllBytes(dir.Combine("test_batch.bin"));
        bytes[2 * Cifar10.RecordLength] = 10;
        File.WriteAllBytes(dir.Combine("test_batch.bin"), bytes);
        var e = Assert.Throws<InvalidDataException>(() => Cifar10.Load(dir.Path, DatasetSplit.Test));
        Assert.Contains("test_batch.bin: record 2 has label 10", e.Message, StringComparison.Ordinal);
        Assert.Contains("0..9", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_FilesAreSymbolicLinks_ReadsTheTargets()
    {
        // Issue 13 item 12: a folder of links (to a shared copy of the data) was refused, FileInfo.Length being the link's.
        using var store = new TempDirectory();
        DataFiles.WriteCifar10(store.Path, perBatch: 3);
        using var links = new TempDirectory();
        foreach (string file in Directory.GetFiles(store.Path))
        {
            File.CreateSymbolicLink(links.Combine(Path.GetFileName(file)), file);
        }
        InMemoryVisionDataset linked = Cifar10.Load(links.Path, DatasetSplit.Train);
        InMemoryVisionDataset direct = Cifar10.Load(store.Path, DatasetSplit.Train);
        Assert.Equal(15, linked.Count);
        Assert.Equal(direct.Labels.ToArray(), linked.Labels.ToArray());
        var a = new ImageBuffer();
        var b = new ImageBuffer();
        linked.Read(14, a);
        direct.Read(14, b);
        Assert.Equal(b.Pixels.ToArray(), a.Pixels.ToArray());
    }

    [Fact]
    public void Load_DuplicateClassNamesInMeta_NamesTheNameAndItsLabels()
    {
        using var dir = new TempDirectory();
        DataFiles.WriteCifar10(dir.Path, perBatch: 2);
        File.WriteAllLines(dir.Combine(Cifar10.MetaFile), ["airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "cat", "ship", "truck"]);
        var e = Assert.Throws<InvalidDataException>(() => Cifar10.Load(dir.Path, DatasetSplit.Train));
        Assert.Contains("class names must be unique", e.Message, StringComparison.Ordinal);
        Assert.Contains("'cat' names labels 3 and 7", e.Message, StringComparison.Ordinal);
    }
}
