using System;
using System.IO;
using DeepUnlearn.Data;
using Xunit;

namespace DeepUnlearn.Tests.Data;

public class Cifar100Tests
{
    [Fact]
    public void Load_DefaultsToFineLabels_WithExactPixels()
    {
        using var dir = new TempDirectory();
        DataFiles.WriteCifar100(dir.Path, train: 7, test: 3);
        InMemoryVisionDataset train = Cifar100.Load(dir.Path, DatasetSplit.Train);
        Assert.Equal(7, train.Count);
        Assert.Equal(100, train.NumClasses);
        Assert.Equal("fine17", train.ClassNames[17]);
        Assert.Equal("cifar100", train.Name);
        for (int id = 0; id < 7; id++)
        {
            Assert.Equal(DataFiles.Cifar100Fine(id), train.Label(id));
            Assert.Equal(DataFiles.Pixels(id, Cifar10.ImageLength), train.Sample(id).ToArray());
        }
    }

    [Fact]
    public void Load_Coarse_UsesCoarseLabelsAndNames()
    {
        using var dir = new TempDirectory();
        DataFiles.WriteCifar100(dir.Combine("cifar-100-binary"), train: 4, test: 3);
        InMemoryVisionDataset test = Cifar100.Load(dir.Path, DatasetSplit.Test, Cifar100Labels.Coarse);
        Assert.Equal(3, test.Count);
        Assert.Equal(20, test.NumClasses);
        Assert.Equal("cifar100-coarse", test.Name);
        Assert.Equal(DataFiles.Cifar100Coarse(5), test.Label(1));
        Assert.Equal(DataFiles.Pixels(6, Cifar10.ImageLength), test.Sample(2).ToArray());
    }

    [Fact]
    public void Load_TruncatedFile_NamesFileAndRecordSize()
    {
        using var dir = new TempDirectory();
        DataFiles.WriteCifar100(dir.Path, train: 3, test: 1);
        byte[] bytes = File.ReadAllBytes(dir.Combine("train.bin"));
        File.WriteAllBytes(dir.Combine("train.bin"), bytes[..^100]);
        var e = Assert.Throws<InvalidDataException>(() => Cifar100.Load(dir.Path, DatasetSplit.Train));
        Assert.Contains("train.bin", e.Message, StringComparison.Ordinal);
        Assert.Contains("3074-byte records", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_MissingNames_ListsExpectedFiles()
    {
        using var dir = new TempDirectory();
        DataFiles.WriteCifar100(dir.Path, train: 2, test: 1);
        File.Delete(dir.Combine(Cifar100.CoarseNamesFile));
        Assert.Equal(2, Cifar100.Load(dir.Path, DatasetSplit.Train).Count);
        var e = Assert.Throws<FileNotFoundException>(() => Cifar100.Load(dir.Path, DatasetSplit.Train, Cifar100Labels.Coarse));
        Assert.Contains("missing coarse_label_names.txt", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_FineLabelOutOfRange_Throws()
    {
        using var dir = new TempDirectory();
        DataFiles.WriteCifar100(dir.Path, train: 2, test: 1);
        byte[] bytes = File.ReadAllBytes(dir.Combine("test.bin"));
        bytes[1] = 100;
        File.WriteAllBytes(dir.Combine("test.bin"), bytes);
        var e = Assert.Throws<InvalidDataException>(() => Cifar100.Load(dir.Path, DatasetSplit.Test));
        Assert.Contains("test.bin: record 0 has label 100", e.Message, StringComparison.Ordinal);
    }
}
