using System;
using System.IO;
using DeepUnlearn.Data;
using Xunit;

namespace DeepUnlearn.Tests.Data;

public class DatasetCatalogTests
{
    [Fact]
    public void Open_UnknownName_ListsValidNames()
    {
        var e = Assert.Throws<ArgumentException>(() => DatasetCatalog.Open("svhn:/data", DatasetSplit.Train));
        Assert.Contains("unknown dataset 'svhn'", e.Message, StringComparison.Ordinal);
        Assert.Contains("fashion-mnist, cifar10, cifar100", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_MissingDirectory_SaysHowToGiveIt()
    {
        var e = Assert.Throws<ArgumentException>(() => DatasetCatalog.Open("cifar10", DatasetSplit.Train));
        Assert.Contains("cifar10:/path/to/", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_Cifar10AndFolder_FromSpecifications()
    {
        using var dir = new TempDirectory();
        DataFiles.WriteCifar10(dir.Combine("cifar"), perBatch: 2);
        IVisionDataset cifar = DatasetCatalog.Open($"cifar10:{dir.Combine("cifar")}", DatasetSplit.Test);
        Assert.Equal(2, cifar.Count);
        Assert.Equal("cifar10", cifar.Name);

        foreach (string part in new[] { "train", "val" })
        {
            string classDir = dir.Combine("inet", part, "n01");
            Directory.CreateDirectory(classDir);
            File.WriteAllBytes(Path.Combine(classDir, "a.png"), DataFiles.Encode(new byte[3 * 2 * 2], 3, 2, 2, jpeg: false));
        }
        IVisionDataset val = DatasetCatalog.Open($"folder:{dir.Combine("inet")}", DatasetSplit.Test);
        Assert.Equal(1, val.Count);
        Assert.Equal("inet", val.Name);
        Assert.Equal(["n01"], val.ClassNames);
    }
}
