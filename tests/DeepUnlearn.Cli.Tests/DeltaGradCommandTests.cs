using System;
using System.IO;
using System.Text.Json;
using Xunit;

namespace DeepUnlearn.Cli.Tests;

public sealed class DeltaGradCommandTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "du-deltagrad-cli-" + Guid.NewGuid().ToString("N"));

    public DeltaGradCommandTests()
    {
        Directory.CreateDirectory(_directory);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void DeltaGrad_Synthetic_WritesRunAndMetricsAndReusesTheTrajectory()
    {
        string trajectory = Path.Combine(_directory, "t.dutraj");
        string outDir = Path.Combine(_directory, "out");
        var (exit, output) = CliRunner.Run(
            "deltagrad", "--dataset", "synthetic", "--train-size", "600", "--epochs", "20", "--lr", "0.2",
            "--delete-fraction", "0.01", "--trajectory", trajectory, "--out", outDir, "--device", "cpu");
        Assert.Equal(Program.ExitOk, exit);
        Assert.Contains("speed-up", output, StringComparison.Ordinal);
        Assert.True(File.Exists(trajectory) && File.Exists(trajectory + ".ids"));
        using (JsonDocument run = JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, "run.json"))))
        {
            Assert.Equal("deltagrad", run.RootElement.GetProperty("command").GetString());
            Assert.False(run.RootElement.GetProperty("trajectory_reused").GetBoolean());
            Assert.Equal(5, run.RootElement.GetProperty("options").GetProperty("period").GetInt32());
        }
        using (JsonDocument metrics = JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, "metrics.json"))))
        {
            JsonElement m = metrics.RootElement.GetProperty("deltagrad");
            Assert.Equal(6, m.GetProperty("changed_samples").GetInt32());
            Assert.True(m.GetProperty("relative_distance").GetDouble() < 0.1);
            Assert.True(m.GetProperty("test_accuracy_retrain").GetDouble() > 50);
        }

        var (again, json) = CliRunner.Run(
            "deltagrad", "--dataset", "synthetic", "--train-size", "600", "--trajectory", trajectory, "--json", "--device", "cpu", "--period", "1");
        Assert.Equal(Program.ExitOk, again);
        using JsonDocument exact = JsonDocument.Parse(json);
        Assert.Equal(0, exact.RootElement.GetProperty("approximate_steps").GetInt32());
        Assert.True(exact.RootElement.GetProperty("distance_to_retrain").GetDouble() < 1e-12);
    }

    [Fact]
    public void DeltaGrad_TrajectoryOfAnotherModel_Fails()
    {
        string trajectory = Path.Combine(_directory, "t.dutraj");
        var (first, _) = CliRunner.Run("deltagrad", "--dataset", "synthetic", "--train-size", "300", "--epochs", "12", "--trajectory", trajectory, "--json", "--device", "cpu");
        Assert.Equal(Program.ExitOk, first);
        var (exit, _) = CliRunner.Run("deltagrad", "--dataset", "synthetic", "--train-size", "300", "--model", "mlp", "--hidden", "8", "--trajectory", trajectory, "--json", "--device", "cpu");
        Assert.Equal(Program.ExitFailure, exit);
    }

    [Fact]
    public void BenchDeltaGrad_Synthetic_ReportsEveryRate()
    {
        // The bench verb's owner registers DeltaGradBenchCommand; here it runs on its own.
        var command = new System.CommandLine.RootCommand { Commands.DeltaGradBenchCommand.Create() };
        TextWriter original = Console.Out;
        using var writer = new StringWriter();
        Console.SetOut(writer);
        int exit;
        try
        {
            exit = command.Parse(["deltagrad", "--dataset", "synthetic", "--train-size", "1000", "--batch-size", "0", "--epochs", "25",
                "--rates", "0.002,0.01", "--device", "cpu", "--json"]).Invoke();
        }
        finally
        {
            Console.SetOut(original);
        }
        Assert.Equal(Program.ExitOk, exit);
        using JsonDocument rows = JsonDocument.Parse(writer.ToString());
        Assert.Equal(2, rows.RootElement.GetArrayLength());
        Assert.Equal(2, rows.RootElement[0].GetProperty("metrics").GetProperty("changed_samples").GetInt32());
        Assert.Equal(10, rows.RootElement[1].GetProperty("metrics").GetProperty("changed_samples").GetInt32());
        Assert.All(rows.RootElement.EnumerateArray(), r => Assert.True(r.GetProperty("metrics").GetProperty("relative_distance").GetDouble() < 0.1));
    }

    [Fact]
    public void DeltaGrad_BothDeletionOptions_IsUsageError()
    {
        string ids = Path.Combine(_directory, "ids.txt");
        File.WriteAllText(ids, "1\n2\n");
        var (exit, _) = CliRunner.Run("deltagrad", "--dataset", "synthetic", "--delete-ids", ids, "--delete-fraction", "0.1");
        Assert.Equal(Program.ExitUsage, exit);
        var (model, _) = CliRunner.Run("deltagrad", "--model", "resnet");
        Assert.Equal(Program.ExitUsage, model);
    }
}
