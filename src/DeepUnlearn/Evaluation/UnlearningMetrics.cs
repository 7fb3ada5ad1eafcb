using System.Collections.Generic;

namespace DeepUnlearn.Evaluation;

/// <summary>
/// The evidence for one unlearned model, in the SalUn benchmark's terms (all accuracies in percent):
/// UA, RA, TA, MIA-efficacy, plus a loss-threshold MIA, JS divergences and parameter distances to the
/// retrained model, wall time, speed-up over retraining and the Avg. Gap.
/// </summary>
public sealed record UnlearningMetrics
{
    /// <summary>The method (or <c>original</c>, <c>retrain</c>).</summary>
    public required string Method { get; init; }

    /// <summary>The seed of the run.</summary>
    public ulong Seed { get; init; }

    /// <summary>UA = 100 − accuracy on the forget set.</summary>
    public required double UnlearningAccuracy { get; init; }

    /// <summary>RA: accuracy on the retain set.</summary>
    public required double RetainAccuracy { get; init; }

    /// <summary>TA: test accuracy; on the remaining classes for class-wise forgetting.</summary>
    public required double TestAccuracy { get; init; }

    /// <summary>Test accuracy on the forgotten classes (class-wise forgetting only).</summary>
    public double? ForgottenClassTestAccuracy { get; init; }

    /// <summary>MIA-efficacy: share of forget samples SalUn's SVC attack calls non-members.</summary>
    public required double MiaEfficacy { get; init; }

    /// <summary>
    /// True when <see cref="MiaEfficacy"/> is uninformative: all-or-nothing on near-constant forget confidences
    /// (<see cref="MembershipInference.IsDegenerate"/>).
    /// </summary>
    public bool MiaDegenerate { get; init; }

    /// <summary>The same with a loss-threshold attack (Yeom et al. 2018).</summary>
    public required double LossMiaEfficacy { get; init; }

    /// <summary>Mean JS divergence to the retrained model's predictions on the forget set.</summary>
    public double? JsDivergenceForget { get; init; }

    /// <summary>Mean JS divergence to the retrained model's predictions on the test set.</summary>
    public double? JsDivergenceTest { get; init; }

    /// <summary>
    /// Representation probe (class-wise requests): balanced held-out accuracy, in percent, of a logistic-regression
    /// probe telling the forgotten class from the rest on the frozen penultimate features (50 = chance).
    /// </summary>
    public double? ProbeAccuracy { get; init; }

    /// <summary>The same probe's held-out ROC AUC (0–1, 0.5 = chance).</summary>
    public double? ProbeAuc { get; init; }

    /// <summary>
    /// Relearn time (by option): full-batch SGD steps on a few forget samples until the held-out forget accuracy
    /// recovers to the threshold (null steps: not within the budget).
    /// </summary>
    public RelearnResult? Relearn { get; init; }

    /// <summary>The representation probe at each requested layer (by option; null when not run).</summary>
    public IReadOnlyList<LayerProbeResult>? LayerProbes { get; init; }

    /// <summary>
    /// Evidence from the outputs on D_f (<see cref="OutputEvidence"/>: ZRF, class MIA, confidence and entropy histograms
    /// with their distances to the retrained model's); null when not measured.
    /// </summary>
    public OutputEvidence? Outputs { get; init; }

    /// <summary>‖θ − θ0‖ (L2 over all parameters).</summary>
    public required double DistanceToOriginal { get; init; }

    /// <summary>‖θ − θ_retrain‖.</summary>
    public double? DistanceToRetrained { get; init; }

    /// <summary>Wall time of the method in seconds (0 for the original).</summary>
    public required double Seconds { get; init; }

    /// <summary>Retraining time / this method's time.</summary>
    public double? SpeedUp { get; init; }

    /// <summary>
    /// This run's gap to the retrained model of the same seed: mean |difference| over UA, RA, TA, MIA-efficacy.
    /// Over several seeds SalUn's Avg. Gap is <see cref="Reporting.MethodSummary.Gap"/> (the gap of the means), not
    /// the mean of these.
    /// </summary>
    public double? AverageGap { get; init; }

    /// <summary>Method-specific diagnostics.</summary>
    public IReadOnlyDictionary<string, double> Diagnostics { get; init; } = new Dictionary<string, double>();

    /// <summary>UA, RA, TA, MIA as one value.</summary>
    public HeadlineMetrics Headline => new(UnlearningAccuracy, RetainAccuracy, TestAccuracy, MiaEfficacy);
}
