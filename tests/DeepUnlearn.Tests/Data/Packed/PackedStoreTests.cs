using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using DeepUnlearn.Data;
using DeepUnlearn.Data.Imaging;
using DeepUnlearn.Data.Packed;
using DeepUnlearn.Data.Transforms;
using Xunit;

namespace DeepUnlearn.Tests.Data.Packed;

public class PackedStoreTests
{
    private const int ShortSide = 16;

    // JPEGs of three sizes in two classes: wider, taller and square than the short side, one already at it.
    private static readonly (string Class, int Height, int Width)[] s_images =
    [
        ("apple", 30, 45), ("apple", 50, 23), ("apple", 16, 40),
        ("pear", 64, 64), ("pear", 21, 37),
    ];

    private static string WriteFolder(TempDirectory temp)
    {
        string root = temp.Combine("images");
        for (int i = 0; i < s_images.Length; i++)
        {
            var (name, h, w) = s_images[i];
            string dir = Path.Combine(root, "train", name);
            Directory.CreateDirectory(dir);
            var pixels = new byte[3 * h * w];
            for (int c = 0; c < 3; c++)
            {
                for (int y = 0; y < h; y++)
                {
                    for (int x = 0; x < w; x++)
                    {
                        pixels[(((c * h) + y) * w) + x] = (byte)((((x * 7) + (y * 3) + (c * 50) + (i * 11)) * 5) % 256);
                    }
                }
            }
            File.WriteAllBytes(Path.Combine(dir, $"{i:D3}.jpg"), ImageCodec.EncodeJpeg(pixels, 3, h, w, quality: 90));
        }
        return root;
    }

    [Fact]
    public void PackFolder_EachImage_IsTheDecodedJpegAfterResizeWithinHalfAGreyLevel()
    {
        using var temp = new TempDirectory();
        string root = WriteFolder(temp);
        string output = temp.Combine("packed");
        IReadOnlyList<PackedSplit> splits = PackedStore.PackFolder(root, output, new PackOptions { ShortSide = ShortSide, Workers = 2 });
        Assert.Equal("train", Assert.Single(splits).Split);

        var folder = new ImageFolderDataset(Path.Combine(root, "train"), ImageChannels.Rgb);
        using PackedDataset packed = PackedDataset.Open(Path.Combine(output, PackedStore.TrainFileName));
        Assert.Equal(folder.Count, packed.Count);
        Assert.Equal(folder.ClassNames, packed.ClassNames);
        Assert.Equal(ShortSide, packed.ShortSide);
        packed.Verify();

        var resize = new Resize(ShortSide);
        var decoded = new ImageBuffer();
        var stored = new ImageBuffer();
        for (int id = 0; id < folder.Count; id++)
        {
            Assert.Equal(folder.Label(id), packed.Label(id));
            folder.Read(id, decoded);
            var image = new FloatImage();
            image.LoadFrom(decoded);
            // The folder path's own evaluation transform: decode, x / 255, antialiased bilinear to the short side.
            FloatImage expected = new TransformContext().Run(resize, image);
            packed.Read(id, stored);
            Assert.Equal((3, expected.Height, expected.Width), (stored.Channels, stored.Height, stored.Width));
            Assert.Equal(ShortSide, Math.Min(stored.Height, stored.Width));
            for (int i = 0; i < expected.Length; i++)
            {
                float error = Math.Abs((stored.Pixels[i] / 255f) - expected.Pixels[i]);
                Assert.True(error <= (0.5f / 255f) + 1e-6f, $"sample {id} pixel {i}: stored {stored.Pixels[i]}, resized {expected.Pixels[i] * 255f:F3}/255");
            }
        }
        // The image already at the short side (16 × 40) is stored as decoded, to the byte.
        int exact = Enumerable.Range(0, folder.Count).Single(id => packed.Size(id) == (16, 40));
        folder.Read(exact, decoded);
        packed.Read(exact, stored);
        Assert.Equal(decoded.Pixels.ToArray(), stored.Pixels.ToArray());
    }

    [Fact]
    public void PackFolder_Again_KeepsTheStoreAndSaysSo()
    {
        using var temp = new TempDirectory();
        string root = WriteFolder(temp);
        string output = temp.Combine("packed");
        var options = new PackOptions { ShortSide = ShortSide, Workers = 1 };
        PackedStore.PackFolder(root, output, options);
        DateTime written = File.GetLastWriteTimeUtc(Path.Combine(output, PackedStore.TrainFileName));
        PackedSplit again = Assert.Single(PackedStore.PackFolder(root, output, options));
        Assert.True(again.AlreadyPacked);
        Assert.Equal(written, File.GetLastWriteTimeUtc(Path.Combine(output, PackedStore.TrainFileName)));
        // Another short side is other content: refused, naming both.
        var e = Assert.Throws<IOException>(() => PackedStore.PackFolder(root, output, options with { ShortSide = 20 }));
        Assert.Contains("at short side 16, not of 5 from", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_APixelChangedAfterPacking_ThrowsNamingTheSample()
    {
        using var temp = new TempDirectory();
        string root = WriteFolder(temp);
        string output = temp.Combine("packed");
        PackedStore.PackFolder(root, output, new PackOptions { ShortSide = ShortSide, Workers = 1 });
        string path = Path.Combine(output, PackedStore.TrainFileName);
        using (var stream = new FileStream(path, FileMode.Open, FileAccess.ReadWrite))
        {
            // Sample 0's first pixel follows the header.
            stream.Position = PackedStoreHeader.Length;
            int value = stream.ReadByte();
            stream.Position = PackedStoreHeader.Length;
            stream.WriteByte((byte)(value ^ 0x40));
        }
        using PackedDataset packed = PackedDataset.Open(path);
        var e = Assert.Throws<InvalidDataException>(() => packed.Verify());
        Assert.Contains("the pixels of 1 of 5 samples do not match their checksums: 0 (", e.Message, StringComparison.Ordinal);
    }
}
