using System;
using System.Collections.Generic;
using System.Threading;
using DeepUnlearn.Data;
using DeepUnlearn.Engine;
using DeepUnlearn.Models;
using DeepUnlearn.Unlearning;
using TorchSharp;
using static TorchSharp.torch;
using DataLoader = DeepUnlearn.Data.DataLoader;

namespace DeepUnlearn.Evaluation;

/// <summary>
/// Relearn time: fine-tune a copy of a model on a few forget samples (full-batch SGD) and count the steps until its
/// accuracy on other, held-out forget samples recovers to a threshold. Knowledge that was only suppressed comes back in
/// a few steps; a model that never learned the forget set (the retrained one) needs as many as learning it afresh
/// takes. The threshold and the samples are the same for every model, so the numbers compare under one budget.
/// The model itself is never changed.
/// </summary>
public static class RelearnTime
{
    /// <summary>
    /// The relearn ids and the held-out evaluation ids, drawn from <paramref name="forgetIds"/> with a seeded
    /// permutation (disjoint; when the forget set is too small to hold out any, the relearn ids are evaluated on).
    /// </summary>
    public static (int[] Relearn, int[] Evaluate) Subsets(int[] forgetIds, RelearnOptions options, ulong seed)
    {
        ArgumentNullException.ThrowIfNull(forgetIds);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (forgetIds.Length == 0)
        {
            throw new ArgumentException("relearn time needs a non-empty forget set", nameof(forgetIds));
        }
        int[] order = [.. forgetIds];
        new Random(unchecked((int)(seed ^ (seed >> 32)) ^ 0x2E1E)).Shuffle(order);
        int samples = options.SamplesFor(forgetIds.Length);
        int[] relearn = order[..samples];
        int[] rest = order[samples..];
        return (relearn, rest.Length > 0 ? rest[..Math.Min(rest.Length, options.EvalSamples)] : relearn);
    }

    /// <summary>The accuracy (percent) of <paramref name="model"/> on the evaluation subset of the request's forget set.</summary>
    public static double ForgetAccuracy(ClassifierModel model, UnlearningContext context, RelearnOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(context);
        var (_, evaluate) = Subsets(context.ForgetIds, options, context.Seed);
        using var scope = torch.NewDisposeScope();
        var (x, y) = Load(context, evaluate, cancellationToken);
        return Accuracy(model, x, y);
    }

    /// <summary>
    /// Fine-tunes a copy of <paramref name="model"/> on the relearn subset until the forget accuracy on the evaluation
    /// subset reaches <paramref name="thresholdPercent"/>, or the budget runs out. Accuracy is measured before each
    /// step, so a model already at the threshold relearns in 0 steps.
    /// </summary>
    public static RelearnResult Measure(ClassifierModel model, UnlearningContext context, RelearnOptions options, double thresholdPercent, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(options);
        var (relearn, evaluate) = Subsets(context.ForgetIds, options, context.Seed);
        using var outer = torch.NewDisposeScope();
        var (trainX, trainY) = Load(context, relearn, cancellationToken);
        var (evalX, evalY) = Load(context, evaluate, cancellationToken);
        using ClassifierModel copy = model.DeepCopy();
        ModelPlacement.MoveTo(copy, context.Device);
        // After the move: TorchSharp's to() replaces Parameter objects, so the optimizer takes them now.
        using var optimizer = torch.optim.SGD(copy.parameters(), options.LearningRate, momentum: 0.9);
        double accuracy = Accuracy(copy, evalX, evalY);
        int step = 0;
        while (accuracy < thresholdPercent && step < options.MaxSteps)
        {
            cancellationToken.ThrowIfCancellationRequested();
            using (var scope = torch.NewDisposeScope())
            {
                copy.train();
                optimizer.zero_grad();
                Tensor loss = torch.nn.functional.cross_entropy(copy.call(trainX), trainY);
                loss.backward();
                optimizer.step();
            }
            step++;
            accuracy = Accuracy(copy, evalX, evalY);
        }
        bool recovered = accuracy >= thresholdPercent;
        return new RelearnResult(recovered ? step : null, (long)step * relearn.Length, thresholdPercent, accuracy, relearn.Length, options.MaxSteps);
    }

    /// <summary>Images and labels of <paramref name="ids"/> (training split, no augmentation) on the context's device, in the current dispose scope.</summary>
    private static (Tensor Images, Tensor Labels) Load(UnlearningContext context, int[] ids, CancellationToken cancellationToken)
    {
        var images = new List<Tensor>();
        var labels = new List<Tensor>();
        using (DataLoader loader = context.Loader(ids, batchSize: 256, shuffle: false, augment: false))
        {
            foreach (Batch batch in loader.Epoch(0, cancellationToken))
            {
                images.Add(batch.Images.clone());
                labels.Add(batch.Labels.clone());
            }
        }
        return (torch.cat(images, 0), torch.cat(labels, 0));
    }

    private static double Accuracy(ClassifierModel model, Tensor images, Tensor labels)
    {
        bool wasTraining = model.training;
        model.eval();
        try
        {
            using var noGrad = torch.no_grad();
            using var scope = torch.NewDisposeScope();
            long correct = 0;
            for (long start = 0; start < images.shape[0]; start += 256)
            {
                long n = Math.Min(256, images.shape[0] - start);
                Tensor predicted = model.call(images.narrow(0, start, n)).argmax(1);
                correct += predicted.eq(labels.narrow(0, start, n)).sum().ToInt64();
            }
            return 100.0 * correct / images.shape[0];
        }
        finally
        {
            model.train(wasTraining);
        }
    }
}
