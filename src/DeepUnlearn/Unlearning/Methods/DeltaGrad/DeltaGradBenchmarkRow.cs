namespace DeepUnlearn.Unlearning.Methods.DeltaGrad;

/// <summary>One measurement of <see cref="DeltaGradBenchmark"/>: a change rate, a repeat, and the comparison
/// (whose <see cref="DeltaGradMetrics.Change"/> says deletion or addition).</summary>
/// <param name="Rate">Fraction of the training set deleted or added.</param>
/// <param name="Repeat">Repeat index (each repeat changes a different seeded sample).</param>
/// <param name="Metrics">DeltaGrad against exact retraining.</param>
public sealed record DeltaGradBenchmarkRow(double Rate, int Repeat, DeltaGradMetrics Metrics);
