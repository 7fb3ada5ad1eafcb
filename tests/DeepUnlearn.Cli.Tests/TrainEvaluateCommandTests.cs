using System;
using System.IO;
using System.Linq;
using System.Text.Json;
using Xunit;

namespace DeepUnlearn.Cli.Tests;

/// <summary><c>deepunlearn train</c>, <c>evaluate</c> and <c>list</c> on the tiny IDX dataset (the spine of the CLI).</summary>
[Collection(TrainedIdxCollection.Name)]
public class TrainEvaluateCommandTests(TrainedIdxRun run)
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
    [InlineData("models", "vgg16_bn")]
    [InlineData("datasets", "cifar10:DIR")]
    public void List_NamesEachRegisteredThing(string what, string expected)
    {
        var (exit, output) = CliRunner.Run("list", what);
        Assert.Equal(Program.ExitOk, exit);
        Assert.Contains(expected, output, StringComparison.Ordinal);
    }

    [Fact]
    public void List_UnknownWhat_IsUsageErrorListingTheValidOnes()
    {
        var (exit, _, error) = CliRunner.RunWithErrors("list", "optimizers");
        Assert.Equal(Program.ExitUsage, exit);
        Assert.Contains("models, datasets, methods", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Train_IntoAnotherRunsDirectoryWithoutResume_IsRefusedAndLeavesItsFilesAsTheyWere()
    {
        string best = Path.Combine(run.TrainDir, "best.safetensors");
        byte[] before = File.ReadAllBytes(best);
        string manifest = File.ReadAllText(Path.Combine(run.TrainDir, "run.json"));
        var (exit, _, error) = CliRunner.RunWithErrors("train", "--data", run.Data, "--epochs", "1", "--device", "cpu", "--out", run.TrainDir);
        Assert.Equal(Program.ExitFailure, exit);
        Assert.Contains("already holds a run", error, StringComparison.Ordinal);
        Assert.Contains("--overwrite", error, StringComparison.Ordinal);
        Assert.Equal(before, File.ReadAllBytes(best));
        Assert.Equal(manifest, File.ReadAllText(Path.Combine(run.TrainDir, "run.json")));
    }

    [Fact]
    public void Train_UnknownDevice_FailsNamingTheValidDevices()
    {
        var (exit, _, error) = CliRunner.RunWithErrors("train", "--data", run.Data, "--device", "tpu", "--out", run.Out("bad-device"));
        Assert.NotEqual(Program.ExitOk, exit);
        Assert.Contains("tpu", error, StringComparison.Ordinal);
        Assert.Contains("cuda:N", error, StringComparison.Ordinal);
    }
}
