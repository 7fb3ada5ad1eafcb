using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Threading;
using DeepUnlearn.Data;
using DeepUnlearn.Models;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using Microsoft.Extensions.Logging;

namespace DeepUnlearn.Unlearning.Methods.RandomLabel;

/// <summary>
/// Random labelling (RL; the RL baseline of SalUn / Unlearn-Sparse, OPTML-Group/Unlearn-Saliency
/// <c>unlearn/RL.py</c>): fine-tune a copy of θ_o with cross-entropy on the forget set relabelled with random
/// wrong classes (<see cref="RandomLabels"/>, redrawn every epoch) together with the retain set under its
/// true labels. As RL.py does for CIFAR-100 and Tiny-ImageNet, the two are concatenated into one training
/// set and shuffled together, so every batch mixes relabelled forget samples with retain samples. (RL.py's
/// CIFAR-10 branch instead runs all forget batches, then all retain batches, each epoch.)
/// </summary>
public sealed partial class RandomLabelMethod(RandomLabelOptions options) : IUnlearningMethod
{
    /// <inheritdoc />
    public string Name => "random-label";

    /// <summary>The options in force.</summary>
    public RandomLabelOptions Options { get; } = options;

    /// <inheritdoc />
    public UnlearningOutcome Run(UnlearningContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var clock = Stopwatch.StartNew();
        ClassifierModel model = context.CopyOriginal();
        try
        {
            using var optimizer = new Sgd(model.TrainableParameters(), Options.LearningRate, Options.Momentum, weightDecay: Options.WeightDecay);
            string hint = string.Create(CultureInfo.InvariantCulture, $"lower {Name}.learning_rate (now {Options.LearningRate})");
            (int steps, double loss) = Train(context, model, optimizer, Name, Options.Epochs, Options.BatchSize, hint, afterBackward: null, cancellationToken);
            return new UnlearningOutcome(model, clock.Elapsed.TotalSeconds, new Dictionary<string, double>
            {
                ["epochs"] = Options.Epochs,
                ["steps"] = steps,
                ["final_train_loss"] = loss,
            });
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    /// <summary>
    /// The RL loop shared with SalUn: <paramref name="epochs"/> shuffled passes over forget ∪ retain in training
    /// mode, forget samples relabelled by <see cref="RandomLabels"/>, cross-entropy, backward,
    /// <paramref name="afterBackward"/> (SalUn masks the gradients there), optimizer step. Returns the steps
    /// taken and the mean loss of the last epoch.
    /// </summary>
    internal static (int Steps, double FinalLoss) Train(UnlearningContext context, ClassifierModel model, optim.Optimizer optimizer, string method, int epochs, int batchSize, string hint, Action? afterBackward, CancellationToken cancellationToken)
    {
        IVisionDataset train = context.Data.Train;
        int numClasses = context.NumClasses;
        var isForget = new bool[train.Count];
        foreach (int id in context.ForgetIds)
        {
            isForget[id] = true;
        }
        ILogger logger = context.Logger(method);
        using DataLoader loader = context.Loader(context.ForgetIds.Concat(context.RetainIds), batchSize, shuffle: true, augment: context.Recipe.Augment);
        int steps = loader.BatchCount * epochs;
        int step = 0;
        double epochLoss = double.NaN;
        var labels = new long[batchSize];
        for (int epoch = 0; epoch < epochs; epoch++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            model.Train();
            double sum = 0;
            long seen = 0;
            foreach (Batch batch in loader.Epoch(epoch, cancellationToken))
            {
                using var scope = torch.NewDisposeScope();
                for (int i = 0; i < batch.Count; i++)
                {
                    int id = (int)batch.Ids[i];
                    int label = train.Label(id);
                    labels[i] = isForget[id] ? RandomLabels.Draw(context.Seed, epoch, id, label, numClasses) : label;
                }
                Tensor targets = Tensor.From<long>(labels.AsSpan(0, batch.Count), [batch.Count], batch.Labels.Device);
                Tensor loss = torch.nn.functional.cross_entropy(model.call(batch.Images), targets);
                double value = loss.ToDouble();
                DivergenceGuard.CheckLoss(method, "training loss", value, epoch, step, hint);
                optimizer.zero_grad();
                loss.backward();
                afterBackward?.Invoke();
                optimizer.step();
                sum += value * batch.Count;
                seen += batch.Count;
                step++;
                context.Report(method, $"epoch {epoch + 1}/{epochs}", step, steps, value);
            }
            epochLoss = sum / Math.Max(seen, 1);
            LogEpoch(logger, method, epoch + 1, epochs, epochLoss);
        }
        DivergenceGuard.CheckWeights(method, model, hint);
        return (step, epochLoss);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Method} epoch {Epoch}/{Epochs}: mean loss {Loss:F4} (forget samples under random labels)")]
    private static partial void LogEpoch(ILogger logger, string method, int epoch, int epochs, double loss);
}
