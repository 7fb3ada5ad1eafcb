using System;
using System.IO;
using DeepUnlearn.Data;
using Xunit;

namespace DeepUnlearn.Tests.Data;

public class VisionDataTests
{
    private static void WritePng(string path, byte seed)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var chw = new byte[3 * 4 * 4];
        Array.Fill(chw, seed);
        File.WriteAllBytes(path, DataFiles.Encode(chw, 3, 4, 4, jpeg: false));
    }

    [Fact]
    public void Open_FolderWhoseValClassIsRenamed_ThrowsNamingBothLists()
    {
        // Issue 13 item 7: the same count of classes, one renamed: val's 'wolf' images were scored as 'dog', exit 0.
        using var dir = new TempDirectory();
        WritePng(dir.Combine("train", "cat", "a.png"), 10);
        WritePng(dir.Combine("train", "dog", "b.png"), 20);
        WritePng(dir.Combine("val", "cat", "c.png"), 30);
        WritePng(dir.Combine("val", "wolf", "d.png"), 40);
        var e = Assert.Throws<InvalidDataException>(() => VisionData.Open("folder:" + dir.Path));
        Assert.Contains("label 1 is 'dog' in one and 'wolf' in the other", e.Message, StringComparison.Ordinal);
        Assert.Contains("has [cat, dog]", e.Message, StringComparison.Ordinal);
        Assert.Contains("has [cat, wolf]", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_FolderWithTheSameClasses_Opens()
    {
        using var dir = new TempDirectory();
        WritePng(dir.Combine("train", "cat", "a.png"), 10);
        WritePng(dir.Combine("train", "dog", "b.png"), 20);
        WritePng(dir.Combine("val", "cat", "c.png"), 30);
        WritePng(dir.Combine("val", "dog", "d.png"), 40);
        VisionData data = VisionData.Open("folder:" + dir.Path, validationFraction: 0);
        Assert.Equal(["cat", "dog"], data.Test.ClassNames);
    }

    [Fact]
    public void Open_IdxTestImagesOfAnotherSize_ThrowsBeforeAnyTraining()
    {
        // Issue 13 item 15: 28x28 training images and 32x32 test images failed with libtorch's shape error after training.
        using var dir = new TempDirectory();
        byte[] labels = [0, 1, 0, 1];
        File.WriteAllBytes(dir.Combine("train-images-idx3-ubyte"), DataFiles.IdxImages(4, 28, 28));
        File.WriteAllBytes(dir.Combine("train-labels-idx1-ubyte"), DataFiles.IdxLabels(labels));
        File.WriteAllBytes(dir.Combine("t10k-images-idx3-ubyte"), DataFiles.IdxImages(4, 32, 32));
        File.WriteAllBytes(dir.Combine("t10k-labels-idx1-ubyte"), DataFiles.IdxLabels(labels));
        var e = Assert.Throws<InvalidDataException>(() => VisionData.Open("idx:" + dir.Path));
        Assert.Contains("the test images are 1x32x32", e.Message, StringComparison.Ordinal);
        Assert.Contains("the training images are 1x28x28", e.Message, StringComparison.Ordinal);
    }
}
