using System;
using System.Linq;
using DeepUnlearn.Evaluation;
using DeepUnlearn.Reporting;
using Xunit;

namespace DeepUnlearn.Tests.Reporting;

/// <summary>
/// The honest-table parts of the comparison: the "do nothing" row replaces the bare original row and carries its Gap,
/// and the warnings fire on the cases they name (a collapsed model, a method that changed nothing, a Gap no better
/// than doing nothing, a degenerate MIA) and stay silent on their near misses.
/// </summary>
public class ComparisonReportTests
{
    // The original: UA 0 (it still knows the class), RA 99, TA 90, MIA 2. Retrain: UA 100, RA 98, TA 89, MIA 100.
    private static readonly UnlearningMetrics s_original = Run("original", 0, 99, 90, 2);
    private static readonly UnlearningMetrics s_retrain = Run("retrain", 100, 98, 89, 100);

    [Fact]
    public void ToMarkdown_DoNothingRow_ShowsItsGapInPlaceOfTheOriginalRow()
    {
        // Do nothing's Gap to retraining: (|0 − 100| + |99 − 98| + |90 − 89| + |2 − 100|) / 4 = 200 / 4 = 50.
        ComparisonReport report = Report(Run("good", 99, 98, 89, 99));
        Assert.Equal(50, report.Summaries.Single(s => s.Method == ComparisonReport.DoNothing).Gap!.Value, 12);
        string markdown = report.ToMarkdown();
        Assert.Contains("| do nothing | 0.00 | 99.00 | 90.00 | 2.00 | 2.00 | 50.00 |", markdown, StringComparison.Ordinal);
        Assert.DoesNotContain("| original |", markdown, StringComparison.Ordinal);
        Assert.Contains("\"do nothing\" is the original model scored against the retrained one", markdown, StringComparison.Ordinal);
        Assert.Empty(report.Warnings);
        // The order: the reference, the baseline, then the methods.
        Assert.Equal(["retrain", ComparisonReport.DoNothing, "good"], report.Summaries.Select(s => s.Method));
    }

    [Fact]
    public void Warnings_TestAccuracyNearChance_SaysTheModelCollapsed()
    {
        // Chance 25%: the collapse line is 25 + 0.1·(90 − 25) = 31.5.
        ComparisonReport report = Report(Run("collapsed", 100, 30, 31, 100), Run("weakened", 100, 60, 33, 100));
        string warning = Assert.Single(report.Warnings, w => w.Contains("collapsed", StringComparison.Ordinal));
        Assert.StartsWith("collapsed: TA 31.00% is near chance (25.00%", warning, StringComparison.Ordinal);
        Assert.Contains("⚠ collapsed:", report.ToMarkdown(), StringComparison.Ordinal);
    }

    [Fact]
    public void Warnings_MethodWithinHalfAPointOfTheOriginal_SaysItChangedNothing()
    {
        ComparisonReport report = Report(Run("inert", 0.4, 99, 89.6, 2.3), Run("moved", 0.6, 99, 90, 2));
        Assert.Single(report.Warnings, w => w.StartsWith("inert:", StringComparison.Ordinal) && w.Contains("changed nothing", StringComparison.Ordinal));
        Assert.DoesNotContain(report.Warnings, w => w.StartsWith("moved:", StringComparison.Ordinal) && w.Contains("changed nothing", StringComparison.Ordinal));
        // Neither the retrained model nor the baseline is judged against the original.
        Assert.DoesNotContain(report.Warnings, w => w.StartsWith("do nothing:", StringComparison.Ordinal) || w.StartsWith("retrain:", StringComparison.Ordinal));
    }

    [Fact]
    public void Warnings_GapNoBetterThanDoingNothing_SaysSo()
    {
        // "worse": (|100 − 100| + |40 − 98| + |40 − 89| + |0 − 100|) / 4 = 207 / 4 = 51.75 ≥ 50; "better": small gap.
        ComparisonReport report = Report(Run("worse", 100, 40, 40, 0), Run("better", 95, 97, 88, 90));
        string warning = Assert.Single(report.Warnings, w => w.Contains("doing nothing", StringComparison.Ordinal));
        Assert.StartsWith("worse: Gap 51.75 is no better than doing nothing (50.00)", warning, StringComparison.Ordinal);
    }

    [Fact]
    public void Warnings_DegenerateMia_FlaggedInTheTableAndExplained()
    {
        ComparisonReport report = Report(Run("uniform", 100, 98, 89, 100) with { MiaDegenerate = true });
        string warning = Assert.Single(report.Warnings);
        Assert.StartsWith("uniform: MIA-efficacy 100.00 comes from degenerate forget outputs in 1 of 1 run(s)", warning, StringComparison.Ordinal);
        Assert.Contains("| uniform | 100.00 | 98.00 | 89.00 | 100.00 † |", report.ToMarkdown(), StringComparison.Ordinal);
    }

    [Fact]
    public void ToMarkdown_ProbeNumbers_TableWithItsDefinition()
    {
        ComparisonReport report = Report(Run("headonly", 100, 98, 89, 100) with { ProbeAccuracy = 97.5, ProbeAuc = 0.995 }) with
        {
            Original = s_original with { ProbeAccuracy = 98, ProbeAuc = 0.998 },
        };
        string markdown = report.ToMarkdown();
        Assert.Contains("Representation probe: can the forgotten class still be read off the features?", markdown, StringComparison.Ordinal);
        Assert.Contains("| headonly | 97.50 | 0.995 |", markdown, StringComparison.Ordinal);
        Assert.Equal(97.5, report.Summaries.Single(s => s.Method == "headonly").ProbeAccuracy!.Value.Mean, 12);
    }

    [Fact]
    public void ToMarkdown_RelearnTimes_TableWithItsDefinitionAndNotRecoveredShown()
    {
        var budget = new RelearnResult(null, 600, 81, 12, 6, 100);
        ComparisonReport report = Report(Run("suppressor", 100, 98, 89, 100) with { Relearn = new RelearnResult(3, 18, 81, 85, 6, 100) }, Run("eraser", 100, 98, 89, 100) with { Relearn = budget }) with
        {
            Runs =
            [
                s_retrain with { Relearn = new RelearnResult(40, 240, 81, 82, 6, 100) },
                s_original with { Method = ComparisonReport.DoNothing, Relearn = new RelearnResult(0, 0, 81, 90, 6, 100) },
                Run("suppressor", 100, 98, 89, 100) with { Relearn = new RelearnResult(3, 18, 81, 85, 6, 100) },
                Run("eraser", 100, 98, 89, 100) with { Relearn = budget },
            ],
        };
        string markdown = report.ToMarkdown();
        Assert.Contains("Relearn time: a copy of each model is fine-tuned (full-batch SGD, momentum 0.9) on 6 forget samples", markdown, StringComparison.Ordinal);
        Assert.Contains("reaches 81.00%", markdown, StringComparison.Ordinal);
        Assert.Contains("| retrain | 40.0 | 240 | 0 of 1 |", markdown, StringComparison.Ordinal);
        Assert.Contains("| do nothing | 0.0 | 0 | 0 of 1 |", markdown, StringComparison.Ordinal);
        Assert.Contains("| suppressor | 3.0 | 18 | 0 of 1 |", markdown, StringComparison.Ordinal);
        Assert.Contains("| eraser | > budget | – | 1 of 1 |", markdown, StringComparison.Ordinal);
    }

    /// <summary>A one-seed, 4-class class-wise report with the retrain and "do nothing" rows the runner adds.</summary>
    private static ComparisonReport Report(params UnlearningMetrics[] methods) =>
        ReportFixtures.Report(s_original, [s_retrain, s_original with { Method = ComparisonReport.DoNothing }, .. methods], [s_retrain])
        with { ChanceTestAccuracy = 25 };

    private static UnlearningMetrics Run(string method, double ua, double ra, double ta, double mia) => ReportFixtures.Run(method, ua, ra, ta, mia);
}
