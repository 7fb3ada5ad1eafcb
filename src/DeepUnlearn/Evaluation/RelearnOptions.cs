using System;

namespace DeepUnlearn.Evaluation;

/// <summary>
/// Settings of the relearn-time check (<see cref="RelearnTime"/>). The same settings are applied to every model of a
/// comparison, so the unlearned and the retrained models relearn under the same budget.
/// </summary>
public sealed record RelearnOptions
{
    /// <summary>Forget samples to fine-tune on; null for 1% of the forget set (at least 8, at most the forget set).</summary>
    public int? Samples { get; init; }

    /// <summary>
    /// Recovered when the forget accuracy reaches this share of the original model's forget accuracy (measured on the
    /// same held-out forget samples).
    /// </summary>
    public double RecoverFraction { get; init; } = 0.9;

    /// <summary>SGD learning rate of the fine-tuning (momentum 0.9, no weight decay).</summary>
    public double LearningRate { get; init; } = 0.01;

    /// <summary>The budget: full-batch steps on the relearn samples before giving up.</summary>
    public int MaxSteps { get; init; } = 100;

    /// <summary>Forget samples (not among those fine-tuned on) that the forget accuracy is measured on.</summary>
    public int EvalSamples { get; init; } = 512;

    /// <summary>The number of relearn samples for a forget set of <paramref name="forgetCount"/> samples.</summary>
    public int SamplesFor(int forgetCount) =>
        Math.Min(forgetCount, Samples ?? Math.Max(8, (int)Math.Ceiling(0.01 * forgetCount)));

    /// <summary>Throws when a setting is out of range, saying what is valid.</summary>
    public void Validate()
    {
        if (Samples is int s && s < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(Samples), s, "relearn samples must be at least 1 (or unset for 1% of the forget set)");
        }
        if (!(RecoverFraction > 0 && RecoverFraction <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(RecoverFraction), RecoverFraction, "the recovery fraction must be in (0, 1]");
        }
        if (!(LearningRate > 0) || double.IsInfinity(LearningRate))
        {
            throw new ArgumentOutOfRangeException(nameof(LearningRate), LearningRate, "the relearn learning rate must be positive and finite");
        }
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxSteps, 1, nameof(MaxSteps));
        ArgumentOutOfRangeException.ThrowIfLessThan(EvalSamples, 1, nameof(EvalSamples));
    }
}
