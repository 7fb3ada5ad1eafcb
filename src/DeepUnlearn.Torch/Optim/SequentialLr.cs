using System;
using System.Collections.Generic;
using System.Linq;

namespace DeepUnlearn.Torch.Optim;

/// <summary>
/// Runs schedules one after another, as <c>torch.optim.lr_scheduler.SequentialLR</c>: before the first
/// milestone the first schedule applies, between milestone k−1 and k the k-th, each restarted at its own
/// epoch 0 when its milestone is reached (so a warm-up of w epochs followed by a cosine schedule is
/// <c>new SequentialLr(opt, [new LinearWarmup(opt, 0.1, 1, w), new CosineAnnealingLr(opt, T)], [w])</c>).
/// Step only this scheduler; the children are used for their formulas.
/// </summary>
public sealed class SequentialLr : LrScheduler
{
    private readonly LrScheduler[] _schedulers;
    private readonly int[] _milestones;

    /// <summary>A sequence of <paramref name="schedulers"/> switching at <paramref name="milestones"/>.</summary>
    /// <param name="optimizer">The optimizer whose rates to set (every child must belong to it).</param>
    /// <param name="schedulers">The schedules, in order.</param>
    /// <param name="milestones">Strictly increasing epochs (&gt;= 1) at which the next schedule starts; one fewer than the schedules.</param>
    public SequentialLr(Optimizer optimizer, IEnumerable<LrScheduler> schedulers, IEnumerable<int> milestones)
        : base(optimizer)
    {
        ArgumentNullException.ThrowIfNull(schedulers);
        ArgumentNullException.ThrowIfNull(milestones);
        _schedulers = schedulers.ToArray();
        _milestones = milestones.ToArray();
        if (_schedulers.Length == 0)
        {
            throw new ArgumentException("SequentialLr needs at least one scheduler", nameof(schedulers));
        }
        for (int i = 0; i < _schedulers.Length; i++)
        {
            ArgumentNullException.ThrowIfNull(_schedulers[i], nameof(schedulers));
            if (!ReferenceEquals(_schedulers[i].Optimizer, optimizer))
            {
                throw new ArgumentException($"scheduler {i} belongs to a different optimizer; every scheduler must be built on the one passed here", nameof(schedulers));
            }
        }
        if (_milestones.Length != _schedulers.Length - 1)
        {
            throw new ArgumentException(
                $"expected one milestone fewer than schedulers ({_schedulers.Length - 1}), got {_milestones.Length}", nameof(milestones));
        }
        for (int i = 0; i < _milestones.Length; i++)
        {
            if (_milestones[i] < 1 || (i > 0 && _milestones[i] <= _milestones[i - 1]))
            {
                throw new ArgumentException(
                    $"milestones must be strictly increasing epochs >= 1, got [{string.Join(", ", _milestones)}]", nameof(milestones));
            }
        }
        ApplyLearningRates();
    }

    /// <inheritdoc />
    public override double LearningRateAt(double baseLearningRate, int epoch)
    {
        int index = _milestones.Count(m => m <= epoch);
        int start = index == 0 ? 0 : _milestones[index - 1];
        return _schedulers[index].LearningRateAt(baseLearningRate, epoch - start);
    }
}
