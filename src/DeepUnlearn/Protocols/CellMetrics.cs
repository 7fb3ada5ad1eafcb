using System.Collections.Generic;

namespace DeepUnlearn.Protocols;

/// <summary>
/// The evidence of one cell, in the SalUn benchmark's terms (percent except times and distances), owned by the
/// protocol layer so that its files outlive engine changes.
/// </summary>
public sealed record CellMetrics
{
    /// <summary>UA = 100 − accuracy on the forget set.</summary>
    public required double UnlearningAccuracy { get; init; }

    /// <summary>RA: accuracy on the retain set.</summary>
    public required double RetainAccuracy { get; init; }

    /// <summary>TA: test accuracy (remaining classes only for class-wise requests).</summary>
    public required double TestAccuracy { get; init; }

    /// <summary>Test accuracy on the forgotten classes (class-wise requests).</summary>
    public double? ForgottenClassTestAccuracy { get; init; }

    /// <summary>
    /// VA: accuracy on the held-out validation split of the training set (remaining classes only for class-wise
    /// requests); the hyper-parameter search uses it in place of TA, so the test set never picks settings.
    /// </summary>
    public double? ValidationAccuracy { get; init; }

    /// <summary>MIA-efficacy: share of forget samples the SVC attack calls non-members.</summary>
    public required double MiaEfficacy { get; init; }

    /// <summary>
    /// Whether <see cref="MiaEfficacy"/> comes from degenerate forget outputs (the evaluator's test: all-or-nothing
    /// efficacy with nearly every forget confidence at one value), so that 0 or 100 says nothing about membership.
    /// </summary>
    public bool MiaDegenerate { get; init; }

    /// <summary>The same with a loss-threshold attack.</summary>
    public double? LossMiaEfficacy { get; init; }

    /// <summary>Mean JS divergence to the oracle's predictions on the forget set.</summary>
    public double? JsDivergenceForget { get; init; }

    /// <summary>Mean JS divergence to the oracle's predictions on the test set.</summary>
    public double? JsDivergenceTest { get; init; }

    /// <summary>‖θ − θ0‖.</summary>
    public double? DistanceToOriginal { get; init; }

    /// <summary>‖θ − θ_oracle‖.</summary>
    public double? DistanceToOracle { get; init; }

    /// <summary>The method's wall time in seconds (for retrain: the oracle's training time).</summary>
    public required double Seconds { get; init; }

    /// <summary>
    /// What the run was when the request decided it (the method's outcome qualifier, e.g. <c>T0=1</c> for DeltaGrad's
    /// exact replay of a class request); tables print it beside the method. Null when there is nothing to add.
    /// </summary>
    public string? Qualifier { get; init; }

    /// <summary>Method-specific diagnostics.</summary>
    public IReadOnlyDictionary<string, double> Diagnostics { get; init; } = new Dictionary<string, double>();
}
