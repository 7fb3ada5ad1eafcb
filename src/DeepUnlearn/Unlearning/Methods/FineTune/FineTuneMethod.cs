using System.Collections.Generic;
using System.Diagnostics;
using System.Threading;
using DeepUnlearn.Data;
using DeepUnlearn.Models;
using DeepUnlearn.Training;
using Microsoft.Extensions.Logging;

namespace DeepUnlearn.Unlearning.Methods.FineTune;

/// <summary>
/// Fine-tuning (FT): continue training a copy of the original on the retain set D_r only, so that the
/// forget set's influence fades by catastrophic forgetting (Warnecke et al. 2023; the FT baseline of
/// SalUn / Unlearn-Sparse).
/// </summary>
public sealed class FineTuneMethod(FineTuneOptions options) : IUnlearningMethod
{
    /// <inheritdoc />
    public string Name => "finetune";

    /// <summary>The options in force.</summary>
    public FineTuneOptions Options { get; } = options;

    /// <inheritdoc />
    public UnlearningOutcome Run(UnlearningContext context, CancellationToken cancellationToken)
    {
        System.ArgumentNullException.ThrowIfNull(context);
        var clock = Stopwatch.StartNew();
        ClassifierModel model = context.CopyOriginal();
        try
        {
            var recipe = new TrainingConfig
            {
                Epochs = Options.Epochs,
                BatchSize = Options.BatchSize,
                LearningRate = Options.LearningRate,
                Momentum = 0.9,
                WeightDecay = Options.WeightDecay,
                Schedule = ScheduleKind.Constant,
                Augment = context.Recipe.Augment,
                Seed = context.Seed,
                Workers = context.Workers,
            };
            using DataLoader retain = context.RetainLoader(Options.BatchSize, augment: recipe.Augment);
            TrainingResult result = new Trainer(context.LoggerFactory.CreateLogger<Trainer>())
                .Fit(model, retain, null, recipe, new TrainingOptions { Progress = context.TrainingProgressFor(Name), Precision = context.Precision }, cancellationToken);
            return new UnlearningOutcome(model, clock.Elapsed.TotalSeconds, new Dictionary<string, double>
            {
                ["epochs"] = result.Epochs.Count,
                ["final_train_loss"] = result.Epochs[^1].TrainLoss,
            });
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }
}
