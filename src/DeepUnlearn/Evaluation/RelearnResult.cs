namespace DeepUnlearn.Evaluation;

/// <summary>How fast a model relearns the forget set (<see cref="RelearnTime"/>).</summary>
/// <param name="Steps">Full-batch SGD steps until the forget accuracy reached the threshold (0 = already there); null when not within the budget.</param>
/// <param name="Examples">Forget examples seen until then (steps × samples), or over the whole budget when not recovered.</param>
/// <param name="ThresholdPercent">The forget accuracy (percent) that counts as recovered.</param>
/// <param name="ForgetAccuracy">The forget accuracy (percent) at the end (at recovery, or after the budget).</param>
/// <param name="Samples">Forget samples fine-tuned on.</param>
/// <param name="MaxSteps">The budget in steps.</param>
public sealed record RelearnResult(int? Steps, long Examples, double ThresholdPercent, double ForgetAccuracy, int Samples, int MaxSteps);
