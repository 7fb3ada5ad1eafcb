using System;
using System.Buffers.Binary;
using System.IO;
using Xunit;

namespace DeepUnlearn.Cli.Tests;

/// <summary>
/// A tiny four-class image dataset in the real IDX format (a bright square in one quadrant per class, on
/// noise) and smallcnn trained on it once through <c>deepunlearn train</c>, shared by the test classes of
/// <see cref="TrainedIdxCollection"/>.
/// </summary>
public sealed class TrainedIdxRun : IDisposable
{
    public const int Classes = 4;

    public TrainedIdxRun()
    {
        Directory.CreateDirectory(Root);
        WriteIdx(Path.Combine(Root, "data"), "train", 240, seed: 1);
        WriteIdx(Path.Combine(Root, "data"), "t10k", 80, seed: 2);
        // A three-class dataset of the same images, for the class-count mismatch.
        WriteIdx(Path.Combine(Root, "three"), "train", 90, seed: 3, classes: 3);
        WriteIdx(Path.Combine(Root, "three"), "t10k", 30, seed: 4, classes: 3);
        var (exit, _, error) = CliRunner.RunWithErrors(
            "train", "--data", Data, "--model", "smallcnn", "--epochs", "4", "--batch-size", "32", "--lr", "0.05",
            "--workers", "0", "--device", "cpu", "--out", TrainDir);
        Assert.True(exit == Program.ExitOk, error);
    }

    public string Root { get; } = Path.Combine(Path.GetTempPath(), "du-vision-cli-" + Guid.NewGuid().ToString("N"));

    public string Data => "idx:" + Path.Combine(Root, "data");

    public string TrainDir => Path.Combine(Root, "train");

    public string Checkpoint => Path.Combine(TrainDir, "last.safetensors");

    public string Out(string name) => Path.Combine(Root, name);

    public void Dispose() => Directory.Delete(Root, recursive: true);

    /// <summary>Four (or <paramref name="classes"/>) classes: a bright square in one quadrant per class, on noise, in the IDX format.</summary>
    internal static void WriteIdx(string directory, string prefix, int count, int seed, int classes = Classes)
    {
        Directory.CreateDirectory(directory);
        var random = new Random(seed);
        var pixels = new byte[count * 28 * 28];
        var labels = new byte[count];
        for (int i = 0; i < count; i++)
        {
            int label = i % classes;
            labels[i] = (byte)label;
            int top = label / 2 * 14;
            int left = label % 2 * 14;
            for (int y = 0; y < 28; y++)
            {
                for (int x = 0; x < 28; x++)
                {
                    bool inside = y >= top + 2 && y < top + 12 && x >= left + 2 && x < left + 12;
                    pixels[(i * 784) + (y * 28) + x] = (byte)(inside ? 200 + random.Next(56) : random.Next(60));
                }
            }
        }
        WriteFile(Path.Combine(directory, $"{prefix}-images-idx3-ubyte"), 0x803, [count, 28, 28], pixels);
        WriteFile(Path.Combine(directory, $"{prefix}-labels-idx1-ubyte"), 0x801, [count], labels);
    }

    private static void WriteFile(string path, int magic, int[] dims, byte[] body)
    {
        using var stream = File.Create(path);
        Span<byte> word = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(word, magic);
        stream.Write(word);
        foreach (int d in dims)
        {
            BinaryPrimitives.WriteInt32BigEndian(word, d);
            stream.Write(word);
        }
        stream.Write(body);
    }
}

