using System;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Xml.Linq;
using Xunit;

namespace DeepUnlearn.Cli.Tests;

/// <summary>
/// <c>evaluate</c> with a deletion request scores a model unlearned elsewhere as <c>unlearn</c> scores its own: a round
/// trip on the tiny IDX dataset (unlearn, then evaluate the checkpoint it wrote against the same original and retrained
/// model), the unchanged output without a request, and the refusal of a retrained model of another architecture.
/// </summary>
[Collection(TrainedIdxCollection.Name)]
public class EvaluateEvidenceCommandTests(TrainedIdxRun run)
{
    private static readonly string[] s_outputNumbers = ["zrf", "confidence_tv", "confidence_w1", "entropy_tv", "entropy_w1"];
    private static readonly string[] s_headline = ["unlearning_accuracy", "retain_accuracy", "test_accuracy", "mia_efficacy", "distance_to_original"];

    [Fact]
    public void UnlearnThenEvaluate_SameRequestAndReferences_EvaluateGivesUnlearnsEvidence()
    {
        // Any smallcnn of the same classes serves as the retrained reference of a round trip: a second, shorter training.
        string retrainedDir = run.Out("evaluate-evidence-retrained");
        var (trainExit, _, trainError) = CliRunner.RunWithErrors(
            "train", "--data", run.Data, "--model", "smallcnn", "--epochs", "1", "--batch-size", "32", "--lr", "0.05", "--seed", "7",
            "--workers", "0", "--device", "cpu", "--out", retrainedDir);
        Assert.True(trainExit == Program.ExitOk, trainError);
        string retrained = Path.Combine(retrainedDir, "last.safetensors");

        string unlearnDir = run.Out("evaluate-evidence-unlearn");
        var (unlearnExit, _, unlearnError) = CliRunner.RunWithErrors(
            "unlearn", "--checkpoint", run.Checkpoint, "--method", "random-label", "--forget-class", "1", "--seed", "0", "--probe-layers", "auto",
            "--retrained", retrained, "--workers", "0", "--device", "cpu", "--out", unlearnDir);
        Assert.True(unlearnExit == Program.ExitOk, unlearnError);

        string evaluateDir = run.Out("evaluate-evidence-evaluate");
        var (evaluateExit, output, evaluateError) = CliRunner.RunWithErrors(
            "evaluate", "--checkpoint", Path.Combine(unlearnDir, "unlearned.safetensors"), "--original", run.Checkpoint, "--retrained", retrained,
            "--forget-class", "1", "--seed", "0", "--probe-layers", "auto", "--workers", "0", "--device", "cpu", "--out", evaluateDir);
        Assert.True(evaluateExit == Program.ExitOk, evaluateError);
        Assert.Contains("# Forgetting evidence of", output, StringComparison.Ordinal);

        using JsonDocument unlearn = JsonDocument.Parse(File.ReadAllText(Path.Combine(unlearnDir, "metrics.json")));
        using JsonDocument evaluate = JsonDocument.Parse(File.ReadAllText(Path.Combine(evaluateDir, "metrics.json")));
        Assert.Equal("random-label", evaluate.RootElement.GetProperty("unlearned").GetProperty("method").GetString());
        foreach (string row in new[] { "original", "unlearned", "retrained", "do_nothing" })
        {
            JsonElement theirs = unlearn.RootElement.GetProperty(row);
            JsonElement mine = evaluate.RootElement.GetProperty(row);
            foreach (string key in s_headline)
            {
                AssertSame(theirs.GetProperty(key), mine.GetProperty(key));
            }
            JsonElement theirOutputs = theirs.GetProperty("outputs");
            JsonElement outputs = mine.GetProperty("outputs");
            foreach (string key in s_outputNumbers)
            {
                AssertSame(theirOutputs.GetProperty(key), outputs.GetProperty(key));
            }
            Assert.Equal(theirOutputs.GetProperty("class_mia").GetProperty("auc").GetDouble(), outputs.GetProperty("class_mia").GetProperty("auc").GetDouble(), 12);
            Assert.Equal(
                theirOutputs.GetProperty("per_class_test_accuracy").EnumerateArray().Select(v => v.GetDouble()),
                outputs.GetProperty("per_class_test_accuracy").EnumerateArray().Select(v => v.GetDouble()));
            Assert.Equal(
                theirs.GetProperty("layer_probes").EnumerateArray().Select(l => l.GetProperty("result").GetProperty("accuracy_percent").GetDouble()),
                mine.GetProperty("layer_probes").EnumerateArray().Select(l => l.GetProperty("result").GetProperty("accuracy_percent").GetDouble()));
        }
        foreach (string row in new[] { "unlearned", "do_nothing" })
        {
            double gap = unlearn.RootElement.GetProperty(row).GetProperty("average_gap").GetDouble();
            Assert.Equal(gap, evaluate.RootElement.GetProperty(row).GetProperty("average_gap").GetDouble(), 12);
        }
        // The method moved the model and the reference is another model, so these distances are not zero: the round trip
        // compares numbers that differ between the three models (evaluating the original in the checkpoint's place fails it).
        JsonElement unlearned = evaluate.RootElement.GetProperty("unlearned");
        Assert.True(unlearned.GetProperty("distance_to_original").GetDouble() > 1e-3, unlearned.GetRawText());
        Assert.True(unlearned.GetProperty("unlearning_accuracy").GetDouble() > evaluate.RootElement.GetProperty("original").GetProperty("unlearning_accuracy").GetDouble(), unlearned.GetRawText());
        Assert.True(unlearned.GetProperty("distance_to_retrained").GetDouble() > 0, unlearned.GetRawText());
        Assert.True(unlearned.GetProperty("js_divergence_forget").GetDouble() > 0, unlearned.GetRawText());

        // The same rows give the same pictures.
        string report = File.ReadAllText(Path.Combine(evaluateDir, "report.md"));
        Assert.Contains("| model | ZRF |", report, StringComparison.Ordinal);
        foreach (string chart in new[] { "per-class.svg", "mia-roc.svg", "probe-layers.svg", "forget-confidence-random-label.svg", "forget-entropy-random-label.svg" })
        {
            Assert.Contains($"(./{chart})", report, StringComparison.Ordinal);
            string svg = File.ReadAllText(Path.Combine(evaluateDir, chart));
            Assert.Equal("svg", XDocument.Parse(svg).Root!.Name.LocalName);
            Assert.Equal(File.ReadAllText(Path.Combine(unlearnDir, chart)), svg);
        }
    }

    /// <summary>The same number (to 12 places), or null on both sides (the original's distances to retrain).</summary>
    private static void AssertSame(JsonElement expected, JsonElement actual)
    {
        Assert.Equal(expected.ValueKind, actual.ValueKind);
        if (expected.ValueKind == JsonValueKind.Number)
        {
            Assert.Equal(expected.GetDouble(), actual.GetDouble(), 12);
        }
    }

    [Fact]
    public void Evaluate_WithoutRequest_WritesTheAccuracyReportAlone()
    {
        string dir = run.Out("evaluate-evidence-none");
        var (exit, output, error) = CliRunner.RunWithErrors("evaluate", "--checkpoint", run.Checkpoint, "--out", dir, "--device", "cpu", "--workers", "0");
        Assert.True(exit == Program.ExitOk, error);
        Assert.Contains("onfusion", output, StringComparison.Ordinal);
        Assert.Equal(
            new[] { "evaluation.json", "evaluation.md", "metrics.json", "run.json" },
            Directory.EnumerateFiles(dir).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        using JsonDocument metrics = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "metrics.json")));
        Assert.Equal(new[] { "accuracy", "loss", "per_class" }, metrics.RootElement.EnumerateObject().Select(p => p.Name));
    }

    [Fact]
    public void Evaluate_RetrainedOfAnotherArchitecture_IsRefusedBeforeEvaluation()
    {
        // A smallcnn over three classes: not the original's architecture (four outputs).
        string otherDir = run.Out("evaluate-evidence-three");
        var (trainExit, _, trainError) = CliRunner.RunWithErrors(
            "train", "--data", "idx:" + Path.Combine(run.Root, "three"), "--model", "smallcnn", "--epochs", "1", "--batch-size", "32",
            "--workers", "0", "--device", "cpu", "--out", otherDir);
        Assert.True(trainExit == Program.ExitOk, trainError);
        string other = Path.Combine(otherDir, "last.safetensors");

        string dir = run.Out("evaluate-evidence-bad");
        var (exit, _, error) = CliRunner.RunWithErrors(
            "evaluate", "--checkpoint", run.Checkpoint, "--original", run.Checkpoint, "--retrained", other, "--forget-class", "1",
            "--workers", "0", "--device", "cpu", "--out", dir);
        Assert.NotEqual(Program.ExitOk, exit);
        Assert.Contains($"--retrained '{other}' is a smallcnn (3 classes", error, StringComparison.Ordinal);
        Assert.Contains("4 classes", error, StringComparison.Ordinal);
        Assert.Contains("must be the same architecture", error, StringComparison.Ordinal);
        // Refused from the metadata: nothing evaluated, no output folder claimed.
        Assert.DoesNotContain("evaluate: ", error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(dir));
    }

    [Fact]
    public void Evaluate_RequestPartsWithoutTheirOtherHalf_SayWhatIsMissing()
    {
        // --retrained without a request would be silently ignored by the accuracy report: refused instead.
        var (exit, _, error) = CliRunner.RunWithErrors("evaluate", "--checkpoint", run.Checkpoint, "--retrained", run.Checkpoint, "--device", "cpu");
        Assert.NotEqual(Program.ExitOk, exit);
        Assert.Contains("--retrained score a deletion request", error, StringComparison.Ordinal);
        // A request without the original has nothing to compare the checkpoint with.
        string dir = run.Out("evaluate-evidence-no-original");
        var (noOriginal, _, noOriginalError) = CliRunner.RunWithErrors("evaluate", "--checkpoint", run.Checkpoint, "--forget-class", "1", "--device", "cpu", "--out", dir);
        Assert.NotEqual(Program.ExitOk, noOriginal);
        Assert.Contains("a deletion request needs --original", noOriginalError, StringComparison.Ordinal);
        Assert.False(Directory.Exists(dir));
    }
}
