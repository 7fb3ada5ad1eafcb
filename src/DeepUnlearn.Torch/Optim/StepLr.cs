using System;

namespace DeepUnlearn.Torch.Optim;

/// <summary>
/// Multiplies the learning rate by <c>gamma</c> every <c>stepSize</c> epochs, as
/// <c>torch.optim.lr_scheduler.StepLR</c>: lr(t) = base · gamma^⌊t / stepSize⌋.
/// </summary>
public sealed class StepLr : LrScheduler
{
    private readonly int _stepSize;
    private readonly double _gamma;

    /// <summary>A step schedule on <paramref name="optimizer"/>.</summary>
    /// <param name="optimizer">The optimizer whose rates to set.</param>
    /// <param name="stepSize">Epochs between decays, &gt;= 1.</param>
    /// <param name="gamma">Multiplicative decay, &gt;= 0 (PyTorch's default 0.1).</param>
    public StepLr(Optimizer optimizer, int stepSize, double gamma = 0.1)
        : base(optimizer)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(stepSize, 1);
        ThrowIfNotNonNegative(gamma);
        _stepSize = stepSize;
        _gamma = gamma;
        ApplyLearningRates();
    }

    /// <inheritdoc />
    public override double LearningRateAt(double baseLearningRate, int epoch) =>
        baseLearningRate * Math.Pow(_gamma, epoch / _stepSize);

    internal static void ThrowIfNotNonNegative(double gamma)
    {
        if (!(gamma >= 0) || double.IsInfinity(gamma))
        {
            throw new ArgumentOutOfRangeException(nameof(gamma), gamma, "gamma must be a finite number >= 0");
        }
    }
}
