using System;
using System.IO;
using System.Linq;
using System.Xml.Linq;
using DeepUnlearn.Evaluation;
using DeepUnlearn.Reporting;
using Xunit;

namespace DeepUnlearn.Tests.Reporting;

/// <summary>
/// The compare report's forget-set section: the table carries each number with its definition beside it, the JSON
/// summaries carry them too, and <see cref="ComparisonReport.Write"/> writes the pictures (per-class bars, D_f
/// histograms per method, the log-log ROC, the per-layer probe), each well-formed SVG naming its series.
/// </summary>
public class OutputEvidenceReportTests
{
    [Fact]
    public void ToMarkdown_OutputEvidence_TableWithDefinitionsAndChartLinks()
    {
        string markdown = Report().ToMarkdown();
        Assert.Contains("| model | ZRF | class-MIA AUC | class-MIA acc | conf TV | conf W1 | ent TV | ent W1 | MIA-feature AUC |", markdown, StringComparison.Ordinal);
        Assert.Contains("| suppressor | 0.400 | 0.950 | 90.00 | 0.500 | 0.300 | 0.250 | 0.200 | 1.000 |", markdown, StringComparison.Ordinal);
        Assert.Contains("**ZRF** (Chundawat et al., AAAI 2023)", markdown, StringComparison.Ordinal);
        Assert.Contains("**class MIA** (ours", markdown, StringComparison.Ordinal);
        Assert.Contains("(`Trouser`, the class the original model ranks next)", markdown, StringComparison.Ordinal);
        Assert.Contains("](./forget-confidence-suppressor.svg)", markdown, StringComparison.Ordinal);
        Assert.Contains("](./mia-roc.svg)", markdown, StringComparison.Ordinal);
        Assert.Contains("| suppressor | 97.00 | 95.00 |", markdown, StringComparison.Ordinal);
        Assert.Equal(0.95, Report().Summaries.Single(s => s.Method == "suppressor").Outputs!.ClassMiaAuc!.Value.Mean, 12);
    }

    [Fact]
    public void Write_OutputEvidence_EveryChartParsesAndNamesItsSeries()
    {
        string directory = Path.Combine(Path.GetTempPath(), "du-oer-" + Guid.NewGuid().ToString("N"));
        try
        {
            Report().Write(directory);
            foreach (string name in new[] { OutputEvidenceReport.PerClassChart, OutputEvidenceReport.RocChart, OutputEvidenceReport.LayerChart, "forget-confidence-suppressor.svg", "forget-entropy-suppressor.svg", "time.svg" })
            {
                XDocument svg = XDocument.Load(Path.Combine(directory, name));
                string all = string.Concat(svg.Descendants().Select(e => e.Name.LocalName == "text" ? e.Value + "\n" : string.Empty));
                Assert.Contains("suppressor", all, StringComparison.Ordinal);
            }
            string perClass = File.ReadAllText(Path.Combine(directory, OutputEvidenceReport.PerClassChart));
            Assert.Contains("T-shirt", perClass, StringComparison.Ordinal);
            Assert.Contains(">retrain<", perClass, StringComparison.Ordinal);
            Assert.Contains(">original<", perClass, StringComparison.Ordinal);
            Assert.Contains("\"zrf\": 0.4", File.ReadAllText(Path.Combine(directory, "compare.json")), StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static ComparisonReport Report()
    {
        UnlearningMetrics original = Run("original", zrf: 0.2, classMia: 0.99, acc: [95, 97]);
        UnlearningMetrics retrain = Run("retrain", zrf: 0.5, classMia: 0.7, acc: [0, 96]);
        UnlearningMetrics suppressor = Run("suppressor", zrf: 0.4, classMia: 0.95, acc: [0, 96]) with
        {
            Outputs = Evidence(0.4, 0.95, [0, 96]) with { ConfidenceTv = 0.5, ConfidenceW1 = 0.3, EntropyTv = 0.25, EntropyW1 = 0.2 },
            LayerProbes = [new LayerProbeResult("conv1", new ProbeResult(97, 0.99, 10, 10))],
            ProbeAccuracy = 95,
        };
        return ReportFixtures.Report(
            original with { LayerProbes = [new LayerProbeResult("conv1", new ProbeResult(98, 1, 10, 10))], ProbeAccuracy = 99 },
            [retrain with { LayerProbes = [new LayerProbeResult("conv1", new ProbeResult(70, 0.8, 10, 10))], ProbeAccuracy = 60 }, original with { Method = ComparisonReport.DoNothing }, suppressor],
            [retrain]) with { ClassNames = ["T-shirt", "Trouser"] };
    }

    private static UnlearningMetrics Run(string method, double zrf, double classMia, double[] acc) =>
        ReportFixtures.Run(method, 50, 90, 90, 50) with { Outputs = Evidence(zrf, classMia, acc) };

    private static OutputEvidence Evidence(double zrf, double classMia, double[] acc) => new()
    {
        Zrf = zrf,
        ClassMia = new ProbeResult(classMia * 100 - 5, classMia, 10, 10),
        ClassMiaNeighbour = 1,
        ForgetConfidence = Histogram.Of([0.1, 0.9, zrf], 0, 1),
        ForgetEntropy = Histogram.Of([0.1, 0.5], 0, Math.Log(2)),
        PerClassTestAccuracy = acc,
        MiaRoc = RocCurve.FromScores("x", [0.9, zrf, 0.1], [true, true, false]),
    };
}
