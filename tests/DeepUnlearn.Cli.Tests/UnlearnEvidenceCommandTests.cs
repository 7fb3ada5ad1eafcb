using System;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Xml.Linq;
using Xunit;

namespace DeepUnlearn.Cli.Tests;

/// <summary>
/// <c>unlearn</c>'s report and metrics carry the evidence <c>compare</c> shows (ZRF, class MIA, D_f histograms and their
/// distances to retrain, per-class accuracy, per-layer probe, charts): a round trip between the two commands on the tiny
/// IDX dataset, the same method, seed and retrained model in both.
/// </summary>
[Collection(TrainedIdxCollection.Name)]
public class UnlearnEvidenceCommandTests(TrainedIdxRun run)
{
    private static readonly string[] s_outputNumbers = ["zrf", "confidence_tv", "confidence_w1", "entropy_tv", "entropy_w1"];

    [Fact]
    public void CompareThenUnlearn_SameModel_UnlearnCarriesCompareEvidenceAndIdenticalCharts()
    {
        string compareDir = run.Out("evidence-compare");
        var (exit, _, error) = CliRunner.RunWithErrors(
            "compare", "--checkpoint", run.Checkpoint, "--methods", "ssd", "--forget-class", "1", "--seeds", "0", "--probe-layers", "auto",
            "--save-models", "--set", "retrain.epochs=1", "--workers", "0", "--device", "cpu", "--out", compareDir);
        Assert.True(exit == Program.ExitOk, error);

        string unlearnDir = run.Out("evidence-unlearn");
        var (unlearnExit, _, unlearnError) = CliRunner.RunWithErrors(
            "unlearn", "--checkpoint", run.Checkpoint, "--method", "ssd", "--forget-class", "1", "--seed", "0", "--probe-layers", "auto",
            "--retrained", Path.Combine(compareDir, "models", "retrain-seed0.safetensors"), "--workers", "0", "--device", "cpu", "--out", unlearnDir);
        Assert.True(unlearnExit == Program.ExitOk, unlearnError);

        using JsonDocument compare = JsonDocument.Parse(File.ReadAllText(Path.Combine(compareDir, "metrics.json")));
        using JsonDocument unlearn = JsonDocument.Parse(File.ReadAllText(Path.Combine(unlearnDir, "metrics.json")));
        JsonElement Run(string method) => compare.RootElement.EnumerateArray().Single(r => r.GetProperty("method").GetString() == method);
        foreach (var (compareRow, unlearnRow) in new[] { (Run("ssd"), "unlearned"), (Run("retrain"), "retrained"), (Run("do nothing"), "do_nothing") })
        {
            JsonElement mine = unlearn.RootElement.GetProperty(unlearnRow);
            JsonElement theirs = compareRow.GetProperty("outputs");
            JsonElement outputs = mine.GetProperty("outputs");
            foreach (string key in s_outputNumbers)
            {
                Assert.Equal(theirs.GetProperty(key).GetDouble(), outputs.GetProperty(key).GetDouble(), 12);
            }
            Assert.Equal(theirs.GetProperty("class_mia").GetProperty("auc").GetDouble(), outputs.GetProperty("class_mia").GetProperty("auc").GetDouble(), 12);
            Assert.Equal(theirs.GetProperty("mia_roc").GetProperty("auc").GetDouble(), outputs.GetProperty("mia_roc").GetProperty("auc").GetDouble(), 12);
            Assert.Equal(
                theirs.GetProperty("per_class_test_accuracy").EnumerateArray().Select(v => v.GetDouble()),
                outputs.GetProperty("per_class_test_accuracy").EnumerateArray().Select(v => v.GetDouble()));
            Assert.Equal(
                compareRow.GetProperty("layer_probes").EnumerateArray().Select(l => l.GetProperty("result").GetProperty("accuracy_percent").GetDouble()),
                mine.GetProperty("layer_probes").EnumerateArray().Select(l => l.GetProperty("result").GetProperty("accuracy_percent").GetDouble()));
            Assert.Equal(compareRow.GetProperty("average_gap").GetDouble(), mine.GetProperty("average_gap").GetDouble(), 12);
        }
        // Against the retrained model the distances exist, and retrain is at distance 0 from itself.
        Assert.Equal(0, unlearn.RootElement.GetProperty("retrained").GetProperty("outputs").GetProperty("confidence_tv").GetDouble());

        string report = File.ReadAllText(Path.Combine(unlearnDir, "report.md"));
        double zrf = unlearn.RootElement.GetProperty("unlearned").GetProperty("outputs").GetProperty("zrf").GetDouble();
        // The ssd row of the evidence table (the first "| ssd |" after its header) starts with the ZRF of metrics.json.
        string[] lines = report.Split('\n');
        int header = Array.FindIndex(lines, l => l.StartsWith("| model | ZRF |", StringComparison.Ordinal));
        Assert.True(header >= 0, report);
        string ssdRow = lines.Skip(header).First(l => l.StartsWith("| ssd |", StringComparison.Ordinal));
        Assert.StartsWith($"| ssd | {zrf.ToString("F3", System.Globalization.CultureInfo.InvariantCulture)} |", ssdRow, StringComparison.Ordinal);
        Assert.Contains("**class MIA**", report, StringComparison.Ordinal);
        Assert.Contains("Probe per layer", report, StringComparison.Ordinal);
        Assert.Contains("Not run: the per-example attacks", report, StringComparison.Ordinal);
        Assert.DoesNotContain("Absent from this run", report, StringComparison.Ordinal);

        // The same rows give the same pictures: every chart unlearn links is valid SVG and byte-identical to compare's.
        string[] charts = ["per-class.svg", "mia-roc.svg", "probe-layers.svg", "forget-confidence-ssd.svg", "forget-entropy-ssd.svg"];
        foreach (string chart in charts)
        {
            Assert.Contains($"(./{chart})", report, StringComparison.Ordinal);
            string svg = File.ReadAllText(Path.Combine(unlearnDir, chart));
            Assert.Equal("svg", XDocument.Parse(svg).Root!.Name.LocalName);
            Assert.Equal(File.ReadAllText(Path.Combine(compareDir, chart)), svg);
        }
    }

    [Fact]
    public void Unlearn_WithoutRetrained_ReportsOutputEvidenceAndSaysWhatNeedsTheRetrainedModel()
    {
        string dir = run.Out("evidence-unlearn-alone");
        var (exit, output, error) = CliRunner.RunWithErrors(
            "unlearn", "--checkpoint", run.Checkpoint, "--method", "ssd", "--forget-class", "1", "--workers", "0", "--device", "cpu", "--out", dir);
        Assert.True(exit == Program.ExitOk, error);
        Assert.Contains("Absent from this run because they need a model retrained without the forget set (`--retrained`)", output, StringComparison.Ordinal);
        using JsonDocument metrics = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "metrics.json")));
        JsonElement outputs = metrics.RootElement.GetProperty("unlearned").GetProperty("outputs");
        Assert.InRange(outputs.GetProperty("zrf").GetDouble(), 0, 1);
        Assert.Equal(TrainedIdxRun.Classes, outputs.GetProperty("per_class_test_accuracy").GetArrayLength());
        // No retrained model: no distance to it, no do-nothing row.
        Assert.Equal(JsonValueKind.Null, outputs.GetProperty("confidence_tv").ValueKind);
        Assert.Equal(JsonValueKind.Null, metrics.RootElement.GetProperty("do_nothing").ValueKind);
        foreach (string chart in new[] { "per-class.svg", "mia-roc.svg", "forget-confidence-ssd.svg", "forget-entropy-ssd.svg" })
        {
            Assert.Equal("svg", XDocument.Parse(File.ReadAllText(Path.Combine(dir, chart))).Root!.Name.LocalName);
        }
        Assert.False(File.Exists(Path.Combine(dir, "probe-layers.svg")));

        // A replacing run of another method takes the earlier method's charts away with the rest of its outputs.
        var (again, _, againError) = CliRunner.RunWithErrors(
            "unlearn", "--checkpoint", run.Checkpoint, "--method", "gradient-ascent", "--forget-class", "1", "--workers", "0", "--device", "cpu", "--out", dir, "--overwrite");
        Assert.True(again == Program.ExitOk, againError);
        Assert.False(File.Exists(Path.Combine(dir, "forget-confidence-ssd.svg")));
        Assert.True(File.Exists(Path.Combine(dir, "forget-confidence-gradient-ascent.svg")));
    }
}
