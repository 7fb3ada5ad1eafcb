using System.Collections.Generic;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace DeepUnlearn.Training;

/// <summary>Builds the optimizer and per-epoch schedule a <see cref="TrainingConfig"/> names.</summary>
public static class OptimizerFactory
{
    /// <summary>The optimizer over <paramref name="parameters"/>.</summary>
    public static optim.Optimizer Create(TrainingConfig config, IEnumerable<Tensor> parameters) => config.Optimizer switch
    {
        OptimizerKind.Adam => new Adam(parameters, config.LearningRate, weightDecay: config.WeightDecay),
        OptimizerKind.AdamW => new AdamW(parameters, config.LearningRate, weightDecay: config.WeightDecay),
        _ => new Sgd(parameters, config.LearningRate, config.Momentum, weightDecay: config.WeightDecay, nesterov: config.Nesterov),
    };

    /// <summary>The schedule, stepped once per epoch, with the linear warm-up in front when configured.</summary>
    public static optim.lr_scheduler.LRScheduler CreateSchedule(TrainingConfig config, optim.Optimizer optimizer)
    {
        int remaining = config.Epochs - config.WarmupEpochs;
        optim.lr_scheduler.LRScheduler main = config.Schedule switch
        {
            ScheduleKind.Step => new StepLr(optimizer, config.StepSize, config.Gamma),
            ScheduleKind.MultiStep => new MultiStepLr(optimizer, config.Milestones, config.Gamma),
            ScheduleKind.Cosine => new CosineAnnealingLr(optimizer, remaining),
            _ => new StepLr(optimizer, int.MaxValue, 1.0),
        };
        if (config.WarmupEpochs == 0)
        {
            return main;
        }
        var warmup = new LinearWarmup(optimizer, startFactor: 0.1, endFactor: 1.0, totalIters: config.WarmupEpochs);
        return new SequentialLr(optimizer, [warmup, main], [config.WarmupEpochs]);
    }
}
