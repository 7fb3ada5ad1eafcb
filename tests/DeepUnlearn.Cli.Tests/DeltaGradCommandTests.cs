using System;
using System.IO;
using System.Linq;
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
            "deltagrad", "--dataset", "synthetic", "--train-size", "600", "--epochs", "60", "--lr", "0.2",
            "--delete-fraction", "0.01", "--trajectory", trajectory, "--out", outDir, "--device", "cpu");
        Assert.Equal(Program.ExitOk, exit);
        Assert.Contains("speed-up", output, StringComparison.Ordinal);
        Assert.True(File.Exists(trajectory) && File.Exists(trajectory + ".ids"));
        using (JsonDocument run = JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, "run.json"))))
        {
            Assert.Equal("deltagrad", run.RootElement.GetProperty("command").GetString());
            Assert.False(run.RootElement.GetProperty("trajectory_reused").GetBoolean());
            Assert.Equal(5, run.RootElement.GetProperty("options").GetProperty("period").GetInt32());
            Assert.Equal(20, run.RootElement.GetProperty("options").GetProperty("burn_in").GetInt32());
        }
        using (JsonDocument metrics = JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, "metrics.json"))))
        {
            JsonElement m = metrics.RootElement.GetProperty("deltagrad");
            Assert.Equal(6, m.GetProperty("changed_samples").GetInt32());
            Assert.True(m.GetProperty("approximate_steps").GetInt32() > 0);
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
    public void DeltaGrad_AddCount_HoldsOutTheSamplesThenAddsThem()
    {
        string trajectory = Path.Combine(_directory, "add.dutraj");
        var (exit, json) = CliRunner.Run(
            "deltagrad", "--dataset", "synthetic", "--train-size", "500", "--epochs", "60", "--add-count", "5",
            "--trajectory", trajectory, "--json", "--device", "cpu");
        Assert.Equal(Program.ExitOk, exit);
        using (JsonDocument doc = JsonDocument.Parse(json))
        {
            Assert.Equal("addition", doc.RootElement.GetProperty("change").GetString());
            Assert.Equal(5, doc.RootElement.GetProperty("changed_samples").GetInt32());
            Assert.Equal(495, doc.RootElement.GetProperty("training_samples").GetInt64());
            Assert.True(doc.RootElement.GetProperty("relative_distance").GetDouble() < 0.1);
        }

        // The recorded run never saw the held-out ids, so the same request replays on it; with T0 = 1 exactly.
        var (again, exactJson) = CliRunner.Run(
            "deltagrad", "--dataset", "synthetic", "--train-size", "500", "--add-count", "5", "--period", "1",
            "--trajectory", trajectory, "--json", "--device", "cpu");
        Assert.Equal(Program.ExitOk, again);
        using JsonDocument exact = JsonDocument.Parse(exactJson);
        Assert.True(exact.RootElement.GetProperty("distance_to_retrain").GetDouble() < 1e-12);
        Assert.True(exact.RootElement.GetProperty("original_distance_to_retrain").GetDouble() > 1e-6);
    }

    [Fact]
    public void DeltaGrad_AddCountOnATrajectoryThatTrainedOnThem_Fails()
    {
        string trajectory = Path.Combine(_directory, "all.dutraj");
        var (first, _) = CliRunner.Run("deltagrad", "--dataset", "synthetic", "--train-size", "300", "--epochs", "12", "--trajectory", trajectory, "--json", "--device", "cpu");
        Assert.Equal(Program.ExitOk, first);
        var (exit, _, error) = CliRunner.RunWithErrors("deltagrad", "--dataset", "synthetic", "--train-size", "300", "--add-count", "3", "--trajectory", trajectory, "--device", "cpu");
        Assert.Equal(Program.ExitFailure, exit);
        Assert.Contains("already in the training set", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--delete-fraction", "0.01", "deletion")]
    [InlineData("--add-count", "6", "addition")]
    public void DeltaGrad_Stream_ReportsEveryRequestWithCumulativeTimes(string option, string value, string change)
    {
        string outDir = Path.Combine(_directory, "stream-" + change);
        var (exit, json) = CliRunner.Run(
            "deltagrad", "--dataset", "synthetic", "--train-size", "600", "--epochs", "30", option, value, "--stream", "3",
            "--period", "1", "--json", "--out", outDir, "--device", "cpu");
        Assert.Equal(Program.ExitOk, exit);
        using JsonDocument doc = JsonDocument.Parse(json);
        JsonElement[] steps = doc.RootElement.EnumerateArray().ToArray();
        Assert.Equal([1, 2, 3], steps.Select(s => s.GetProperty("request").GetInt32()));
        Assert.Equal([2, 4, 6], steps.Select(s => s.GetProperty("cumulative_changed_samples").GetInt32()));
        Assert.All(steps, s => Assert.Equal(change, s.GetProperty("change").GetString()));
        Assert.All(steps, s => Assert.True(s.GetProperty("distance_to_retrain").GetDouble() < 1e-12));
        double[] retrain = steps.Select(s => s.GetProperty("cumulative_retrain_seconds").GetDouble()).ToArray();
        Assert.True(retrain[0] < retrain[1] && retrain[1] < retrain[2]);
        using JsonDocument metrics = JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, "metrics.json")));
        Assert.Equal(3, metrics.RootElement.GetProperty("stream").GetArrayLength());
        Assert.Equal(JsonValueKind.Null, metrics.RootElement.GetProperty("deltagrad").ValueKind);
    }

    [Fact]
    public void BenchDeltaGrad_Synthetic_ReportsEveryRateForDeletionAndAdditionAndTheStream()
    {
        // The bench verb's owner registers DeltaGradBenchCommand; here it runs on its own.
        var (exit, output) = RunBench(
            "deltagrad", "--dataset", "synthetic", "--train-size", "1000", "--batch-size", "0", "--epochs", "60",
            "--rates", "0.002,0.01", "--stream", "2", "--device", "cpu", "--json");
        Assert.Equal(Program.ExitOk, exit);
        using JsonDocument report = JsonDocument.Parse(output);
        JsonElement[] rows = report.RootElement.GetProperty("rows").EnumerateArray().ToArray();
        Assert.Equal(["deletion", "addition", "deletion", "addition"], rows.Select(r => r.GetProperty("metrics").GetProperty("change").GetString()));
        Assert.Equal([2, 2, 10, 10], rows.Select(r => r.GetProperty("metrics").GetProperty("changed_samples").GetInt32()));
        Assert.All(rows, r => Assert.True(r.GetProperty("metrics").GetProperty("relative_distance").GetDouble() < 0.1));
        Assert.Equal(4, report.RootElement.GetProperty("stream").GetArrayLength());
        Assert.Equal(10, report.RootElement.GetProperty("held_out_samples").GetInt64());
        Assert.Contains("j0 20", report.RootElement.GetProperty("authors_settings").GetString(), StringComparison.Ordinal);
        Assert.Equal(20, report.RootElement.GetProperty("options").GetProperty("burn_in").GetInt32());

        var (table, text) = RunBench(
            "deltagrad", "--dataset", "synthetic", "--train-size", "500", "--batch-size", "0", "--epochs", "25",
            "--rates", "0.01", "--changes", "addition", "--device", "cpu");
        Assert.Equal(Program.ExitOk, table);
        Assert.Contains("authors' MNIST logistic regression", text, StringComparison.Ordinal);
        Assert.Contains("addition", text, StringComparison.Ordinal);
        Assert.DoesNotContain("deletion", text.Replace("deletion-rate", string.Empty, StringComparison.Ordinal), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--changes", "removal")]
    [InlineData("--rates", "0.01,x")]
    [InlineData("--stream", "-1")]
    [InlineData("--lr-epochs", "5,5")]
    [InlineData("--lr", "0.1,-0.05")]
    public void BenchDeltaGrad_BadOption_IsUsageError(string option, string value)
    {
        var (exit, _) = RunBench("deltagrad", "--dataset", "synthetic", "--train-size", "200", option, value);
        Assert.Equal(Program.ExitUsage, exit);
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

    [Theory]
    [InlineData("--add-count", "3", "--delete-fraction", "0.1", "one request")]
    [InlineData("--add-count", "0", "--stream", "1", "--add-count must be")]
    [InlineData("--stream", "0", "--add-count", "2", "--stream must be")]
    [InlineData("--stream", "4", "--add-count", "3", "needs at least as many samples")]
    [InlineData("--lr", "0.1,0.05", "--lr-epochs", "5,5", "adding up to the 40 epochs")]
    [InlineData("--lr", "0.1,0.05", "--epochs", "1", "need as many stage lengths")]
    public void DeltaGrad_BadRequest_IsUsageErrorNamingTheProblem(string option1, string value1, string option2, string value2, string message)
    {
        var (exit, _, error) = CliRunner.RunWithErrors("deltagrad", "--dataset", "synthetic", "--train-size", "200", "--device", "cpu", option1, value1, option2, value2);
        Assert.Equal(Program.ExitUsage, exit);
        Assert.Contains(message, error, StringComparison.Ordinal);
    }

    [Fact]
    public void DeltaGrad_StagedLearningRate_IsRecordedPerStep()
    {
        string trajectory = Path.Combine(_directory, "staged.dutraj");
        var (exit, _) = CliRunner.Run(
            "deltagrad", "--dataset", "synthetic", "--train-size", "200", "--epochs", "4", "--lr", "0.1,0.05", "--lr-epochs", "3,1",
            "--trajectory", trajectory, "--json", "--device", "cpu");
        Assert.Equal(Program.ExitOk, exit);
        using (var recorded = DeepUnlearn.Training.Trajectory.TrainingTrajectory.Open(trajectory))
        {
            Assert.Equal([0.1, 0.1, 0.1, 0.05], Enumerable.Range(0, recorded.StepCount).Select(recorded.LearningRate));
        }

        // Without --lr-epochs the stages share the epochs evenly, the earlier ones taking the remainder.
        string even = Path.Combine(_directory, "even.dutraj");
        var (second, _) = CliRunner.Run(
            "deltagrad", "--dataset", "synthetic", "--train-size", "200", "--epochs", "5", "--lr", "0.1,0.05",
            "--trajectory", even, "--json", "--device", "cpu");
        Assert.Equal(Program.ExitOk, second);
        using var split = DeepUnlearn.Training.Trajectory.TrainingTrajectory.Open(even);
        Assert.Equal([0.1, 0.1, 0.1, 0.05, 0.05], Enumerable.Range(0, split.StepCount).Select(split.LearningRate));
    }

    private static (int Exit, string Output) RunBench(params string[] args)
    {
        var command = new System.CommandLine.RootCommand { Commands.DeltaGradBenchCommand.Create() };
        TextWriter original = Console.Out;
        TextWriter originalError = Console.Error;
        using var writer = new StringWriter();
        Console.SetOut(writer);
        Console.SetError(writer);
        int exit;
        try
        {
            exit = command.Parse(args).Invoke();
        }
        finally
        {
            Console.SetOut(original);
            Console.SetError(originalError);
        }
        return (exit, writer.ToString());
    }
}
