using System;

namespace DeepUnlearn.Evaluation;

/// <summary>The four headline numbers of the SalUn benchmark, in percent.</summary>
/// <param name="UnlearningAccuracy">UA = 100 − accuracy on the forget set.</param>
/// <param name="RetainAccuracy">RA: accuracy on the retain set.</param>
/// <param name="TestAccuracy">TA: test accuracy (remaining classes only for class forgetting).</param>
/// <param name="MiaEfficacy">MIA-efficacy: share of forget samples the SVC attack calls non-members.</param>
public readonly record struct HeadlineMetrics(double UnlearningAccuracy, double RetainAccuracy, double TestAccuracy, double MiaEfficacy)
{
    /// <summary>
    /// Avg. Gap to the retrained model: the mean absolute difference over UA, RA, TA and MIA-efficacy
    /// (SalUn, Table 1); lower is closer to retraining.
    /// </summary>
    public double AverageGap(HeadlineMetrics retrained) =>
        (Math.Abs(UnlearningAccuracy - retrained.UnlearningAccuracy)
         + Math.Abs(RetainAccuracy - retrained.RetainAccuracy)
         + Math.Abs(TestAccuracy - retrained.TestAccuracy)
         + Math.Abs(MiaEfficacy - retrained.MiaEfficacy)) / 4;
}
