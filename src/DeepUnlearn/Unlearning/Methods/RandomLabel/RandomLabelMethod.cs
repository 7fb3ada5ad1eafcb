using System;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Threading;
using DeepUnlearn.Data;
using DeepUnlearn.Engine;
using DeepUnlearn.Models;
using TorchSharp;
using DataLoader = DeepUnlearn.Data.DataLoader;
using static TorchSharp.torch;
using Microsoft.Extensions.Logging;

namespace DeepUnlearn.Unlearning.Methods.RandomLabel;

/// <summary>
/// Random labelling (RL; the RL baseline of SalUn / Unlearn-Sparse, OPTML-Group/Unlearn-Saliency
/// <c>unlearn/RL.py</c>): fine-tune a copy of θ_o with cross-entropy on the forget set relabelled with random classes
/// (<see cref="RandomLabels"/>, uniform over all K and redrawn every epoch, as RL.py) and on the retain set under its
/// true labels, in training mode with the recipe's augmentation, one SGD step per batch. RL.py has two loops, chosen
/// by dataset (<see cref="RandomLabelLoop"/>): for CIFAR-10 every epoch runs all forget batches and then all retain
/// batches; for CIFAR-100 and Tiny-ImageNet D_f and D_r are concatenated and shuffled together.
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
            using var optimizer = new SgdOptimizer([.. model.TrainableParameters()], Options.LearningRate, Options.Momentum, weightDecay: Options.WeightDecay);
            string hint = string.Create(CultureInfo.InvariantCulture, $"lower {Name}.learning_rate (now {Options.LearningRate})");
            RandomLabelRun run = Train(context, model, optimizer, Name, Options.Training, hint, afterBackward: null, cancellationToken);
            return new UnlearningOutcome(model, clock.Elapsed.TotalSeconds, run.Diagnostics(Options.Epochs));
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    /// <summary>
    /// The RL loop shared with SalUn: <see cref="RandomLabelTraining.Epochs"/> epochs in training mode, each either
    /// all forget batches then all retain batches or one shuffled pass over forget ∪ retain
    /// (<see cref="RandomLabelTraining.Resolve"/>), forget samples relabelled by <see cref="RandomLabels"/>;
    /// cross-entropy, backward, <paramref name="afterBackward"/> (SalUn masks the gradients there), optimizer step.
    /// <paramref name="observe"/> sees every batch's sample ids and the labels trained on (for tests).
    /// </summary>
    internal static RandomLabelRun Train(UnlearningContext context, ClassifierModel model, optim.Optimizer optimizer, string method, RandomLabelTraining training, string hint, Action? afterBackward, CancellationToken cancellationToken, Action<long[], long[]>? observe = null)
    {
        IVisionDataset train = context.Data.Train;
        int numClasses = context.NumClasses;
        var isForget = new bool[train.Count];
        foreach (int id in context.ForgetIds)
        {
            isForget[id] = true;
        }
        ILogger logger = context.Logger(method);
        RandomLabelLoop loop = RandomLabelTraining.Resolve(training.Loop, numClasses);
        bool augment = context.Recipe.Augment;
        // RL.py's CIFAR-10 branch: a shuffled forget loader, then a shuffled retain loader; its CIFAR-100 branch: one
        // shuffled loader over their concatenation.
        DataLoader[] loaders = loop == RandomLabelLoop.Mixed
            ? [context.Loader(context.ForgetIds.Concat(context.RetainIds), training.BatchSize, shuffle: true, augment: augment)]
            : [context.ForgetLoader(training.BatchSize, shuffle: true, augment: augment), context.RetainLoader(training.BatchSize, shuffle: true, augment: augment, seedOffset: 1)];
        try
        {
            MixedPrecision amp = context.Precision.Start();
            int steps = loaders.Sum(l => l.BatchCount) * training.Epochs;
            int step = 0;
            double epochLoss = double.NaN;
            var labels = new long[training.BatchSize];
            for (int epoch = 0; epoch < training.Epochs; epoch++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                model.train();
                double sum = 0;
                long seen = 0;
                foreach (DataLoader loader in loaders)
                {
                    foreach (Batch batch in loader.Epoch(epoch, cancellationToken))
                    {
                        using var scope = torch.NewDisposeScope();
                        for (int i = 0; i < batch.Count; i++)
                        {
                            int id = (int)batch.Ids[i];
                            int label = train.Label(id);
                            labels[i] = isForget[id] ? RandomLabels.Draw(context.Seed, epoch, id, label, numClasses, training.ExcludeTrueLabel) : label;
                        }
                        observe?.Invoke(batch.Ids.ToArray(), labels.AsSpan(0, batch.Count).ToArray());
                        Tensor targets = torch.tensor(labels.AsSpan(0, batch.Count).ToArray(), device: batch.Labels.device);
                        Tensor loss = torch.nn.functional.cross_entropy(amp.Forward(model, batch.Images), targets);
                        double value = loss.ToDouble();
                        DivergenceGuard.CheckLoss(method, "training loss", value, epoch, step, hint);
                        optimizer.zero_grad();
                        amp.Backward(loss);
                        amp.Step(optimizer, afterBackward);
                        sum += value * batch.Count;
                        seen += batch.Count;
                        step++;
                        context.Report(method, $"epoch {epoch + 1}/{training.Epochs}", step, steps, value, seen);
                    }
                }
                epochLoss = sum / Math.Max(seen, 1);
                LogEpoch(logger, method, epoch + 1, training.Epochs, epochLoss);
            }
            DivergenceGuard.CheckWeights(method, model, hint);
            return new RandomLabelRun(step, epochLoss, loop);
        }
        finally
        {
            foreach (DataLoader loader in loaders)
            {
                loader.Dispose();
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Method} epoch {Epoch}/{Epochs}: mean loss {Loss:F4} over forget (random labels) and retain batches")]
    private static partial void LogEpoch(ILogger logger, string method, int epoch, int epochs, double loss);
}
