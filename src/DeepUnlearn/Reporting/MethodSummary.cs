using System.Collections.Generic;
using System.Linq;
using DeepUnlearn.Evaluation;

namespace DeepUnlearn.Reporting;

/// <summary>One row of a comparison: a method's metrics over its seeds.</summary>
public sealed record MethodSummary
{
    /// <summary>The method.</summary>
    public required string Method { get; init; }

    /// <summary>Runs (seeds).</summary>
    public required int Runs { get; init; }

    /// <summary>UA.</summary>
    public required Stat UnlearningAccuracy { get; init; }

    /// <summary>RA.</summary>
    public required Stat RetainAccuracy { get; init; }

    /// <summary>TA.</summary>
    public required Stat TestAccuracy { get; init; }

    /// <summary>Test accuracy on the forgotten classes (class-wise).</summary>
    public Stat? ForgottenClassTestAccuracy { get; init; }

    /// <summary>MIA-efficacy (SVC).</summary>
    public required Stat MiaEfficacy { get; init; }

    /// <summary>Runs whose MIA-efficacy is uninformative (<see cref="UnlearningMetrics.MiaDegenerate"/>).</summary>
    public int MiaDegenerateRuns { get; init; }

    /// <summary>Loss-threshold MIA-efficacy.</summary>
    public required Stat LossMiaEfficacy { get; init; }

    /// <summary>
    /// SalUn's Avg. Gap to retraining (Fan et al., ICLR 2024, Table 1): the mean over UA, RA, TA and MIA-efficacy of
    /// |mean over seeds of this method − mean over seeds of the retrained model|. Null without a reference.
    /// </summary>
    public double? Gap { get; init; }

    /// <summary>The mean (± std) over seeds of each run's own gap to that seed's retrained model (not SalUn's Gap).</summary>
    public Stat? PerSeedGap { get; init; }

    /// <summary>JS divergence to the retrained model on the forget set.</summary>
    public Stat? JsDivergenceForget { get; init; }

    /// <summary>JS divergence to the retrained model on the test set.</summary>
    public Stat? JsDivergenceTest { get; init; }

    /// <summary>Representation-probe accuracy (percent; class-wise requests).</summary>
    public Stat? ProbeAccuracy { get; init; }

    /// <summary>Representation-probe AUC (0–1; class-wise requests).</summary>
    public Stat? ProbeAuc { get; init; }

    /// <summary>Relearn steps over the runs that recovered within the budget (null when none did or none ran).</summary>
    public Stat? RelearnSteps { get; init; }

    /// <summary>Runs with a relearn measurement.</summary>
    public int RelearnRuns { get; init; }

    /// <summary>Runs that did not recover within the relearn budget.</summary>
    public int RelearnNotRecovered { get; init; }

    /// <summary>ZRF, class MIA and the D_f output-distribution distances over the seeds (null when not measured).</summary>
    public OutputSummary? Outputs { get; init; }

    /// <summary>‖θ − θ0‖.</summary>
    public required Stat DistanceToOriginal { get; init; }

    /// <summary>‖θ − θ_retrain‖.</summary>
    public Stat? DistanceToRetrained { get; init; }

    /// <summary>Seconds.</summary>
    public required Stat Seconds { get; init; }

    /// <summary>Speed-up over retraining.</summary>
    public Stat? SpeedUp { get; init; }

    /// <summary>
    /// Summarises the runs of one method; <paramref name="reference"/> holds the retrained model's runs (one per
    /// seed) that <see cref="Gap"/> compares the means with.
    /// </summary>
    public static MethodSummary Of(string method, IReadOnlyList<UnlearningMetrics> runs, IReadOnlyList<UnlearningMetrics>? reference = null) => new()
    {
        Method = method,
        Runs = runs.Count,
        UnlearningAccuracy = Stat.Of(runs.Select(r => (double?)r.UnlearningAccuracy))!.Value,
        RetainAccuracy = Stat.Of(runs.Select(r => (double?)r.RetainAccuracy))!.Value,
        TestAccuracy = Stat.Of(runs.Select(r => (double?)r.TestAccuracy))!.Value,
        ForgottenClassTestAccuracy = Stat.Of(runs.Select(r => r.ForgottenClassTestAccuracy)),
        MiaEfficacy = Stat.Of(runs.Select(r => (double?)r.MiaEfficacy))!.Value,
        MiaDegenerateRuns = runs.Count(r => r.MiaDegenerate),
        LossMiaEfficacy = Stat.Of(runs.Select(r => (double?)r.LossMiaEfficacy))!.Value,
        Gap = reference is { Count: > 0 } ? HeadlineMetrics.Mean(runs.Select(r => r.Headline).ToArray()).AverageGap(HeadlineMetrics.Mean(reference.Select(r => r.Headline).ToArray())) : null,
        PerSeedGap = Stat.Of(runs.Select(r => r.AverageGap)),
        JsDivergenceForget = Stat.Of(runs.Select(r => r.JsDivergenceForget)),
        JsDivergenceTest = Stat.Of(runs.Select(r => r.JsDivergenceTest)),
        ProbeAccuracy = Stat.Of(runs.Select(r => r.ProbeAccuracy)),
        ProbeAuc = Stat.Of(runs.Select(r => r.ProbeAuc)),
        RelearnSteps = Stat.Of(runs.Select(r => (double?)r.Relearn?.Steps)),
        RelearnRuns = runs.Count(r => r.Relearn is not null),
        RelearnNotRecovered = runs.Count(r => r.Relearn is { Steps: null }),
        Outputs = OutputSummary.Of(runs),
        DistanceToOriginal = Stat.Of(runs.Select(r => (double?)r.DistanceToOriginal))!.Value,
        DistanceToRetrained = Stat.Of(runs.Select(r => r.DistanceToRetrained)),
        Seconds = Stat.Of(runs.Select(r => (double?)r.Seconds))!.Value,
        SpeedUp = Stat.Of(runs.Select(r => r.SpeedUp)),
    };
}
