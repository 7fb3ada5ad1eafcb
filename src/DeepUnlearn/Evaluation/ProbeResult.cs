namespace DeepUnlearn.Evaluation;

/// <summary>How well a linear probe tells the forgotten class from the rest on a model's frozen features.</summary>
/// <param name="AccuracyPercent">Balanced held-out accuracy of the probe at probability 0.5, in percent (50 = chance).</param>
/// <param name="Auc">Held-out ROC AUC of the probe's scores, 0–1 (0.5 = chance).</param>
/// <param name="TrainCount">Probe-training samples (half positives, half negatives).</param>
/// <param name="EvalCount">Held-out samples the numbers are measured on.</param>
public sealed record ProbeResult(double AccuracyPercent, double Auc, int TrainCount, int EvalCount);
