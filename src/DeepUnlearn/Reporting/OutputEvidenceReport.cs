using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using DeepUnlearn.Evaluation;

namespace DeepUnlearn.Reporting;

/// <summary>
/// The compare report's section on the forget-set outputs (<see cref="OutputEvidence"/>): the table with its
/// definitions, and the pictures (per-class accuracy, D_f confidence and entropy histograms against the retrained
/// model, ROC of the MIA feature on log-log axes).
/// </summary>
public static class OutputEvidenceReport
{
    /// <summary>The per-class accuracy chart's file name.</summary>
    public const string PerClassChart = "per-class.svg";

    /// <summary>The MIA-feature ROC chart's file name.</summary>
    public const string RocChart = "mia-roc.svg";

    /// <summary>The per-layer probe chart's file name.</summary>
    public const string LayerChart = "probe-layers.svg";

    /// <summary>Appends the table, its definitions and the chart links when the runs carry output evidence.</summary>
    public static void AppendMarkdown(ComparisonReport report, StringBuilder sb)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(sb);
        AppendLayerProbes(report, sb);
        IReadOnlyList<MethodSummary> summaries = report.Summaries;
        if (summaries.All(s => s.Outputs is null))
        {
            return;
        }
        var inv = CultureInfo.InvariantCulture;
        bool classWise = summaries.Any(s => s.Outputs?.ClassMiaAuc is not null);
        int? neighbour = report.Runs.Select(r => r.Outputs?.ClassMiaNeighbour).FirstOrDefault(n => n is not null);
        sb.AppendLine("Forget-set outputs (compare each number with retrain's, not with an ideal value):");
        sb.AppendLine();
        sb.AppendLine("- **ZRF** (Chundawat et al., AAAI 2023): 1 − the mean Jensen–Shannon divergence, in bits, between the model's "
            + $"softmax and that of a randomly initialised model of the same architecture (seed {ZeroRetrainForgetting.TeacherSeed}) on D_f; 1 = answers "
            + "D_f like a random network, 0 = as far from it as possible. Not comparable with the paper's tables: the authors' code "
            + "computes a different divergence (KL(m‖p) averaged over samples × classes), which sits much closer to 1.");
        if (classWise)
        {
            sb.AppendLine("- **class MIA** (ours, after the class MIA of Ebrahimpour-Boroojeny et al., arXiv 2506.20893, whose attack we do "
                + "not reproduce): drop the forgotten classes' probabilities, renormalise the rest, and train a logistic regression on "
                + "their logs to tell test samples of the forgotten class from test samples of its nearest remaining class"
                + (neighbour is int n ? $" (`{ClassName(report, n)}`, the class the original model ranks next)" : string.Empty)
                + "; held-out ROC AUC and balanced accuracy (%). It does not saturate like SalUn's MIA: a model that only suppressed "
                + "the class's logit still separates the two; a model that never saw the class separates them only as well as retrain does.");
        }
        sb.AppendLine("- **conf TV / conf W1**: distance between the model's and the retrained model's distributions of max-softmax "
            + $"confidence on D_f: total variation of {Histogram.DefaultBins}-bin histograms over [0, 1] (0–1) and Wasserstein-1 "
            + "on the raw values (in confidence units); **ent TV / ent W1**: the same for the predictive entropy (nats, bins over [0, ln K]). 0 = the same distribution as retrain's.");
        sb.AppendLine("- **MIA-feature AUC**: ROC AUC of SalUn's MIA feature (the true-class confidence) as a score telling D_f from unseen test "
            + "samples of the same classes (the forgotten classes' test samples on class-wise requests); 0.5 = D_f looks unseen.");
        sb.AppendLine();
        string classHeader = classWise ? " class-MIA AUC | class-MIA acc |" : string.Empty;
        sb.AppendLine($"| model | ZRF |{classHeader} conf TV | conf W1 | ent TV | ent W1 | MIA-feature AUC |");
        sb.AppendLine("| --- | ---: |" + (classWise ? " ---: | ---: |" : string.Empty) + " ---: | ---: | ---: | ---: | ---: |");
        if (summaries.All(s => s.Method != ComparisonReport.DoNothing) && OutputSummary.Of([report.Original]) is OutputSummary original)
        {
            AppendRow(sb, "original", original, classWise);
        }
        foreach (MethodSummary s in summaries.Where(s => s.Outputs is not null))
        {
            AppendRow(sb, s.Method, s.Outputs!, classWise);
        }
        sb.AppendLine();
        sb.AppendLine(inv, $"![Test accuracy per class](./{PerClassChart})");
        sb.AppendLine();
        foreach (MethodSummary s in summaries.Where(s => IsMethod(s.Method)))
        {
            sb.AppendLine(inv, $"![D_f confidence: {s.Method} vs retrain](./{ChartName("forget-confidence", s.Method)}) ![D_f entropy: {s.Method} vs retrain](./{ChartName("forget-entropy", s.Method)})");
            sb.AppendLine();
        }
        sb.AppendLine(inv, $"![ROC of the MIA feature, D_f vs unseen](./{RocChart})");
        sb.AppendLine();
    }

    /// <summary>Writes the charts into <paramref name="directory"/>; returns the file names written.</summary>
    public static IReadOnlyList<string> WriteCharts(ComparisonReport report, string directory)
    {
        ArgumentNullException.ThrowIfNull(report);
        var written = new List<string>();
        var (layers, layerSeries) = LayerSeries(report);
        if (layers.Length > 0)
        {
            Write(directory, LayerChart, SvgChart.GroupedBars("Forgotten class decodable per layer: probe balanced accuracy (%, 50 = chance)", layers, layerSeries, maxValue: 100), written);
        }
        IReadOnlyList<MethodSummary> summaries = report.Summaries;
        if (summaries.All(s => s.Outputs is null))
        {
            return written;
        }
        // Per-class test accuracy: the original, retrain and every method (mean over seeds).
        var models = new List<(string Name, IReadOnlyList<UnlearningMetrics> Runs)> { ("original", [report.Original]) };
        models.AddRange(summaries.Where(s => s.Method != ComparisonReport.DoNothing).Select(s => (s.Method, (IReadOnlyList<UnlearningMetrics>)report.Runs.Where(r => r.Method == s.Method).ToList())));
        int k = models.SelectMany(m => m.Runs).Select(r => r.Outputs?.PerClassTestAccuracy.Count ?? 0).DefaultIfEmpty(0).Max();
        if (k > 0)
        {
            string[] classes = Enumerable.Range(0, k).Select(c => ClassName(report, c)).ToArray();
            var series = models.Select(m => (m.Name, Enumerable.Range(0, k).Select(c => Stat.Of(m.Runs.Select(r => r.Outputs is { } o && c < o.PerClassTestAccuracy.Count ? o.PerClassTestAccuracy[c] : (double?)null)) ?? new Stat(double.NaN, 0, 0)).ToArray())).ToArray();
            Write(directory, PerClassChart, SvgChart.GroupedBars("Test accuracy per class (%): original, retrained and unlearned", classes, series, maxValue: 100), written);
        }
        UnlearningMetrics[] retrain = report.Runs.Where(r => r.Method == "retrain" && r.Outputs is not null).ToArray();
        foreach (MethodSummary s in summaries.Where(s => IsMethod(s.Method)))
        {
            UnlearningMetrics[] runs = report.Runs.Where(r => r.Method == s.Method && r.Outputs is not null).ToArray();
            if (runs.Length == 0)
            {
                continue;
            }
            foreach (var (kind, label, pick) in new (string, string, Func<OutputEvidence, Histogram>)[]
            {
                ("forget-confidence", "max-softmax confidence on D_f", o => o.ForgetConfidence),
                ("forget-entropy", "predictive entropy on D_f (nats)", o => o.ForgetEntropy),
            })
            {
                Histogram first = pick(runs[0].Outputs!);
                var lines = new List<(string, double[])> { (s.Method, MeanFractions(runs, pick)) };
                if (retrain.Length > 0)
                {
                    lines.Add(("retrain", MeanFractions(retrain, pick)));
                }
                if (report.Original.Outputs is not null)
                {
                    lines.Add(("original", pick(report.Original.Outputs).Fractions()));
                }
                double? tv = kind == "forget-confidence" ? s.Outputs?.ConfidenceTv?.Mean : s.Outputs?.EntropyTv?.Mean;
                double? w1 = kind == "forget-confidence" ? s.Outputs?.ConfidenceW1?.Mean : s.Outputs?.EntropyW1?.Mean;
                string distance = tv is double t && w1 is double w ? string.Create(CultureInfo.InvariantCulture, $" (TV {t:F3}, W1 {w:F3} to retrain)") : string.Empty;
                Write(directory, ChartName(kind, s.Method), SvgChart.Histograms($"{s.Method} vs retrain: {label}{distance}", label, first.Min, first.Max, lines, dashed: ["original"]), written);
            }
        }
        var curves = models.Select(m => m.Runs.FirstOrDefault()?.Outputs?.MiaRoc is RocCurve c ? c with { Name = m.Name } : null).OfType<RocCurve>().ToArray();
        if (curves.Length > 0)
        {
            Write(directory, RocChart, SvgChart.RocCurves("MIA feature (true-class confidence): D_f vs unseen samples", curves), written);
        }
        return written;
    }

    /// <summary>A file name for a per-method chart (<c>famr@head</c> → <c>forget-confidence-famr-head.svg</c>).</summary>
    public static string ChartName(string kind, string method)
    {
        ArgumentNullException.ThrowIfNull(method);
        string slug = new(method.Select(c => char.IsAsciiLetterOrDigit(c) ? char.ToLowerInvariant(c) : '-').ToArray());
        return $"{kind}-{slug}.svg";
    }

    /// <summary>The per-layer probe accuracies (mean over seeds) of the original, retrain and each method, the penultimate features last.</summary>
    private static (string[] Layers, (string Name, Stat[] Values)[] Series) LayerSeries(ComparisonReport report)
    {
        string[] layers = report.Runs.Prepend(report.Original).Select(r => r.LayerProbes).FirstOrDefault(l => l is { Count: > 0 })?.Select(l => l.Layer).ToArray() ?? [];
        if (layers.Length == 0)
        {
            return ([], []);
        }
        var models = new List<(string Name, IReadOnlyList<UnlearningMetrics> Runs)> { ("original", [report.Original]) };
        models.AddRange(report.Runs.Where(r => r.Method != ComparisonReport.DoNothing).GroupBy(r => r.Method).Select(g => (g.Key, (IReadOnlyList<UnlearningMetrics>)g.ToList())));
        var series = models.Select(m => (m.Name, layers
            .Select(l => Stat.Of(m.Runs.Select(r => r.LayerProbes?.FirstOrDefault(p => p.Layer == l)?.Result.AccuracyPercent)) ?? new Stat(double.NaN, 0, 0))
            .Append(Stat.Of(m.Runs.Select(r => r.ProbeAccuracy)) ?? new Stat(double.NaN, 0, 0))
            .ToArray())).ToArray();
        return ([.. layers, "penultimate"], series);
    }

    private static void AppendLayerProbes(ComparisonReport report, StringBuilder sb)
    {
        var (layers, series) = LayerSeries(report);
        if (layers.Length == 0)
        {
            return;
        }
        sb.AppendLine("Probe per layer: the representation probe above, on each layer's output (convolutional maps averaged over space), same split; balanced held-out accuracy (%, 50 = chance). Where retrain's bars sit is what \"not decodable beyond what generic features give\" looks like at that depth.");
        sb.AppendLine();
        sb.AppendLine("| model | " + string.Join(" | ", layers) + " |");
        sb.AppendLine("| --- |" + string.Concat(Enumerable.Repeat(" ---: |", layers.Length)));
        foreach (var (name, values) in series)
        {
            sb.AppendLine($"| {name} | " + string.Join(" | ", values.Select(v => double.IsNaN(v.Mean) ? "–" : v.Format())) + " |");
        }
        sb.AppendLine();
        sb.AppendLine(CultureInfo.InvariantCulture, $"![Probe accuracy per layer](./{LayerChart})");
        sb.AppendLine();
    }

    private static bool IsMethod(string method) => method != ComparisonReport.DoNothing && method != "retrain";

    private static string ClassName(ComparisonReport report, int c) =>
        c < report.ClassNames.Count ? report.ClassNames[c] : c.ToString(CultureInfo.InvariantCulture);

    private static double[] MeanFractions(IReadOnlyList<UnlearningMetrics> runs, Func<OutputEvidence, Histogram> pick)
    {
        double[][] f = runs.Select(r => pick(r.Outputs!).Fractions()).ToArray();
        return Enumerable.Range(0, f[0].Length).Select(b => f.Average(x => x[b])).ToArray();
    }

    private static void AppendRow(StringBuilder sb, string method, OutputSummary o, bool classWise)
    {
        string F(Stat? s, int d) => s?.Format(d) ?? "–";
        sb.Append(CultureInfo.InvariantCulture, $"| {method} | {F(o.Zrf, 3)} |");
        if (classWise)
        {
            sb.Append(CultureInfo.InvariantCulture, $" {F(o.ClassMiaAuc, 3)} | {F(o.ClassMiaAccuracy, 2)} |");
        }
        sb.AppendLine(CultureInfo.InvariantCulture, $" {F(o.ConfidenceTv, 3)} | {F(o.ConfidenceW1, 3)} | {F(o.EntropyTv, 3)} | {F(o.EntropyW1, 3)} | {F(o.MiaFeatureAuc, 3)} |");
    }

    private static void Write(string directory, string name, string svg, List<string> written)
    {
        AtomicFile.WriteAllText(Path.Combine(directory, name), svg);
        written.Add(name);
    }
}
