using System;
using System.Buffers.Binary;
using System.IO;
using System.Linq;
using System.Text.Json;
using Xunit;

namespace DeepUnlearn.Cli.Tests;

/// <summary>
/// A tiny four-class image dataset in the real IDX format (a bright square in one quadrant per class, on
/// noise) and smallcnn trained on it once through <c>deepunlearn train</c>.
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

    private static void WriteIdx(string directory, string prefix, int count, int seed, int classes = Classes)
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

public class VisionCommandTests(TrainedIdxRun run) : IClassFixture<TrainedIdxRun>
{
    [Fact]
    public void Train_WritesCheckpointsRunAndMetrics()
    {
        Assert.True(File.Exists(run.Checkpoint));
        Assert.True(File.Exists(Path.Combine(run.TrainDir, "best.safetensors")));
        using JsonDocument manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(run.TrainDir, "run.json")));
        Assert.Equal("train", manifest.RootElement.GetProperty("command").GetString());
        string metrics = File.ReadAllText(Path.Combine(run.TrainDir, "metrics.json"));
        Assert.Contains("accuracy", metrics, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_ReportsAccuracyPerClassAndConfusion()
    {
        string dir = run.Out("evaluate");
        var (exit, output, error) = CliRunner.RunWithErrors("evaluate", "--checkpoint", run.Checkpoint, "--out", dir, "--device", "cpu");
        Assert.True(exit == Program.ExitOk, error);
        Assert.Contains("onfusion", output, StringComparison.Ordinal);
        using JsonDocument report = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "evaluation.json")));
        double accuracy = report.RootElement.GetProperty("accuracy").GetDouble();
        Assert.True(accuracy > 90, $"the synthetic quadrants should be learnt, got {accuracy:F1}%");
        Assert.Equal(TrainedIdxRun.Classes, report.RootElement.GetProperty("per_class").EnumerateObject().Count());
        Assert.True(File.Exists(Path.Combine(dir, "evaluation.md")));
        Assert.True(File.Exists(Path.Combine(dir, "metrics.json")));
    }

    [Fact]
    public void Unlearn_Famr_WritesCheckpointMetricsAndReport_AndForgets()
    {
        string dir = run.Out("unlearn");
        var (exit, _, error) = CliRunner.RunWithErrors(
            "unlearn", "--checkpoint", run.Checkpoint, "--method", "famr", "--forget-class", "2", "--set", "famr.epochs=20",
            "--set", "famr.learning_rate=0.05", "--set", "famr.batch_size=32", "--workers", "0", "--device", "cpu", "--out", dir);
        Assert.True(exit == Program.ExitOk, error);
        foreach (string file in new[] { "unlearned.safetensors", "run.json", "metrics.json", "report.md" })
        {
            Assert.True(File.Exists(Path.Combine(dir, file)), $"{file} missing");
        }
        using JsonDocument metrics = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "metrics.json")));
        JsonElement unlearned = metrics.RootElement.GetProperty("unlearned");
        JsonElement original = metrics.RootElement.GetProperty("original");
        double ua = unlearned.GetProperty("unlearning_accuracy").GetDouble();
        Assert.True(ua > original.GetProperty("unlearning_accuracy").GetDouble(), $"UA (100 − forget accuracy) {ua}");
        Assert.True(unlearned.GetProperty("distance_to_original").GetDouble() > 0);
    }

    [Fact]
    public void Compare_TwoSeeds_WritesTablesAndCharts()
    {
        string dir = run.Out("compare");
        var (exit, output, error) = CliRunner.RunWithErrors(
            "compare", "--checkpoint", run.Checkpoint, "--methods", "famr,famr@head,ssd,deltagrad-head", "--forget-class", "1", "--seeds", "0,1",
            "--set", "famr.epochs=5", "--set", "famr@head.parameters=head", "--set", "retrain.epochs=2", "--workers", "0", "--device", "cpu", "--out", dir);
        Assert.True(exit == Program.ExitOk, error);
        Assert.Contains("±", output, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(dir, "compare.md")));
        Assert.True(File.Exists(Path.Combine(dir, "compare.json")));
        Assert.NotEmpty(Directory.GetFiles(dir, "*.svg"));
        string markdown = File.ReadAllText(Path.Combine(dir, "compare.md"));
        Assert.Contains("| famr |", markdown, StringComparison.Ordinal);
        Assert.Contains("| famr@head |", markdown, StringComparison.Ordinal);
        // DeltaGrad's row says what ran: the head alone, replayed exactly (T0 = 1) for this class request.
        Assert.Contains("| deltagrad-head (T0=1) |", markdown, StringComparison.Ordinal);
        Assert.Contains("retrain", markdown, StringComparison.Ordinal);
        Assert.Contains("per-seed gap", markdown, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--forget-class", "Sneaker", "valid")]
    [InlineData("--forget-fraction", "1", "(0, 1)")]
    [InlineData("--forget-count", "100000", "training split")]
    [InlineData("--forget-count", "0", "non-zero")]
    public void Unlearn_BadRequests_FailWithTheReason(string option, string value, string expected)
    {
        var (exit, _, error) = CliRunner.RunWithErrors(
            "unlearn", "--checkpoint", run.Checkpoint, "--method", "finetune", option, value, "--device", "cpu", "--out", run.Out("bad-" + Guid.NewGuid().ToString("N")));
        Assert.NotEqual(Program.ExitOk, exit);
        Assert.Contains(expected, error, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Unlearn_UnknownMethod_ListsTheRegisteredOnes()
    {
        var (exit, _, error) = CliRunner.RunWithErrors("unlearn", "--checkpoint", run.Checkpoint, "--method", "forgetfulness", "--forget-class", "1", "--device", "cpu", "--out", run.Out("bad-method"));
        Assert.NotEqual(Program.ExitOk, exit);
        Assert.Contains("famr", error, StringComparison.Ordinal);
        Assert.Contains("scrub", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Unlearn_IdsOutOfRange_NamesTheRange()
    {
        string ids = run.Out("ids.txt");
        File.WriteAllLines(ids, ["# two ids", "3", "100000"]);
        var (exit, _, error) = CliRunner.RunWithErrors("unlearn", "--checkpoint", run.Checkpoint, "--method", "finetune", "--forget-ids", ids, "--device", "cpu", "--out", run.Out("bad-ids"));
        Assert.NotEqual(Program.ExitOk, exit);
        Assert.Contains("100000", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Unlearn_InvalidHyperParameter_NamesTheOption()
    {
        var (exit, _, error) = CliRunner.RunWithErrors("unlearn", "--checkpoint", run.Checkpoint, "--method", "famr", "--forget-class", "1", "--set", "famr.rho=-1", "--device", "cpu", "--out", run.Out("bad-rho"));
        Assert.NotEqual(Program.ExitOk, exit);
        Assert.Contains("rho", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Unlearn_CheckpointAndDatasetOfDifferentClassCounts_IsRefused()
    {
        string three = "idx:" + Path.Combine(run.Root, "three");
        var (exit, _, error) = CliRunner.RunWithErrors("unlearn", "--checkpoint", run.Checkpoint, "--data", three, "--method", "finetune", "--forget-class", "1", "--device", "cpu", "--out", run.Out("bad-classes"));
        Assert.NotEqual(Program.ExitOk, exit);
        Assert.Contains("3", error, StringComparison.Ordinal);
        Assert.Contains("4", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_MissingCheckpoint_SaysSo()
    {
        var (exit, _, error) = CliRunner.RunWithErrors("evaluate", "--checkpoint", run.Out("nowhere.safetensors"), "--device", "cpu");
        Assert.Equal(Program.ExitFailure, exit);
        Assert.Contains("nowhere.safetensors", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_CorruptCheckpoint_FailsAndLeavesTheFile()
    {
        string path = run.Out("corrupt.safetensors");
        byte[] bytes = File.ReadAllBytes(run.Checkpoint).Take(200).ToArray();
        File.WriteAllBytes(path, bytes);
        var (exit, _, error) = CliRunner.RunWithErrors("evaluate", "--checkpoint", path, "--device", "cpu");
        Assert.Equal(Program.ExitFailure, exit);
        Assert.Contains("corrupt.safetensors", error, StringComparison.Ordinal);
        Assert.Equal(bytes, File.ReadAllBytes(path));
    }

    [Theory]
    [InlineData("models", "resnet18")]
    [InlineData("datasets", "cifar10:DIR")]
    [InlineData("methods", "famr")]
    [InlineData("methods", "settings (famr.KEY=VALUE): batch_size=128, epochs=5, learning_rate=0.01, momentum=0.9, optimizer=sgd, parameters=all, rho=1, steps=default, stop_at_forget_accuracy=default")]
    [InlineData("methods", "defaults from paper: alpha (ResNet18 CIFAR tasks), lambda (ResNet18 CIFAR tasks); authors' code: batch_size (loaders' batch size); ours: none")]
    public void List_NamesEachRegisteredThing(string what, string expected)
    {
        var (exit, output) = CliRunner.Run("list", what);
        Assert.Equal(Program.ExitOk, exit);
        Assert.Contains(expected, output, StringComparison.Ordinal);
    }
}
