using System;

namespace DeepUnlearn.Torch.Optim;

/// <summary>
/// Cosine annealing (Loshchilov and Hutter, "SGDR", ICLR 2017, eq. 5 without restarts), as
/// <c>torch.optim.lr_scheduler.CosineAnnealingLR</c>, in its closed form:
/// lr(t) = eta_min + (base − eta_min) · (1 + cos(π · t / T_max)) / 2.
/// Past T_max the rate rises again along the same cosine, as PyTorch's does.
/// </summary>
public sealed class CosineAnnealingLr : LrScheduler
{
    private readonly int _tMax;
    private readonly double _etaMin;

    /// <summary>A cosine schedule on <paramref name="optimizer"/>.</summary>
    /// <param name="optimizer">The optimizer whose rates to set.</param>
    /// <param name="tMax">Epochs (or iterations) from the base rate down to <paramref name="etaMin"/>, &gt;= 1.</param>
    /// <param name="etaMin">The minimum rate, &gt;= 0.</param>
    public CosineAnnealingLr(Optimizer optimizer, int tMax, double etaMin = 0)
        : base(optimizer)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(tMax, 1);
        if (!(etaMin >= 0) || double.IsInfinity(etaMin))
        {
            throw new ArgumentOutOfRangeException(nameof(etaMin), etaMin, "etaMin must be a finite number >= 0");
        }
        _tMax = tMax;
        _etaMin = etaMin;
        ApplyLearningRates();
    }

    /// <inheritdoc />
    public override double LearningRateAt(double baseLearningRate, int epoch) =>
        _etaMin + (baseLearningRate - _etaMin) * (1 + Math.Cos(Math.PI * epoch / _tMax)) / 2;
}
