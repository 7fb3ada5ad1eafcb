namespace DeepUnlearn.Evaluation.Attacks;

/// <summary>
/// The NeurIPS 2023 unlearning challenge's ε estimate for one forget example, with our confidence interval.
/// </summary>
/// <param name="Epsilon">The challenge's point estimate (0 to <see cref="EpsilonEstimator.Cap"/>; the cap also for "peaky" outputs).</param>
/// <param name="Lower">
/// Lower end of the interval: ε of the best threshold with its FPR and FNR at their Clopper–Pearson upper bounds
/// (the auditing convention: a lower bound on ε).
/// </param>
/// <param name="Upper">Upper end: the same with the lower bounds (∞ when a lower bound is 0).</param>
/// <param name="Peaky">True when the challenge's peakiness rule set <see cref="Epsilon"/> to the cap.</param>
/// <param name="FalsePositives">False positives of the best threshold (out of <see cref="Negatives"/>).</param>
/// <param name="FalseNegatives">False negatives of the best threshold (out of <see cref="Positives"/>).</param>
/// <param name="Positives">Models on the positive side (the distribution with the larger median, or the peakier one for a two-threshold rule).</param>
/// <param name="Negatives">Models on the negative side.</param>
public readonly record struct ExampleEpsilon(double Epsilon, double Lower, double Upper, bool Peaky, int FalsePositives, int FalseNegatives, int Positives, int Negatives);
