using System;
using System.Collections.Generic;
using System.Linq;

namespace DeepUnlearn.Evaluation;

/// <summary>The four headline numbers of the SalUn benchmark, in percent.</summary>
/// <param name="UnlearningAccuracy">UA = 100 − accuracy on the forget set.</param>
/// <param name="RetainAccuracy">RA: accuracy on the retain set.</param>
/// <param name="TestAccuracy">TA: test accuracy (remaining classes only for class forgetting).</param>
/// <param name="MiaEfficacy">MIA-efficacy: share of forget samples the SVC attack calls non-members.</param>
public readonly record struct HeadlineMetrics(double UnlearningAccuracy, double RetainAccuracy, double TestAccuracy, double MiaEfficacy)
{
    /// <summary>
    /// The gap to the retrained model: the mean absolute difference over UA, RA, TA and MIA-efficacy; lower is
    /// closer to retraining. SalUn's Avg. Gap (Table 1) is this applied to the metrics' means over seeds
    /// (<see cref="Mean"/>), not the mean of per-seed gaps.
    /// </summary>
    public double AverageGap(HeadlineMetrics retrained) =>
        (Math.Abs(UnlearningAccuracy - retrained.UnlearningAccuracy)
         + Math.Abs(RetainAccuracy - retrained.RetainAccuracy)
         + Math.Abs(TestAccuracy - retrained.TestAccuracy)
         + Math.Abs(MiaEfficacy - retrained.MiaEfficacy)) / 4;

    /// <summary>The mean of each of the four metrics over <paramref name="runs"/> (at least one).</summary>
    public static HeadlineMetrics Mean(IReadOnlyCollection<HeadlineMetrics> runs)
    {
        ArgumentNullException.ThrowIfNull(runs);
        if (runs.Count == 0)
        {
            throw new ArgumentException("the mean of no runs is undefined: give at least one", nameof(runs));
        }
        return new HeadlineMetrics(
            runs.Average(r => r.UnlearningAccuracy),
            runs.Average(r => r.RetainAccuracy),
            runs.Average(r => r.TestAccuracy),
            runs.Average(r => r.MiaEfficacy));
    }
}
