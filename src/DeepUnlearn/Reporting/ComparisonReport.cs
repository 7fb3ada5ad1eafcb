using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using DeepUnlearn.Evaluation;
using DeepUnlearn.Evaluation.Attacks;

namespace DeepUnlearn.Reporting;

/// <summary>
/// The result of comparing unlearning methods on one request: every run's metrics, one summary row per
/// method (mean ± std over seeds), and where it ran. Written as compare.json, compare.md and SVG charts.
/// </summary>
public sealed record ComparisonReport
{
    /// <summary>The dataset.</summary>
    public required string Dataset { get; init; }

    /// <summary>The original checkpoint.</summary>
    public required string Checkpoint { get; init; }

    /// <summary>The architecture.</summary>
    public required string Model { get; init; }

    /// <summary>The deletion request, as parsed (<c>classes:Trouser</c>, <c>fraction:0.1@0</c>).</summary>
    public required string Request { get; init; }

    /// <summary>Forget / retain / test sizes.</summary>
    public required int ForgetCount { get; init; }

    /// <summary>Retain set size.</summary>
    public required int RetainCount { get; init; }

    /// <summary>The seeds.</summary>
    public required IReadOnlyList<ulong> Seeds { get; init; }

    /// <summary>Device and machine.</summary>
    public required string Environment { get; init; }

    /// <summary>The original model's metrics (before unlearning).</summary>
    public required UnlearningMetrics Original { get; init; }

    /// <summary>The class names, indexed by label (for the per-class chart); empty when unknown.</summary>
    public IReadOnlyList<string> ClassNames { get; init; } = [];

    /// <summary>Every run.</summary>
    public required IReadOnlyList<UnlearningMetrics> Runs { get; init; }

    /// <summary>
    /// The retrained reference's metrics, one per seed (from a retrained checkpoint, or the retrain runs); empty means
    /// the <c>retrain</c> rows of <see cref="Runs"/>.
    /// </summary>
    public IReadOnlyList<UnlearningMetrics> References { get; init; } = [];

    /// <summary>Per-example attacks relative to retraining (<c>--attacks</c>; null when not run).</summary>
    public PerExampleAttackReport? Attacks { get; init; }

    /// <summary>
    /// The label of the "do nothing" rows: the original model scored against the retrained one (with its Gap), the
    /// baseline every method must beat.
    /// </summary>
    public const string DoNothing = "do nothing";

    /// <summary>
    /// A method whose mean UA, RA, TA and MIA-efficacy are all within this many points of the original's changed
    /// nothing measurable.
    /// </summary>
    public const double UnchangedPoints = 0.5;

    /// <summary>
    /// A method whose TA keeps less than this share of the original's margin over chance collapsed the model.
    /// </summary>
    public const double CollapseMargin = 0.1;

    /// <summary>
    /// The test accuracy (percent) of guessing: 100 / the number of classes TA is measured on (the remaining classes for
    /// class-wise requests). Null when unknown; the collapse warning needs it.
    /// </summary>
    public double? ChanceTestAccuracy { get; init; }

    /// <summary>
    /// What the table cannot show on its own: methods that collapsed the model (TA within <see cref="CollapseMargin"/>
    /// of the original's margin over chance), changed nothing (every headline mean within
    /// <see cref="UnchangedPoints"/> of the original's), are no closer to retraining than doing nothing (Gap ≥ the
    /// "do nothing" Gap), or whose MIA-efficacy comes from degenerate forget outputs.
    /// </summary>
    public IReadOnlyList<string> Warnings
    {
        get
        {
            var inv = CultureInfo.InvariantCulture;
            var warnings = new List<string>();
            IReadOnlyList<MethodSummary> summaries = Summaries;
            double? doNothingGap = summaries.FirstOrDefault(s => s.Method == DoNothing)?.Gap;
            foreach (MethodSummary s in summaries)
            {
                bool isMethod = s.Method != DoNothing && s.Method != "retrain";
                if (ChanceTestAccuracy is double chance && s.TestAccuracy.Mean <= chance + (CollapseMargin * (Original.TestAccuracy - chance)))
                {
                    warnings.Add(string.Create(inv, $"{s.Method}: TA {s.TestAccuracy.Mean:F2}% is near chance ({chance:F2}%; the original has {Original.TestAccuracy:F2}%): the model collapsed, and its UA and MIA say nothing about forgetting."));
                }
                if (isMethod)
                {
                    double change = new[]
                    {
                        s.UnlearningAccuracy.Mean - Original.UnlearningAccuracy,
                        s.RetainAccuracy.Mean - Original.RetainAccuracy,
                        s.TestAccuracy.Mean - Original.TestAccuracy,
                        s.MiaEfficacy.Mean - Original.MiaEfficacy,
                    }.Max(Math.Abs);
                    if (change < UnchangedPoints)
                    {
                        warnings.Add(string.Create(inv, $"{s.Method}: UA, RA, TA and MIA are all within {UnchangedPoints} points of the original's (largest change {change:F2}; ‖θ − θ0‖ = {s.DistanceToOriginal.Mean:G3}): it changed nothing measurable."));
                    }
                    if (doNothingGap is double baseline && s.Gap is double gap && gap >= baseline)
                    {
                        warnings.Add(string.Create(inv, $"{s.Method}: Gap {gap:F2} is no better than doing nothing ({baseline:F2}): keeping the original is at least as close to retraining."));
                    }
                }
                if (s.MiaDegenerateRuns > 0)
                {
                    warnings.Add(string.Create(inv, $"{s.Method}: MIA-efficacy {s.MiaEfficacy.Format()} comes from degenerate forget outputs in {s.MiaDegenerateRuns} of {s.Runs} run(s) (95% of the true-class confidences within ±{MembershipInference.DegenerateBand} of one value): the SVC puts the whole forget set on one side of its threshold, so 0 or 100 says nothing about membership."));
                }
            }
            return warnings;
        }
    }

    /// <summary>One row per method, in the order first seen (retrain first when present), with SalUn's Gap to <see cref="References"/>.</summary>
    public IReadOnlyList<MethodSummary> Summaries
    {
        get
        {
            IReadOnlyList<UnlearningMetrics> reference = References.Count > 0 ? References : Runs.Where(r => r.Method == "retrain").ToList();
            return Runs.GroupBy(r => r.Method).OrderBy(g => g.Key == "retrain" ? 0 : g.Key == DoNothing ? 1 : 2).Select(g => MethodSummary.Of(g.Key, g.ToList(), reference)).ToList();
        }
    }

    /// <summary>The comparison as Markdown.</summary>
    public string ToMarkdown()
    {
        var inv = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        bool perSeed = Seeds.Count > 1;
        sb.AppendLine("# Unlearning comparison");
        sb.AppendLine();
        sb.AppendLine(inv, $"`{Model}` on `{Dataset}` (checkpoint `{Checkpoint}`), request `{Request}`: forget {ForgetCount:N0}, retain {RetainCount:N0} samples; seeds {string.Join(", ", Seeds)}; {Environment}.");
        sb.AppendLine();
        sb.AppendLine("All values in percent except times. UA = 100 − forget accuracy, RA = retain accuracy, TA = test accuracy"
            + (Original.ForgottenClassTestAccuracy is null ? "" : " on the remaining classes (TA-f: on the forgotten class)")
            + ", MIA = share of forget samples the SVC membership attack calls non-members (SalUn's MIA-efficacy), Gap = SalUn's Avg. Gap: the mean over UA, RA, TA, MIA of |the method's mean over seeds − retrain's mean over seeds|"
            + (perSeed ? "; per-seed gap = the mean ± std over seeds of each seed's own gap to its retrained model (not SalUn's definition)" : string.Empty)
            + ". Mean ± std over seeds. "
            + $"\"{DoNothing}\" is the original model scored against the retrained one: a method with a larger Gap is further from retraining than keeping the original. "
            + "† marks an MIA-efficacy from degenerate forget outputs (see the warnings).");
        sb.AppendLine();
        bool classWise = Original.ForgottenClassTestAccuracy is not null;
        string perSeedHeader = perSeed ? " per-seed gap |" : string.Empty;
        sb.AppendLine(classWise
            ? $"| method | UA | RA | TA | TA-f | MIA | loss-MIA | Gap ↓ |{perSeedHeader} JS forget | time (s) | speed-up |"
            : $"| method | UA | RA | TA | MIA | loss-MIA | Gap ↓ |{perSeedHeader} JS forget | time (s) | speed-up |");
        sb.AppendLine((classWise ? "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |" : "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |") + (perSeed ? " ---: |" : string.Empty));
        if (Summaries.All(s => s.Method != DoNothing))
        {
            sb.Append(inv, $"| original | {Original.UnlearningAccuracy:F2} | {Original.RetainAccuracy:F2} | {Original.TestAccuracy:F2} |");
            if (classWise)
            {
                sb.Append(inv, $" {Original.ForgottenClassTestAccuracy:F2} |");
            }
            sb.AppendLine(inv, $" {Original.MiaEfficacy:F2}{(Original.MiaDegenerate ? " †" : string.Empty)} | {Original.LossMiaEfficacy:F2} | – |{(perSeed ? " – |" : string.Empty)} – | – | – |");
        }
        foreach (MethodSummary s in Summaries)
        {
            sb.Append(inv, $"| {s.Method} | {s.UnlearningAccuracy.Format()} | {s.RetainAccuracy.Format()} | {s.TestAccuracy.Format()} |");
            if (classWise)
            {
                sb.Append(inv, $" {s.ForgottenClassTestAccuracy?.Format() ?? "–"} |");
            }
            string gap = s.Gap?.ToString("F2", inv) ?? "–";
            string perSeedGap = perSeed ? $" {s.PerSeedGap?.Format() ?? "–"} |" : string.Empty;
            sb.AppendLine(inv, $" {s.MiaEfficacy.Format()}{(s.MiaDegenerateRuns > 0 ? " †" : string.Empty)} | {s.LossMiaEfficacy.Format()} | {gap} |{perSeedGap} {s.JsDivergenceForget?.Format(4) ?? "–"} | {s.Seconds.Format(1)} | {(s.Method == "retrain" ? "1.0" : s.SpeedUp?.Format(1) ?? "–")} |");
        }
        IReadOnlyList<string> warnings = Warnings;
        if (warnings.Count > 0)
        {
            sb.AppendLine();
            sb.AppendLine("Warnings:");
            sb.AppendLine();
            foreach (string warning in warnings)
            {
                sb.AppendLine(inv, $"- ⚠ {warning}");
            }
        }
        sb.AppendLine();
        sb.AppendLine("Parameter distances (L2 over all weights):");
        sb.AppendLine();
        sb.AppendLine("| method | ‖θ − θ0‖ | ‖θ − θ_retrain‖ | JS test |");
        sb.AppendLine("| --- | ---: | ---: | ---: |");
        foreach (MethodSummary s in Summaries)
        {
            sb.AppendLine(inv, $"| {s.Method} | {s.DistanceToOriginal.Format(3)} | {s.DistanceToRetrained?.Format(3) ?? "–"} | {s.JsDivergenceTest?.Format(4) ?? "–"} |");
        }
        sb.AppendLine();
        if (Original.ProbeAccuracy is not null)
        {
            AppendProbe(sb);
        }
        if (Original.Relearn is not null || Runs.Any(r => r.Relearn is not null))
        {
            AppendRelearn(sb);
        }
        OutputEvidenceReport.AppendMarkdown(this, sb);
        if (Attacks is not null)
        {
            sb.Append(Attacks.ToMarkdown());
        }
        sb.AppendLine("![UA, RA, TA and MIA per method](metrics.svg)");
        sb.AppendLine();
        sb.AppendLine("![Time per method](time.svg)");
        return sb.ToString();
    }

    /// <summary>
    /// Wall time per method, without the "do nothing" row (it takes no time); on a log axis when the times differ by more
    /// than a factor of 20 (a retrain next to a seconds-long method), else linear with round ticks.
    /// </summary>
    public static string TimeChart(IReadOnlyList<MethodSummary> summaries)
    {
        ArgumentNullException.ThrowIfNull(summaries);
        MethodSummary[] timed = summaries.Where(s => s.Method != DoNothing).ToArray();
        double[] seconds = timed.Select(s => s.Seconds.Mean).Where(v => v > 0).ToArray();
        bool log = seconds.Length > 1 && seconds.Max() / seconds.Min() > 20;
        return SvgChart.GroupedBars(log ? "Wall time per method (s, log scale)" : "Wall time per method (s)", timed.Select(s => s.Method).ToArray(), [("seconds", timed.Select(s => s.Seconds).ToArray())], maxValue: null, logScale: log);
    }

    /// <summary>The relearn-time table, with its definition beside the numbers.</summary>
    private void AppendRelearn(StringBuilder sb)
    {
        var inv = CultureInfo.InvariantCulture;
        RelearnResult? any = Runs.Select(r => r.Relearn).FirstOrDefault(r => r is not null) ?? Original.Relearn;
        sb.AppendLine(string.Create(inv, $"Relearn time: a copy of each model is fine-tuned (full-batch SGD, momentum 0.9) on {any!.Samples} forget samples; steps = steps until its accuracy on other, held-out forget samples reaches {any.ThresholdPercent:F2}% (a fixed share of the original's), examples = steps × samples; budget {any.MaxSteps} steps, '> budget' = not recovered. Every model gets the same samples and budget. Suppressed knowledge comes back in a few steps; compare a method with retrain, which never learned the forget set."));
        sb.AppendLine();
        sb.AppendLine("| model | relearn steps | examples | not recovered |");
        sb.AppendLine("| --- | ---: | ---: | ---: |");
        foreach (MethodSummary s in Summaries.Where(s => s.RelearnRuns > 0))
        {
            string steps = s.RelearnSteps?.Format(1) ?? "> budget";
            string examples = s.RelearnSteps is Stat st ? (st.Mean * any.Samples).ToString("F0", inv) : "–";
            sb.AppendLine(inv, $"| {s.Method} | {steps} | {examples} | {s.RelearnNotRecovered} of {s.RelearnRuns} |");
        }
        sb.AppendLine();
    }

    /// <summary>The representation-probe table, with its definition beside the numbers.</summary>
    private void AppendProbe(StringBuilder sb)
    {
        var inv = CultureInfo.InvariantCulture;
        sb.AppendLine("Representation probe: can the forgotten class still be read off the features? A logistic-regression probe "
            + "(scikit-learn's defaults: L2, C = 1, standardised features) is trained on the frozen penultimate features of a "
            + "balanced split of the test set (the forgotten class against as many samples of the other classes, at most "
            + $"{ProbeSplit.DefaultMaxPositives} each, half for training the probe) and measured on the held-out half: probe acc = "
            + "balanced accuracy (%, 50 = chance), probe AUC = ROC AUC (0.5 = chance). Compare a method with retrain, not with "
            + "chance: features trained on the other classes often still separate the class. A method close to the original "
            + "here forgot the class in its outputs only.");
        sb.AppendLine();
        sb.AppendLine("| model | probe acc | probe AUC |");
        sb.AppendLine("| --- | ---: | ---: |");
        if (Summaries.All(s => s.Method != DoNothing))
        {
            sb.AppendLine(inv, $"| original | {Original.ProbeAccuracy:F2} | {Original.ProbeAuc:F3} |");
        }
        foreach (MethodSummary s in Summaries)
        {
            sb.AppendLine(inv, $"| {s.Method} | {s.ProbeAccuracy?.Format() ?? "–"} | {s.ProbeAuc?.Format(3) ?? "–"} |");
        }
        sb.AppendLine();
    }

    /// <summary>Writes compare.json, compare.md, metrics.svg and time.svg into <paramref name="directory"/>.</summary>
    public void Write(string directory)
    {
        Directory.CreateDirectory(directory);
        JsonFile.Write(Path.Combine(directory, "compare.json"), new { report = this, summaries = Summaries });
        AtomicFile.WriteAllText(Path.Combine(directory, "compare.md"), ToMarkdown());
        var summaries = Summaries;
        string[] methods = summaries.Select(s => s.Method).ToArray();
        AtomicFile.WriteAllText(Path.Combine(directory, "metrics.svg"), SvgChart.GroupedBars(
            "UA, RA, TA and MIA-efficacy per method (%)",
            methods,
            [
                ("UA", summaries.Select(s => s.UnlearningAccuracy).ToArray()),
                ("RA", summaries.Select(s => s.RetainAccuracy).ToArray()),
                ("TA", summaries.Select(s => s.TestAccuracy).ToArray()),
                ("MIA", summaries.Select(s => s.MiaEfficacy).ToArray()),
            ],
            maxValue: 100));
        AtomicFile.WriteAllText(Path.Combine(directory, "time.svg"), TimeChart(summaries));
        OutputEvidenceReport.WriteCharts(this, directory);
        if (Attacks is not null)
        {
            AttackFiles.Write(directory, Attacks);
        }
    }
}
