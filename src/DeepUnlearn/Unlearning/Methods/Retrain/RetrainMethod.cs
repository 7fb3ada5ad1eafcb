using System.Diagnostics;
using System.Threading;
using DeepUnlearn.Data;
using DeepUnlearn.Engine;
using DeepUnlearn.Models;
using DeepUnlearn.Training;
using Microsoft.Extensions.Logging;

namespace DeepUnlearn.Unlearning.Methods.Retrain;

/// <summary>
/// Retraining from scratch on the retain set D_r with the original recipe: the exact answer every other
/// method approximates, and the reference of the Avg. Gap. A fresh initialisation (seeded by the run's
/// seed) of the same architecture, trained by the same <see cref="Trainer"/>.
/// </summary>
public sealed class RetrainMethod(RetrainOptions options) : IUnlearningMethod
{
    /// <inheritdoc />
    public string Name => "retrain";

    /// <summary>The options in force.</summary>
    public RetrainOptions Options { get; } = options;

    /// <inheritdoc />
    public UnlearningOutcome Run(UnlearningContext context, CancellationToken cancellationToken)
    {
        System.ArgumentNullException.ThrowIfNull(context);
        var clock = Stopwatch.StartNew();
        // The zoo's own initialisation for zoo models; a user's network (ClassifierModel.FromModule) is re-drawn seeded.
        ClassifierModel model = context.Original.CreateFreshlyInitialized(context.Seed);
        try
        {
            ModelPlacement.MoveTo(model, context.Device);
            TrainingConfig recipe = context.Recipe with
            {
                Epochs = Options.Epochs ?? context.Recipe.Epochs,
                LearningRate = Options.LearningRate ?? context.Recipe.LearningRate,
                Seed = context.Seed,
                Workers = context.Workers,
            };
            using DataLoader retain = context.RetainLoader(recipe.BatchSize, augment: recipe.Augment);
            var trainer = new Trainer(context.LoggerFactory.CreateLogger<Trainer>());
            TrainingResult result = trainer.Fit(model, retain, null, recipe, new TrainingOptions { Progress = context.TrainingProgressFor(Name), Precision = context.Precision }, cancellationToken);
            return new UnlearningOutcome(model, clock.Elapsed.TotalSeconds, new System.Collections.Generic.Dictionary<string, double>
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
