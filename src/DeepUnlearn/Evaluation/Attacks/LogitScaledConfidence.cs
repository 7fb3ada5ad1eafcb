using System;

namespace DeepUnlearn.Evaluation.Attacks;

/// <summary>
/// The logit-scaled confidence φ = log p_y − log Σ_{j≠y} p_j of a model on a sample's true label: the statistic of
/// LiRA (Carlini et al., "Membership Inference Attacks From First Principles", S&amp;P 2022, Sec. IV.B, whose Gaussian
/// fits it makes reasonable), of U-LiRA (Hayes et al. 2024) and of the NeurIPS 2023 unlearning challenge's metric.
/// </summary>
public static class LogitScaledConfidence
{
    /// <summary>
    /// The reference code's guard against log 0 (LiRA's <c>score.py</c> and the challenge's <c>metric.py</c> both add 1e-45
    /// to each probability before the log).
    /// </summary>
    public const double LogGuard = 1e-45;

    /// <summary>
    /// φ of every sample of <paramref name="predictions"/>, in their order. log p_y is taken from the per-sample loss
    /// (the cross-entropy −log p_y, computed from the logits by log-softmax) and not from the float32 probability:
    /// a class the model never saw gets p_y below float32's smallest value (1e-45), where every sample would read the
    /// same φ = log 1e-45, whereas the reference code's float64 softmax from the logits keeps them apart.
    /// </summary>
    public static double[] Of(Predictions predictions)
    {
        ArgumentNullException.ThrowIfNull(predictions);
        var result = new double[predictions.Count];
        int k = predictions.NumClasses;
        for (int i = 0; i < result.Length; i++)
        {
            result[i] = -predictions.Losses[i] - Math.Log(WrongMass(predictions.Probabilities.AsSpan(i * k, k), predictions.Labels[i]) + LogGuard);
        }
        return result;
    }

    /// <summary>
    /// φ of one softmax row. The wrong-class mass is summed from the other classes' probabilities, not taken as 1 − p_y,
    /// as the reference code does: for a confident sample 1 − p_y cancels to 0 in float32 while the sum keeps its value.
    /// </summary>
    public static double Of(ReadOnlySpan<float> probabilities, int label)
    {
        double wrong = WrongMass(probabilities, label);
        return Math.Log(probabilities[label] + LogGuard) - Math.Log(wrong + LogGuard);
    }

    private static double WrongMass(ReadOnlySpan<float> probabilities, int label)
    {
        if ((uint)label >= (uint)probabilities.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(label), label, $"the label must index one of the {probabilities.Length} classes");
        }
        double wrong = 0;
        for (int j = 0; j < probabilities.Length; j++)
        {
            if (j != label)
            {
                wrong += probabilities[j];
            }
        }
        return wrong;
    }
}
