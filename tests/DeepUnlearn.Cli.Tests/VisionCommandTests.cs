using System;
using System.IO;
using System.Linq;
using System.Text.Json;
using Xunit;

namespace DeepUnlearn.Cli.Tests;

/// <summary><c>deepunlearn unlearn</c>, <c>compare</c> and <c>list methods</c> on the tiny IDX dataset.</summary>
[Collection(TrainedIdxCollection.Name)]
public class VisionCommandTests(TrainedIdxRun run)
{
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
    public void Unlearn_IntoTheTrainingRunsDirectory_IsRefusedAndLeavesItsManifestAndMetrics()
    {
        string manifest = File.ReadAllText(Path.Combine(run.TrainDir, "run.json"));
        string metrics = File.ReadAllText(Path.Combine(run.TrainDir, "metrics.json"));
        var (exit, _, error) = CliRunner.RunWithErrors(
            "unlearn", "--checkpoint", run.Checkpoint, "--method", "ssd", "--forget-class", "1", "--workers", "0", "--device", "cpu", "--out", run.TrainDir);
        Assert.Equal(Program.ExitFailure, exit);
        Assert.Contains("already holds a run", error, StringComparison.Ordinal);
        Assert.Equal(manifest, File.ReadAllText(Path.Combine(run.TrainDir, "run.json")));
        Assert.Equal(metrics, File.ReadAllText(Path.Combine(run.TrainDir, "metrics.json")));
    }

    [Fact]
    public void Compare_SaveModels_KeepsEveryModelAsALoadableCheckpoint()
    {
        string dir = run.Out("compare-save");
        var (exit, _, error) = CliRunner.RunWithErrors(
            "compare", "--checkpoint", run.Checkpoint, "--methods", "ssd", "--forget-class", "1", "--save-models",
            "--set", "retrain.epochs=1", "--workers", "0", "--device", "cpu", "--out", dir);
        Assert.True(exit == Program.ExitOk, error);
        foreach (string method in new[] { "retrain", "ssd" })
        {
            string path = Path.Combine(dir, "models", $"{method}-seed0.safetensors");
            Assert.True(File.Exists(path), $"{path} was not written");
            var (evalExit, _, evalError) = CliRunner.RunWithErrors("evaluate", "--checkpoint", path, "--device", "cpu", "--out", run.Out($"compare-save-eval-{method}"));
            Assert.True(evalExit == Program.ExitOk, evalError);
        }
    }

    [Fact]
    public void Unlearn_Relearn_OriginalRelearnsInZeroStepsAndTheReportSaysWhatWasMeasured()
    {
        string dir = run.Out("unlearn-relearn");
        var (exit, output, error) = CliRunner.RunWithErrors(
            "unlearn", "--checkpoint", run.Checkpoint, "--method", "famr", "--forget-class", "1", "--set", "famr.epochs=2",
            "--relearn", "--relearn-samples", "8", "--relearn-steps", "20", "--workers", "0", "--device", "cpu", "--out", dir);
        Assert.True(exit == Program.ExitOk, error);
        using JsonDocument metrics = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "metrics.json")));
        JsonElement original = metrics.RootElement.GetProperty("original").GetProperty("relearn");
        Assert.Equal(0, original.GetProperty("steps").GetInt32());
        Assert.Equal(8, original.GetProperty("samples").GetInt32());
        JsonElement unlearned = metrics.RootElement.GetProperty("unlearned").GetProperty("relearn");
        Assert.Equal(20, unlearned.GetProperty("max_steps").GetInt32());
        Assert.Contains("Relearn time", output, StringComparison.Ordinal);
        Assert.Contains("Representation probe", output, StringComparison.Ordinal);
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
        // The honest-table rows and the probe, wired end to end: "do nothing" is the original scored against the
        // retrained model, so its Gap is recomputed here from the original's and retrain's numbers in compare.json.
        Assert.Contains("| do nothing |", markdown, StringComparison.Ordinal);
        Assert.Contains("Representation probe", markdown, StringComparison.Ordinal);
        using JsonDocument json = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "compare.json")));
        JsonElement report = json.RootElement.GetProperty("report");
        JsonElement originalRow = report.GetProperty("original");
        JsonElement[] summaries = [.. json.RootElement.GetProperty("summaries").EnumerateArray()];
        JsonElement retrain = summaries.Single(s => s.GetProperty("method").GetString() == "retrain");
        JsonElement doNothing = summaries.Single(s => s.GetProperty("method").GetString() == "do nothing");
        string[] headline = ["unlearning_accuracy", "retain_accuracy", "test_accuracy", "mia_efficacy"];
        double expectedGap = headline.Average(m => Math.Abs(originalRow.GetProperty(m).GetDouble() - retrain.GetProperty(m).GetProperty("mean").GetDouble()));
        Assert.Equal(expectedGap, doNothing.GetProperty("gap").GetDouble(), 9);
        Assert.InRange(originalRow.GetProperty("probe_accuracy").GetDouble(), 0, 100);
        Assert.True(retrain.GetProperty("probe_auc").GetProperty("mean").GetDouble() is >= 0 and <= 1);
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

    [Theory]
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
