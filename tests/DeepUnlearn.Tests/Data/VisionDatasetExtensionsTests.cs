using System;
using System.Linq;
using DeepUnlearn.Data;
using DeepUnlearn.Data.Transforms;
using Xunit;

namespace DeepUnlearn.Tests.Data;

public class VisionDatasetExtensionsTests
{
    [Fact]
    public void ReadFloat_ScalesBytesBy255()
    {
        InMemoryVisionDataset data = DataFiles.Synthetic(5, channels: 3, height: 4, width: 5);
        var values = new float[60];
        data.ReadFloat(3, values);
        Assert.Equal(DataFiles.Pixels(3, 60).Select(b => b / 255f), values);
        var image = new FloatImage();
        data.ReadFloat(4, image);
        Assert.Equal((3, 4, 5), (image.Channels, image.Height, image.Width));
        Assert.Equal(DataFiles.Pixels(4, 60).Select(b => b / 255f), image.Pixels.ToArray());
        Assert.Throws<ArgumentException>(() => data.ReadFloat(0, new float[59]));
    }

    [Fact]
    public void ReadFloat_LongImage_UsesTheVectorPathExactly()
    {
        var pixels = Enumerable.Range(0, 3 * 17 * 19).Select(i => (byte)(i * 31)).ToArray();
        var data = new InMemoryVisionDataset("long", pixels, [0], 3, 17, 19, ["a"]);
        var values = new float[pixels.Length];
        data.ReadFloat(0, values);
        Assert.Equal(pixels.Select(b => b / 255f), values);
    }

    [Fact]
    public void ClassCounts_CountsAllOrASubset()
    {
        InMemoryVisionDataset data = DataFiles.Synthetic(25, classes: 10);
        Assert.Equal([3, 3, 3, 3, 3, 2, 2, 2, 2, 2], data.ClassCounts());
        Assert.Equal([1, 0, 0, 0, 0, 0, 0, 0, 0, 2], data.ClassCounts([0, 9, 19]));
    }

    [Fact]
    public void InMemoryDataset_RejectsLabelsOutOfRangeAndWrongSizes()
    {
        var e = Assert.Throws<ArgumentException>(() => new InMemoryVisionDataset("x", new byte[8], [0, 2], 1, 2, 2, ["a", "b"]));
        Assert.Contains("sample 1 has label 2", e.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => new InMemoryVisionDataset("x", new byte[7], [0, 1], 1, 2, 2, ["a", "b"]));
        var id = Assert.Throws<ArgumentOutOfRangeException>(() => DataFiles.Synthetic(3).Label(3));
        Assert.Contains("0..2", id.Message, StringComparison.Ordinal);
    }
}
