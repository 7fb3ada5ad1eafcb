using System;
using System.IO;
using System.Linq;
using DeepUnlearn.Data;
using DeepUnlearn.Data.Imaging;
using Xunit;

namespace DeepUnlearn.Cli.Tests.Robustness;

/// <summary>
/// Bad datasets and settings given to <c>deepunlearn train</c>, written in the real formats (image folders of PNG files,
/// CIFAR-10 binary batches, IDX files): each must fail with the project's own clear message and exit code 2 before any
/// training, leaving the input unchanged and no checkpoint behind (issue 13 items 7, 12, 15, 16). Valid inputs that were
/// refused must now train.
/// </summary>
public sealed class DataInputRobustnessTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "du-robust-data-" + Guid.NewGuid().ToString("N"));

    public DataInputRobustnessTests() => Directory.CreateDirectory(_root);

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private string Dir(string name) => Path.Combine(_root, name);

    private static (int Exit, string Error) Train(string data, params string[] extra)
    {
        string[] batch = extra.Contains("--batch-size") ? [] : ["--batch-size", "16"];
        var (exit, _, error) = CliRunner.RunWithErrors(
            ["train", "--data", data, "--model", "smallcnn", "--epochs", "1", .. batch, "--workers", "0", "--device", "cpu", .. extra]);
        return (exit, error);
    }

    /// <summary>Runs train into a fresh OUT and asserts exit code 2, the message, the input unchanged and no checkpoint written.</summary>
    private void AssertRefused(string inputDir, string data, string[] messageParts, params string[] extra)
    {
        var before = FileTree.Snapshot(inputDir);
        string output = Dir("out-" + Guid.NewGuid().ToString("N"));
        var (exit, error) = Train(data, ["--out", output, .. extra]);
        Assert.True(exit == Program.ExitFailure, $"exit {exit}: {error}");
        foreach (string part in messageParts)
        {
            Assert.Contains(part, error, StringComparison.Ordinal);
        }
        Assert.DoesNotContain("   at ", error, StringComparison.Ordinal);
        Assert.Equal(before, FileTree.Snapshot(inputDir));
        Assert.Empty(FileTree.Named(output, ".safetensors"));
        Assert.Empty(FileTree.Named(output, "metrics.json"));
    }

    private static void WritePng(string path, byte value)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var chw = Enumerable.Range(0, 3 * 8 * 8).Select(i => (byte)(value + (i % 5))).ToArray();
        File.WriteAllBytes(path, ImageCodec.EncodePng(chw, 3, 8, 8));
    }

    private static void WriteCifar10(string folder, int perBatch, string[]? names = null)
    {
        Directory.CreateDirectory(folder);
        int sample = 0;
        foreach (string file in Cifar10.TrainFiles.Append(Cifar10.TestFile))
        {
            using var stream = File.Create(Path.Combine(folder, file));
            for (int r = 0; r < perBatch; r++, sample++)
            {
                stream.WriteByte((byte)(sample % 10));
                stream.Write(Enumerable.Range(0, Cifar10.ImageLength).Select(i => (byte)((sample * 7) + (i % 11))).ToArray());
            }
        }
        File.WriteAllLines(Path.Combine(folder, Cifar10.MetaFile), names ?? [.. Cifar10.DefaultClassNames]);
    }

    [Fact]
    public void Train_FolderWhoseValClassIsRenamed_Exit2NamingBothLists()
    {
        string data = Dir("folder");
        foreach (string split in new[] { "train", "val" })
        {
            WritePng(Path.Combine(data, split, "cat", "a.png"), 10);
            WritePng(Path.Combine(data, split, split == "train" ? "dog" : "wolf", "b.png"), 90);
        }
        AssertRefused(data, "folder:" + data, ["label 1 is 'dog' in one and 'wolf' in the other", "has [cat, dog]", "has [cat, wolf]"]);
    }

    [Fact]
    public void Train_CifarMetaWithADuplicateClassName_Exit2BeforeTraining()
    {
        string data = Dir("cifar");
        WriteCifar10(data, perBatch: 4, names: ["airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "ship"]);
        AssertRefused(data, "cifar10:" + data, ["class names must be unique", "'ship' names labels 8 and 9"]);
    }

    [Fact]
    public void Train_CifarFilesThatAreSymbolicLinks_Trains()
    {
        // Issue 13 item 12: a valid setup (the batches linked from a shared copy) was refused.
        string store = Dir("cifar-store");
        WriteCifar10(store, perBatch: 6);
        string linked = Dir("cifar-linked");
        Directory.CreateDirectory(linked);
        foreach (string file in Directory.GetFiles(store))
        {
            File.CreateSymbolicLink(Path.Combine(linked, Path.GetFileName(file)), file);
        }
        var (exit, error) = Train("cifar10:" + linked, "--out", Dir("out-linked"));
        Assert.True(exit == Program.ExitOk, error);
        Assert.Contains(" / 6 test", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Train_IdxTestImagesOfAnotherSize_Exit2BeforeTraining()
    {
        string data = Dir("idx-sizes");
        TrainedIdxRun.WriteIdx(data, "train", 40, seed: 1);
        string other = Dir("idx-32");
        WriteIdx32(other, "t10k", 8);
        foreach (string file in Directory.GetFiles(other))
        {
            File.Move(file, Path.Combine(data, Path.GetFileName(file)));
        }
        AssertRefused(data, "idx:" + data, ["the test images are 1x32x32", "the training images are 1x28x28"]);
    }

    private static void WriteIdx32(string directory, string prefix, int count)
    {
        Directory.CreateDirectory(directory);
        WriteIdxFile(Path.Combine(directory, $"{prefix}-images-idx3-ubyte"), 0x803, [count, 32, 32], new byte[count * 32 * 32]);
        WriteIdxFile(Path.Combine(directory, $"{prefix}-labels-idx1-ubyte"), 0x801, [count], Enumerable.Range(0, count).Select(i => (byte)(i % 4)).ToArray());
    }

    private static void WriteIdxFile(string path, int magic, int[] dims, byte[] body)
    {
        using var stream = File.Create(path);
        var word = new byte[4];
        foreach (int value in dims.Prepend(magic))
        {
            System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(word, value);
            stream.Write(word);
        }
        stream.Write(body);
    }

    [Fact]
    public void Train_IdxDimsWhoseProductOverflows_Exit2SayingTheHeaderIsCorrupt()
    {
        string data = Dir("idx-overflow");
        TrainedIdxRun.WriteIdx(data, "train", 40, seed: 1);
        // 0 test images of 65536 x 65536: the plane overflowed an int ("plane ('0')").
        WriteIdxFile(Path.Combine(data, "t10k-images-idx3-ubyte"), 0x803, [0, 65536, 65536], []);
        WriteIdxFile(Path.Combine(data, "t10k-labels-idx1-ubyte"), 0x801, [0], []);
        AssertRefused(data, "idx:" + data, ["IDX dims 0x65536x65536", "corrupt"]);
    }

    [Fact]
    public void Train_IdxEmptyTestSplit_Exit2()
    {
        string data = Dir("idx-empty");
        TrainedIdxRun.WriteIdx(data, "train", 40, seed: 1);
        WriteIdxFile(Path.Combine(data, "t10k-images-idx3-ubyte"), 0x803, [0, 28, 28], []);
        WriteIdxFile(Path.Combine(data, "t10k-labels-idx1-ubyte"), 0x801, [0], []);
        AssertRefused(data, "idx:" + data, ["the test split holds no images"]);
    }

    [Theory]
    [InlineData("--batch-size", "2147483647", "invalid batch_size: must be between 1 and 1,048,576")]
    [InlineData("--lr", "1e308", "learning_rate must be a positive number float32 can hold")]
    public void Train_AbsurdSetting_Exit2NamingTheSetting(string option, string value, string message)
    {
        string data = Dir("idx-ok");
        TrainedIdxRun.WriteIdx(data, "train", 40, seed: 1);
        TrainedIdxRun.WriteIdx(data, "t10k", 8, seed: 2);
        AssertRefused(data, "idx:" + data, [message], option, value);
    }

    [Fact]
    public void Train_MalformedConfigJson_Exit2NamingTheFileAndLine()
    {
        string data = Dir("idx-cfg");
        TrainedIdxRun.WriteIdx(data, "train", 40, seed: 1);
        TrainedIdxRun.WriteIdx(data, "t10k", 8, seed: 2);
        string config = Path.Combine(data, "bad.json");
        File.WriteAllText(config, "{\n  \"train\": {\n    \"epochs\": 2,\n  }\n}\n");
        AssertRefused(data, "idx:" + data, [$"--config '{config}' is not valid JSON at line 4"], "--config", config);
    }

    [Fact]
    public void DeltaGrad_ReusedTrajectory_RunJsonGivesTheTrajectorysSettingsNotTheCommandLines()
    {
        // Issue 13 item 10 for the deltagrad verb, whose reuse applies the trajectory's own recipe by design: run.json
        // claimed the command line's --epochs/--lr, which the replay never used.
        string trajectory = Dir("t.dutraj");
        var (first, _) = CliRunner.Run("deltagrad", "--dataset", "synthetic", "--train-size", "300", "--epochs", "12", "--lr", "0.2",
            "--trajectory", trajectory, "--json", "--device", "cpu");
        Assert.Equal(Program.ExitOk, first);
        string output = Dir("dg-reused");
        var (again, _) = CliRunner.Run("deltagrad", "--dataset", "synthetic", "--train-size", "300", "--epochs", "30", "--lr", "0.5",
            "--trajectory", trajectory, "--json", "--device", "cpu", "--out", output);
        Assert.Equal(Program.ExitOk, again);
        using var run = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "run.json")));
        System.Text.Json.JsonElement root = run.RootElement;
        Assert.True(root.GetProperty("trajectory_reused").GetBoolean());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, root.GetProperty("recipe").ValueKind);
        Assert.Equal([0.2], root.GetProperty("trajectory_learning_rates").EnumerateArray().Select(e => e.GetDouble()));
        Assert.Equal(12, root.GetProperty("trajectory_steps").GetInt32() / root.GetProperty("trajectory_steps_per_epoch").GetInt32());
    }
}
