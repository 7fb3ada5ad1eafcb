using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using System.Linq;
using DeepUnlearn.Data;
using DeepUnlearn.Data.Imaging;

namespace DeepUnlearn.Tests.Data;

/// <summary>Writes small dataset files in the exact on-disk formats, with known pixels and labels.</summary>
internal static class DataFiles
{
    /// <summary>The pixel value of (sample, byte index) in synthetic datasets.</summary>
    public static byte Pixel(int sample, int index) => (byte)((sample * 7) + (index * 13) + (index / 5));

    public static byte[] Pixels(int sample, int length) => Enumerable.Range(0, length).Select(i => Pixel(sample, i)).ToArray();

    public static int Cifar10Label(int sample) => (sample * 3) % 10;

    /// <summary>CIFAR-10 binary files with <paramref name="perBatch"/> records per file; sample k's label is Cifar10Label(k).</summary>
    public static void WriteCifar10(string folder, int perBatch)
    {
        Directory.CreateDirectory(folder);
        string[] files = [.. Cifar10.TrainFiles, Cifar10.TestFile];
        int sample = 0;
        foreach (string file in files)
        {
            using var stream = File.Create(Path.Combine(folder, file));
            for (int r = 0; r < perBatch; r++, sample++)
            {
                stream.WriteByte((byte)Cifar10Label(sample));
                stream.Write(Pixels(sample, Cifar10.ImageLength));
            }
        }
        File.WriteAllLines(Path.Combine(folder, Cifar10.MetaFile), [.. Cifar10.DefaultClassNames, string.Empty]);
    }

    public static int Cifar100Fine(int sample) => (sample * 17) % 100;

    public static int Cifar100Coarse(int sample) => (sample * 3) % 20;

    /// <summary>CIFAR-100 binary files: <paramref name="train"/> training and <paramref name="test"/> test records (test samples numbered after training).</summary>
    public static void WriteCifar100(string folder, int train, int test)
    {
        Directory.CreateDirectory(folder);
        int sample = 0;
        foreach (var (file, count) in new[] { (Cifar100.TrainFile, train), (Cifar100.TestFile, test) })
        {
            using var stream = File.Create(Path.Combine(folder, file));
            for (int r = 0; r < count; r++, sample++)
            {
                stream.WriteByte((byte)Cifar100Coarse(sample));
                stream.WriteByte((byte)Cifar100Fine(sample));
                stream.Write(Pixels(sample, Cifar10.ImageLength));
            }
        }
        File.WriteAllLines(Path.Combine(folder, Cifar100.FineNamesFile), Enumerable.Range(0, 100).Select(i => $"fine{i}"));
        File.WriteAllLines(Path.Combine(folder, Cifar100.CoarseNamesFile), Enumerable.Range(0, 20).Select(i => $"coarse{i}"));
    }

    /// <summary>An IDX images file of <paramref name="count"/> images rows × columns (header optionally lying about the count).</summary>
    public static byte[] IdxImages(int count, int rows, int columns, int? headerCount = null, int magic = 0x803)
    {
        using var stream = new MemoryStream();
        var word = new byte[4];
        foreach (int value in new[] { magic, headerCount ?? count, rows, columns })
        {
            BinaryPrimitives.WriteInt32BigEndian(word, value);
            stream.Write(word);
        }
        for (int i = 0; i < count; i++)
        {
            stream.Write(Pixels(i, rows * columns));
        }
        return stream.ToArray();
    }

    public static byte[] IdxLabels(IReadOnlyList<byte> labels, int magic = 0x801)
    {
        var bytes = new byte[8 + labels.Count];
        BinaryPrimitives.WriteInt32BigEndian(bytes, magic);
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(4), labels.Count);
        for (int i = 0; i < labels.Count; i++)
        {
            bytes[8 + i] = labels[i];
        }
        return bytes;
    }

    public static byte[] Gzip(byte[] data)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(data);
        }
        return output.ToArray();
    }

    /// <summary>An in-memory dataset of <paramref name="count"/> samples, pixels Pixel(id, i), label id % classes.</summary>
    public static InMemoryVisionDataset Synthetic(int count, int channels = 1, int height = 2, int width = 2, int classes = 10)
    {
        int length = channels * height * width;
        var pixels = new byte[count * length];
        for (int id = 0; id < count; id++)
        {
            Pixels(id, length).CopyTo(pixels, id * length);
        }
        int[] labels = Enumerable.Range(0, count).Select(id => id % classes).ToArray();
        string[] names = Enumerable.Range(0, classes).Select(c => $"c{c}").ToArray();
        return new InMemoryVisionDataset("synthetic", pixels, labels, channels, height, width, names);
    }

    /// <summary>Encodes a uint8 CHW image as PNG or JPEG (quality 95) bytes with the codecs' encoders.</summary>
    public static byte[] Encode(byte[] chw, int channels, int height, int width, bool jpeg) =>
        jpeg ? ImageCodec.EncodeJpeg(chw, channels, height, width, quality: 95) : ImageCodec.EncodePng(chw, channels, height, width);
}
