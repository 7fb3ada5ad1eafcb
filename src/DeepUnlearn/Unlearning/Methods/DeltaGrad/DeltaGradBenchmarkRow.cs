namespace DeepUnlearn.Unlearning.Methods.DeltaGrad;

/// <summary>One measurement of <see cref="DeltaGradBenchmark"/>: a deletion rate, a repeat, and the comparison.</summary>
/// <param name="DeletionRate">Fraction of the training set deleted.</param>
/// <param name="Repeat">Repeat index (each repeat deletes a different seeded sample).</param>
/// <param name="Metrics">DeltaGrad against exact retraining.</param>
public sealed record DeltaGradBenchmarkRow(double DeletionRate, int Repeat, DeltaGradMetrics Metrics);
