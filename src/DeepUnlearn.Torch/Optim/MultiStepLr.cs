using System;
using System.Collections.Generic;
using System.Linq;

namespace DeepUnlearn.Torch.Optim;

/// <summary>
/// Multiplies the learning rate by <c>gamma</c> at each milestone epoch, as
/// <c>torch.optim.lr_scheduler.MultiStepLR</c>: lr(t) = base · gamma^(number of milestones ≤ t).
/// A milestone listed twice decays twice, as in PyTorch.
/// </summary>
public sealed class MultiStepLr : LrScheduler
{
    private readonly int[] _milestones;
    private readonly double _gamma;

    /// <summary>A multi-step schedule on <paramref name="optimizer"/>.</summary>
    /// <param name="optimizer">The optimizer whose rates to set.</param>
    /// <param name="milestones">Epochs (&gt;= 0) at which to decay.</param>
    /// <param name="gamma">Multiplicative decay, &gt;= 0 (PyTorch's default 0.1).</param>
    public MultiStepLr(Optimizer optimizer, IEnumerable<int> milestones, double gamma = 0.1)
        : base(optimizer)
    {
        ArgumentNullException.ThrowIfNull(milestones);
        _milestones = milestones.Order().ToArray();
        if (_milestones.Length > 0 && _milestones[0] < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(milestones), _milestones[0], "milestones are epochs and must be >= 0");
        }
        StepLr.ThrowIfNotNonNegative(gamma);
        _gamma = gamma;
        ApplyLearningRates();
    }

    /// <summary>The milestones, sorted.</summary>
    public IReadOnlyList<int> Milestones => _milestones;

    /// <inheritdoc />
    public override double LearningRateAt(double baseLearningRate, int epoch) =>
        baseLearningRate * Math.Pow(_gamma, _milestones.Count(m => m <= epoch));
}
