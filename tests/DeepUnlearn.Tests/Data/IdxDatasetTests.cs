using System;
using System.IO;
using System.Linq;
using DeepUnlearn.Data;
using Xunit;

namespace DeepUnlearn.Tests.Data;

public class IdxDatasetTests
{
    private static readonly byte[] s_labels = [3, 0, 9, 1, 1, 7];

    private static void Write(TempDirectory dir, string prefix, bool gzip, string suffix, byte[]? images = null, byte[]? labels = null)
    {
        byte[] imageBytes = images ?? DataFiles.IdxImages(6, 4, 3);
        byte[] labelBytes = labels ?? DataFiles.IdxLabels(s_labels);
        File.WriteAllBytes(dir.Combine($"{prefix}-images-idx3-ubyte{suffix}"), gzip ? DataFiles.Gzip(imageBytes) : imageBytes);
        File.WriteAllBytes(dir.Combine($"{prefix}-labels-idx1-ubyte{suffix}"), gzip ? DataFiles.Gzip(labelBytes) : labelBytes);
    }

    [Theory]
    [InlineData(false, "")]
    [InlineData(true, ".gz")]
    [InlineData(true, "")] // gzip recognised by its magic, not by the name
    public void Load_PlainOrGzipped_ReadsExactPixelsAndLabels(bool gzip, string suffix)
    {
        using var dir = new TempDirectory();
        Write(dir, "train", gzip, suffix);
        InMemoryVisionDataset data = IdxDataset.Load(dir.Path, DatasetSplit.Train);
        Assert.Equal(6, data.Count);
        Assert.Equal((1, 4, 3), (data.Channels, data.Height, data.Width));
        Assert.Equal(10, data.NumClasses); // "0".."9", up to the largest label
        Assert.Equal("9", data.ClassNames[9]);
        for (int id = 0; id < 6; id++)
        {
            Assert.Equal(s_labels[id], data.Label(id));
            Assert.Equal(DataFiles.Pixels(id, 12), data.Sample(id).ToArray());
        }
    }

    [Fact]
    public void Load_TestSplit_UsesT10kFiles_DotNamesAccepted()
    {
        using var dir = new TempDirectory();
        File.WriteAllBytes(dir.Combine("t10k-images.idx3-ubyte"), DataFiles.IdxImages(2, 2, 2));
        File.WriteAllBytes(dir.Combine("t10k-labels.idx1-ubyte"), DataFiles.IdxLabels([1, 0]));
        InMemoryVisionDataset data = IdxDataset.Load(dir.Path, DatasetSplit.Test);
        Assert.Equal(2, data.Count);
        Assert.Equal(["0", "1"], data.ClassNames);
    }

    [Fact]
    public void Load_MissingLabels_ListsNamesLookedFor()
    {
        using var dir = new TempDirectory();
        File.WriteAllBytes(dir.Combine("train-images-idx3-ubyte"), DataFiles.IdxImages(2, 2, 2));
        var e = Assert.Throws<FileNotFoundException>(() => IdxDataset.Load(dir.Path, DatasetSplit.Train));
        Assert.Contains("train-labels-idx1-ubyte.gz", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadImages_BadMagic_SaysExpectedMagic()
    {
        using var dir = new TempDirectory();
        string path = dir.Combine("x");
        File.WriteAllBytes(path, DataFiles.IdxImages(2, 2, 2, magic: 0x801));
        var e = Assert.Throws<InvalidDataException>(() => IdxDataset.ReadImages(path));
        Assert.Contains(path, e.Message, StringComparison.Ordinal);
        Assert.Contains("bad magic number 0x00000801; expected 0x00000803", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadImages_DimsInconsistentWithLength_Plain()
    {
        using var dir = new TempDirectory();
        string path = dir.Combine("x");
        File.WriteAllBytes(path, DataFiles.IdxImages(6, 4, 3, headerCount: 7));
        var e = Assert.Throws<InvalidDataException>(() => IdxDataset.ReadImages(path));
        Assert.Contains("the file is 88 bytes, but its IDX header (dims 7x4x3) requires 100", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadImages_DimsInconsistentWithLength_Gzipped()
    {
        using var dir = new TempDirectory();
        string shortPath = dir.Combine("short.gz");
        File.WriteAllBytes(shortPath, DataFiles.Gzip(DataFiles.IdxImages(6, 4, 3, headerCount: 7)));
        var e = Assert.Throws<InvalidDataException>(() => IdxDataset.ReadImages(shortPath));
        Assert.Contains("ends after 72 of the 84 bytes", e.Message, StringComparison.Ordinal);
        string longPath = dir.Combine("long.gz");
        File.WriteAllBytes(longPath, DataFiles.Gzip(DataFiles.IdxImages(6, 4, 3, headerCount: 5)));
        e = Assert.Throws<InvalidDataException>(() => IdxDataset.ReadImages(longPath));
        Assert.Contains("longer than its IDX header", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadLabels_CorruptGzip_NamesFile()
    {
        using var dir = new TempDirectory();
        string path = dir.Combine("labels.gz");
        byte[] gz = DataFiles.Gzip(DataFiles.IdxLabels(Enumerable.Repeat((byte)1, 500).ToArray()));
        File.WriteAllBytes(path, gz[..(gz.Length / 2)]);
        var e = Assert.Throws<InvalidDataException>(() => IdxDataset.ReadLabels(path));
        Assert.Contains(path, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_CountsDiffer_Throws()
    {
        using var dir = new TempDirectory();
        Write(dir, "train", false, "", labels: DataFiles.IdxLabels([1, 2, 3]));
        var e = Assert.Throws<InvalidDataException>(() => IdxDataset.Load(dir.Path, DatasetSplit.Train));
        Assert.Contains("holds 3 labels", e.Message, StringComparison.Ordinal);
        Assert.Contains("6 images", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_LabelOutOfRangeOfClassNames_NamesLabelFile()
    {
        using var dir = new TempDirectory();
        Write(dir, "train", false, "");
        var e = Assert.Throws<InvalidDataException>(() => IdxDataset.Load(dir.Path, DatasetSplit.Train, ["a", "b", "c", "d"]));
        Assert.Contains("train-labels-idx1-ubyte: label 2 is 9, but there are 4 classes (labels 0..3)", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0, 65536, 65536)] // 0 images of 2^32 pixels: the plane overflowed an int to 0 ("plane ('0')")
    [InlineData(int.MaxValue, int.MaxValue, int.MaxValue)] // 2^93 bytes: the long product wrapped around
    [InlineData(1 << 20, 2048, 2048)] // 4.4e12 bytes
    public void ReadImages_DimsWhoseProductOverflows_SaysTheHeaderIsCorrupt(int count, int rows, int columns)
    {
        using var dir = new TempDirectory();
        string path = dir.Combine("train-images-idx3-ubyte");
        File.WriteAllBytes(path, DataFiles.IdxImages(0, rows, columns, headerCount: count));
        var e = Assert.Throws<InvalidDataException>(() => IdxDataset.ReadImages(path));
        Assert.StartsWith(path + ": IDX dims " + $"{count}x{rows}x{columns}", e.Message, StringComparison.Ordinal);
        Assert.Contains("corrupt", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_EmptySplit_SaysItHoldsNoImages()
    {
        using var dir = new TempDirectory();
        Write(dir, "train", gzip: false, suffix: string.Empty, images: DataFiles.IdxImages(0, 4, 3), labels: DataFiles.IdxLabels([]));
        var e = Assert.Throws<InvalidDataException>(() => IdxDataset.Load(dir.Path, DatasetSplit.Train));
        Assert.Contains("the training split holds no images", e.Message, StringComparison.Ordinal);
    }
}
