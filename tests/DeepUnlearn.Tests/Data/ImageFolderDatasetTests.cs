using System;
using System.IO;
using System.Linq;
using DeepUnlearn.Data;
using DeepUnlearn.Data.Imaging;
using DeepUnlearn.Data.Transforms;
using Xunit;

namespace DeepUnlearn.Tests.Data;

public class ImageFolderDatasetTests
{
    private static byte[] Chw(int seed, int channels, int height, int width) =>
        Enumerable.Range(0, channels * height * width).Select(i => (byte)(30 + (seed * 20) + (i % 7 * 9) + (i / (height * width) * 40))).ToArray();

    private static void WriteImage(string path, byte[] chw, int channels, int height, int width)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        bool jpeg = path.EndsWith(".jpg", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".jpeg", StringComparison.OrdinalIgnoreCase);
        File.WriteAllBytes(path, DataFiles.Encode(chw, channels, height, width, jpeg));
    }

    // ant/a.JPG, ant/b.png, ant/sub/c.png, cat/x.jpeg, dog/y.png (+ ignored files)
    private static TempDirectory WriteFolder()
    {
        var dir = new TempDirectory();
        WriteImage(dir.Combine("dog", "y.png"), Chw(4, 3, 6, 5), 3, 6, 5);
        WriteImage(dir.Combine("ant", "b.png"), Chw(1, 3, 4, 4), 3, 4, 4);
        WriteImage(dir.Combine("ant", "sub", "c.png"), Chw(2, 1, 3, 3), 1, 3, 3);
        WriteImage(dir.Combine("ant", "a.JPG"), Chw(0, 3, 8, 8), 3, 8, 8);
        WriteImage(dir.Combine("cat", "x.jpeg"), Chw(3, 3, 8, 8), 3, 8, 8);
        File.WriteAllText(dir.Combine("cat", "notes.txt"), "not an image");
        File.WriteAllText(dir.Combine("README"), "a file beside the class folders");
        return dir;
    }

    [Fact]
    public void Constructor_SortsClassesAndFilesLikeTorchvision()
    {
        using TempDirectory dir = WriteFolder();
        var data = new ImageFolderDataset(dir.Path);
        Assert.Equal(["ant", "cat", "dog"], data.ClassNames);
        Assert.Equal(5, data.Count);
        Assert.Equal(
            [Path.Combine("ant", "a.JPG"), Path.Combine("ant", "b.png"), Path.Combine("ant", "sub", "c.png"), Path.Combine("cat", "x.jpeg"), Path.Combine("dog", "y.png")],
            data.Files.Select(f => Path.GetRelativePath(dir.Path, f)));
        Assert.Equal([0, 0, 0, 1, 2], data.Labels.ToArray());
        Assert.Equal((3, 0, 0), (data.Channels, data.Height, data.Width));
        Assert.Same(ChannelStatistics.ImageNet, data.Normalization);
    }

    [Fact]
    public void Read_DecodesPngExactlyAndJpegApproximately()
    {
        using TempDirectory dir = WriteFolder();
        var data = new ImageFolderDataset(dir.Path);
        var buffer = new ImageBuffer();
        data.Read(1, buffer);
        Assert.Equal((3, 4, 4), (buffer.Channels, buffer.Height, buffer.Width));
        Assert.Equal(Chw(1, 3, 4, 4), buffer.Pixels.ToArray());
        // A gray PNG is expanded to RGB by replication.
        data.Read(2, buffer);
        Assert.Equal((3, 3, 3), (buffer.Channels, buffer.Height, buffer.Width));
        byte[] gray = Chw(2, 1, 3, 3);
        Assert.Equal([.. gray, .. gray, .. gray], buffer.Pixels.ToArray());
        data.Read(3, buffer);
        Assert.Equal((3, 8, 8), (buffer.Channels, buffer.Height, buffer.Width));
        byte[] expected = Chw(3, 3, 8, 8);
        double meanError = buffer.Pixels.ToArray().Zip(expected, (a, b) => Math.Abs(a - b)).Average();
        Assert.InRange(meanError, 0, 4);
    }

    [Fact]
    public void Read_GrayMode_GivesOneChannel()
    {
        using TempDirectory dir = WriteFolder();
        var data = new ImageFolderDataset(dir.Path, ImageChannels.Gray);
        Assert.Equal(1, data.Channels);
        var buffer = new ImageBuffer();
        data.Read(2, buffer);
        Assert.Equal(Chw(2, 1, 3, 3), buffer.Pixels.ToArray());
    }

    [Fact]
    public void Constructor_EmptyClassFolder_NamesIt()
    {
        using TempDirectory dir = WriteFolder();
        Directory.CreateDirectory(dir.Combine("bee"));
        File.WriteAllText(dir.Combine("bee", "x.gif"), "unsupported");
        var e = Assert.Throws<InvalidDataException>(() => new ImageFolderDataset(dir.Path));
        Assert.Contains(dir.Combine("bee"), e.Message, StringComparison.Ordinal);
        Assert.Contains("holds no images", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_NoClassFolders_OrMissingRoot_Throws()
    {
        using var dir = new TempDirectory();
        Assert.Throws<InvalidDataException>(() => new ImageFolderDataset(dir.Path));
        Assert.Throws<DirectoryNotFoundException>(() => new ImageFolderDataset(dir.Combine("nope")));
    }

    [Fact]
    public void Read_TruncatedImage_ThrowsNamingTheFile()
    {
        using TempDirectory dir = WriteFolder();
        string path = dir.Combine("dog", "y.png");
        byte[] bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..(bytes.Length - 20)]);
        var data = new ImageFolderDataset(dir.Path);
        var e = Assert.Throws<InvalidDataException>(() => data.Read(4, new ImageBuffer()));
        Assert.StartsWith(path, e.Message, StringComparison.Ordinal);
        Assert.Contains("truncated", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_NotAnImage_ThrowsNamingTheFile()
    {
        using TempDirectory dir = WriteFolder();
        string path = dir.Combine("cat", "x.jpeg");
        File.WriteAllText(path, "plain text with a .jpeg name");
        var data = new ImageFolderDataset(dir.Path);
        var e = Assert.Throws<InvalidDataException>(() => data.Read(3, new ImageBuffer()));
        Assert.StartsWith(path, e.Message, StringComparison.Ordinal);
        Assert.Contains("not a JPEG or PNG", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Loader_VaryingSizes_NeedASizeFixingTransform()
    {
        using TempDirectory dir = WriteFolder();
        var data = new ImageFolderDataset(dir.Path);
        var options = new DataLoaderOptions { BatchSize = 5, Shuffle = false, Workers = 2 };
        using (var loader = new DataLoader(data, options))
        {
            var e = Assert.Throws<InvalidOperationException>(() => loader.Epoch(0).First());
            Assert.Contains("Resize", e.Message, StringComparison.Ordinal);
        }
        using (var loader = new DataLoader(data, options, new Compose(new Resize(6), new CenterCrop(6))))
        {
            foreach (Batch batch in loader.Epoch(0))
            {
                Assert.Equal([5L, 3, 6, 6], batch.Images.shape);
                Assert.Equal([0L, 0, 0, 1, 2], batch.Labels.data<long>().ToArray());
            }
        }
    }

    [Fact]
    public void Loader_UndecodableImage_SurfacesTheFileName()
    {
        using TempDirectory dir = WriteFolder();
        string path = dir.Combine("ant", "b.png");
        File.WriteAllBytes(path, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]);
        var data = new ImageFolderDataset(dir.Path);
        using var loader = new DataLoader(data, new DataLoaderOptions { BatchSize = 2, Workers = 2 }, new Compose(new Resize(4, 4)));
        var e = Assert.Throws<InvalidDataException>(() => loader.Epoch(0).ToList());
        Assert.StartsWith(path, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_DirectoryLinkLoopInAClassFolder_SkipsItCountsEachFileOnceAndSaysWhat()
    {
        // Issue 13 item 8: a loop (ant/again -> ant, ant/up -> the root) was followed: hundreds of files instead of a
        // few, other classes' images labelled 'ant'.
        using TempDirectory dir = WriteFolder();
        Directory.CreateSymbolicLink(dir.Combine("ant", "again"), dir.Combine("ant"));
        Directory.CreateSymbolicLink(dir.Combine("ant", "sub", "up"), "../..");
        var data = new ImageFolderDataset(dir.Path);
        Assert.Equal(
            [Path.Combine("ant", "a.JPG"), Path.Combine("ant", "b.png"), Path.Combine("ant", "sub", "c.png"), Path.Combine("cat", "x.jpeg"), Path.Combine("dog", "y.png")],
            data.Files.Select(f => Path.GetRelativePath(dir.Path, f)));
        Assert.Equal([0, 0, 0, 1, 2], data.Labels.ToArray());
        Assert.Equal(2, data.Skipped.Count);
        Assert.Contains(data.Skipped, s => s.StartsWith(dir.Combine("ant", "again") + ":", StringComparison.Ordinal) && s.Contains("already scanned", StringComparison.Ordinal));
        Assert.Contains(data.Skipped, s => s.StartsWith(dir.Combine("ant", "sub", "up") + ":", StringComparison.Ordinal) && s.Contains("dataset root", StringComparison.Ordinal));
    }

    [Fact]
    public void Constructor_LinksIntoAnotherClass_AreSkippedNotRelabelled()
    {
        using TempDirectory dir = WriteFolder();
        Directory.CreateSymbolicLink(dir.Combine("ant", "cats"), dir.Combine("cat"));
        File.CreateSymbolicLink(dir.Combine("ant", "dog.png"), dir.Combine("dog", "y.png"));
        var data = new ImageFolderDataset(dir.Path);
        Assert.Equal(5, data.Count);
        Assert.Equal([0, 0, 0, 1, 2], data.Labels.ToArray());
        Assert.Equal(2, data.Skipped.Count);
        Assert.All(data.Skipped, s => Assert.Contains("would be labelled 'ant'", s, StringComparison.Ordinal));
    }

    [Fact]
    public void Constructor_LinksOutsideTheRoot_AreFollowedOnceLikeTorchvision()
    {
        // A valid setup must stay accepted: classes assembled from links to folders elsewhere (os.walk(followlinks=True)).
        using TempDirectory dir = WriteFolder();
        using var elsewhere = new TempDirectory();
        WriteImage(elsewhere.Combine("more", "z.png"), Chw(5, 3, 4, 4), 3, 4, 4);
        Directory.CreateSymbolicLink(dir.Combine("cat", "more"), elsewhere.Combine("more"));
        Directory.CreateSymbolicLink(dir.Combine("dog", "more"), elsewhere.Combine("more"));
        var data = new ImageFolderDataset(dir.Path);
        Assert.Equal(
            [Path.Combine("ant", "a.JPG"), Path.Combine("ant", "b.png"), Path.Combine("ant", "sub", "c.png"), Path.Combine("cat", "x.jpeg"), Path.Combine("cat", "more", "z.png"), Path.Combine("dog", "y.png")],
            data.Files.Select(f => Path.GetRelativePath(dir.Path, f)));
        Assert.Single(data.Skipped);
        Assert.Contains("already scanned", data.Skipped[0], StringComparison.Ordinal);
    }
}
