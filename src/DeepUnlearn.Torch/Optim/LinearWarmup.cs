using System;

namespace DeepUnlearn.Torch.Optim;

/// <summary>
/// Scales the learning rate by a factor that moves linearly from <c>startFactor</c> to <c>endFactor</c>
/// over <c>totalIters</c> steps and then stays, as <c>torch.optim.lr_scheduler.LinearLR</c>:
/// lr(t) = base · (start + (end − start) · min(t, totalIters) / totalIters).
/// With the defaults' end factor of 1 it is the usual linear warm-up; chain it before another schedule
/// with <see cref="SequentialLr"/>.
/// </summary>
public sealed class LinearWarmup : LrScheduler
{
    private readonly double _startFactor;
    private readonly double _endFactor;
    private readonly int _totalIters;

    /// <summary>A linear warm-up (or decay) on <paramref name="optimizer"/>.</summary>
    /// <param name="optimizer">The optimizer whose rates to set.</param>
    /// <param name="startFactor">The factor at epoch 0, in [0, 1] (PyTorch's default 1/3).</param>
    /// <param name="endFactor">The factor from <paramref name="totalIters"/> on, in [0, 1].</param>
    /// <param name="totalIters">Steps over which the factor moves, &gt;= 1.</param>
    public LinearWarmup(Optimizer optimizer, double startFactor = 1.0 / 3, double endFactor = 1.0, int totalIters = 5)
        : base(optimizer)
    {
        if (!(startFactor is >= 0 and <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(startFactor), startFactor, "startFactor must be in [0, 1]");
        }
        if (!(endFactor is >= 0 and <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(endFactor), endFactor, "endFactor must be in [0, 1]");
        }
        ArgumentOutOfRangeException.ThrowIfLessThan(totalIters, 1);
        _startFactor = startFactor;
        _endFactor = endFactor;
        _totalIters = totalIters;
        ApplyLearningRates();
    }

    /// <inheritdoc />
    public override double LearningRateAt(double baseLearningRate, int epoch) =>
        baseLearningRate * (_startFactor + (_endFactor - _startFactor) * Math.Min(_totalIters, epoch) / _totalIters);
}
