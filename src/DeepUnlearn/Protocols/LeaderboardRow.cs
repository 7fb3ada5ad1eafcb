using System.Collections.Generic;

namespace DeepUnlearn.Protocols;

/// <summary>One method on one reported request, over the seeds.</summary>
public sealed record LeaderboardRow
{
    /// <summary>The method label (retrain first).</summary>
    public required string Method { get; init; }

    /// <summary>The outcome qualifiers its seeds reported (e.g. <c>T0=1</c>), distinct and ordered; empty when none did.</summary>
    public IReadOnlyList<string> Qualifiers { get; init; } = [];

    /// <summary>The method with its qualifiers, as tables print it: <c>deltagrad-head (T0=1)</c>.</summary>
    public string Label => Qualifiers.Count == 0 ? Method : $"{Method} ({string.Join("; ", Qualifiers)})";

    /// <summary>The settings its reported cells ran with (for searched methods, the search's choice).</summary>
    public required IReadOnlyDictionary<string, string> Settings { get; init; }

    /// <summary>Seeds with results.</summary>
    public required int Seeds { get; init; }

    /// <summary>Seeds whose cell failed.</summary>
    public required int Failed { get; init; }

    /// <summary>Seeds whose cell is missing (not run yet).</summary>
    public required int Missing { get; init; }

    /// <summary>Per metric key (<c>ua</c>, <c>ra</c>, <c>ta</c>, <c>ta_forgotten</c>, <c>va</c>, <c>mia</c>, <c>loss_mia</c>, <c>js_forget</c>, <c>seconds</c>): its summary over seeds.</summary>
    public required IReadOnlyDictionary<string, MetricSummary> Metrics { get; init; }

    /// <summary>Seeds whose MIA-efficacy came from degenerate forget outputs (<see cref="CellMetrics.MiaDegenerate"/>); tables mark its MIA with †.</summary>
    public int MiaDegenerateSeeds { get; init; }

    /// <summary>SalUn's Avg. Gap of the means: mean over UA, RA, TA, MIA of |mean − retrain's mean| (0 for retrain).</summary>
    public double? Gap { get; init; }

    /// <summary>Retrain's mean time / this method's mean time.</summary>
    public double? SpeedUp { get; init; }

    /// <summary>This method's mean time / retrain's mean time.</summary>
    public double? TimeRatio { get; init; }

    /// <summary>Whether no other method is at least as fast with at most the same Gap (and better in one); null for retrain.</summary>
    public bool? Pareto { get; init; }

    /// <summary>Whether the mean time is within the merge's time budget (null without a budget).</summary>
    public bool? WithinBudget { get; init; }

    /// <summary>Offline U-LiRA's AUC on this request (<c>sweep --attacks</c>; <see cref="LeaderboardAttacks"/>): 0.5 = example by example like retraining.</summary>
    public double? ULiraAuc { get; init; }

    /// <summary>Offline U-LiRA's TPR at FPR &lt; 1% (0–1).</summary>
    public double? ULiraTprAt1Percent { get; init; }

    /// <summary>Offline U-LiRA's TPR at FPR &lt; 0.1% (0–1).</summary>
    public double? ULiraTprAt01Percent { get; init; }

    /// <summary>The NeurIPS'23 forgetting score F (0–1, 1 = every example looks retrained); null with fewer than 3 seeds.</summary>
    public double? ForgetScore { get; init; }

    /// <summary>Median over the forget examples of the NeurIPS'23 per-example ε.</summary>
    public double? MedianEpsilon { get; init; }

    /// <summary>The summary of <paramref name="key"/>, if any.</summary>
    public MetricSummary? Get(string key) => Metrics.TryGetValue(key, out MetricSummary? s) ? s : null;
}
