using System;
using System.Collections.Generic;
using DeepUnlearn.Engine;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace DeepUnlearn.Training;

/// <summary>Builds the optimizer and per-epoch schedule a <see cref="TrainingConfig"/> names.</summary>
public static class OptimizerFactory
{
    /// <summary>The optimizer over <paramref name="parameters"/> (read once, here).</summary>
    public static OptimizerHelper Create(TrainingConfig config, IEnumerable<Parameter> parameters)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(parameters);
        // TorchSharp keeps the enumerable it is given and enumerates it again at every step() and zero_grad(): a lazy
        // query (model.TrainableParameters()) would walk the module tree each time and pick up later requires_grad
        // changes. PyTorch takes the list once; so do we.
        List<Parameter> list = [.. parameters];
        return config.Optimizer switch
        {
            OptimizerKind.Adam => torch.optim.Adam(list, config.LearningRate, weight_decay: config.WeightDecay),
            OptimizerKind.AdamW => torch.optim.AdamW(list, config.LearningRate, weight_decay: config.WeightDecay),
            _ => new SgdOptimizer(list, config.LearningRate, config.Momentum, weightDecay: config.WeightDecay, nesterov: config.Nesterov),
        };
    }

    /// <summary>The schedule, stepped once per epoch, with the linear warm-up in front when configured.</summary>
    public static optim.lr_scheduler.LRScheduler CreateSchedule(TrainingConfig config, OptimizerHelper optimizer)
    {
        ArgumentNullException.ThrowIfNull(config);
        int remaining = config.Epochs - config.WarmupEpochs;
        optim.lr_scheduler.LRScheduler main = config.Schedule switch
        {
            ScheduleKind.Step => torch.optim.lr_scheduler.StepLR(optimizer, config.StepSize, config.Gamma),
            ScheduleKind.MultiStep => torch.optim.lr_scheduler.MultiStepLR(optimizer, config.Milestones, config.Gamma),
            ScheduleKind.Cosine => torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, remaining),
            _ => torch.optim.lr_scheduler.StepLR(optimizer, int.MaxValue, 1.0),
        };
        if (config.WarmupEpochs == 0)
        {
            return main;
        }
        var warmup = torch.optim.lr_scheduler.LinearLR(optimizer, start_factor: 0.1, end_factor: 1.0, total_iters: config.WarmupEpochs);
        return torch.optim.lr_scheduler.SequentialLR(optimizer, [warmup, main], [config.WarmupEpochs]);
    }
}
