using System;
using System.Linq;
using DeepUnlearn.Evaluation;
using DeepUnlearn.Reporting;
using DeepUnlearn.Tests.Reporting;
using Xunit;

namespace DeepUnlearn.Tests.Evaluation;

/// <summary>SalUn's Avg. Gap is the gap of the means over seeds, not the mean of per-seed gaps.</summary>
public class GapTests
{
    // Two seeds where the method errs in opposite directions: per seed it is far from retraining, on average close.
    private static readonly UnlearningMetrics[] s_method =
    [
        Run("salun", 0, 10, 90, 80, 20, perSeedGap: 7.5),  // |10−20|, |90−95|, |80−85|, |20−30| → (10 + 5 + 5 + 10)/4
        Run("salun", 1, 30, 94, 84, 40, perSeedGap: 6.0),  // |30−20|, |94−93|, |84−81|, |40−30| → (10 + 1 + 3 + 10)/4
    ];

    private static readonly UnlearningMetrics[] s_retrain =
    [
        Run("retrain", 0, 20, 95, 85, 30, perSeedGap: 0),
        Run("retrain", 1, 20, 93, 81, 30, perSeedGap: 0),
    ];

    [Fact]
    public void Summaries_TwoSeeds_GapIsTheGapOfTheMeans()
    {
        // Means: salun (20, 92, 82, 30), retrain (20, 94, 83, 30): Gap = (0 + 2 + 1 + 0)/4 = 0.75, while the
        // per-seed gaps average (7.5 + 6)/2 = 6.75.
        ComparisonReport report = Report([.. s_retrain, .. s_method], references: []);
        MethodSummary salun = report.Summaries.Single(s => s.Method == "salun");
        Assert.Equal(0.75, salun.Gap!.Value, 12);
        Assert.Equal(6.75, salun.PerSeedGap!.Value.Mean, 12);
        Assert.Equal(0, report.Summaries.Single(s => s.Method == "retrain").Gap!.Value, 12);

        string markdown = report.ToMarkdown();
        Assert.Contains("per-seed gap", markdown, StringComparison.Ordinal);
        Assert.Contains("| 0.75 | 6.75 ± 1.06 |", markdown, StringComparison.Ordinal);
    }

    [Fact]
    public void Summaries_RetrainedCheckpoint_GapIsAgainstTheReferences()
    {
        // With --retrained, the reference is not among the runs: the report carries it.
        ComparisonReport report = Report(s_method, references: s_retrain);
        MethodSummary salun = Assert.Single(report.Summaries);
        Assert.Equal(0.75, salun.Gap!.Value, 12);
    }

    [Fact]
    public void Summaries_OneSeed_BothDefinitionsAgreeAndThePerSeedColumnIsLeftOut()
    {
        ComparisonReport report = Report([s_retrain[0], s_method[0]], references: [], seeds: 1);
        MethodSummary salun = report.Summaries.Single(s => s.Method == "salun");
        Assert.Equal(7.5, salun.Gap!.Value, 12);
        Assert.Equal(7.5, salun.PerSeedGap!.Value.Mean, 12);
        Assert.DoesNotContain("per-seed gap", report.ToMarkdown(), StringComparison.Ordinal);
    }

    private static ComparisonReport Report(UnlearningMetrics[] runs, UnlearningMetrics[] references, int seeds = 2) =>
        ReportFixtures.Report(Run("original", 0, 0, 99, 90, 1, perSeedGap: null), runs, references, seeds);

    private static UnlearningMetrics Run(string method, ulong seed, double ua, double ra, double ta, double mia, double? perSeedGap) =>
        ReportFixtures.Run(method, ua, ra, ta, mia, seed) with { AverageGap = perSeedGap };
}
