using System;
using System.Collections.Generic;
using System.Linq;

namespace DeepUnlearn.Torch.Optim;

/// <summary>
/// Base of the learning-rate schedules, with PyTorch's semantics (<c>torch.optim.lr_scheduler</c>):
/// building a scheduler sets each group's rate for epoch 0; each <see cref="Step"/> (once per epoch, or
/// once per iteration for per-iteration schedules, after the optimizer's step) advances
/// <see cref="LastEpoch"/> and sets the rates for it. Rates are computed in closed form from each
/// group's <see cref="ParameterGroup.InitialLearningRate"/> (PyTorch's <c>initial_lr</c>, recorded by
/// the first scheduler built on the optimizer), so a schedule resumes exactly from its epoch alone
/// (<see cref="SetLastEpoch"/>) and does not drift. A rate set by hand is overwritten at the next step.
/// </summary>
public abstract class LrScheduler
{
    private readonly double[] _baseLearningRates;
    private double[] _lastLearningRates = [];

    /// <summary>Attaches to <paramref name="optimizer"/> and records each group's initial learning rate.
    /// Derived constructors call <see cref="ApplyLearningRates"/> once their settings are stored.</summary>
    protected LrScheduler(Optimizer optimizer)
    {
        ArgumentNullException.ThrowIfNull(optimizer);
        Optimizer = optimizer;
        foreach (ParameterGroup group in optimizer.ParamGroups)
        {
            group.InitialLearningRate ??= group.LearningRate;
        }
        _baseLearningRates = optimizer.ParamGroups.Select(g => g.InitialLearningRate!.Value).ToArray();
    }

    /// <summary>The optimizer whose learning rates this schedule sets.</summary>
    public Optimizer Optimizer { get; }

    /// <summary>Each group's initial learning rate, from which the rates are computed.</summary>
    public IReadOnlyList<double> BaseLearningRates => _baseLearningRates;

    /// <summary>The index of the current epoch (0 right after construction), PyTorch's <c>last_epoch</c>.</summary>
    public int LastEpoch { get; private set; }

    /// <summary>The rates set by the latest step (or by construction), PyTorch's <c>get_last_lr()</c>.</summary>
    public IReadOnlyList<double> LastLearningRates => _lastLearningRates;

    /// <summary>The rate this schedule gives at <paramref name="epoch"/> to a group whose initial rate is
    /// <paramref name="baseLearningRate"/>.</summary>
    public abstract double LearningRateAt(double baseLearningRate, int epoch);

    /// <summary>Advances one epoch (or iteration) and sets the rates for it.</summary>
    public void Step()
    {
        LastEpoch++;
        ApplyLearningRates();
    }

    /// <summary>Jumps to <paramref name="lastEpoch"/> and sets its rates: resuming a run from a checkpoint
    /// that recorded <see cref="LastEpoch"/>. Build the scheduler after <see cref="Optimizer.LoadStateDict"/>,
    /// so that it reads the restored initial rates.</summary>
    public void SetLastEpoch(int lastEpoch)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(lastEpoch);
        LastEpoch = lastEpoch;
        ApplyLearningRates();
    }

    /// <summary>Sets every group's learning rate for <see cref="LastEpoch"/>.</summary>
    protected void ApplyLearningRates()
    {
        var groups = Optimizer.ParamGroups;
        if (groups.Count != _baseLearningRates.Length)
        {
            throw new InvalidOperationException(
                $"the optimizer has {groups.Count} parameter groups but this scheduler was built for {_baseLearningRates.Length}; build the scheduler after adding every group");
        }
        var rates = new double[groups.Count];
        for (int i = 0; i < groups.Count; i++)
        {
            rates[i] = LearningRateAt(_baseLearningRates[i], LastEpoch);
            groups[i].LearningRate = rates[i];
        }
        _lastLearningRates = rates;
    }
}
