using System;
using System.Threading;
using TorchSharp;
using static TorchSharp.torch;
using DeepUnlearn.Training.Trajectory;
using DeepUnlearn.Unlearning.Methods.DeltaGrad.Models;

namespace DeepUnlearn.Unlearning.Methods.DeltaGrad;

/// <summary>
/// Runs DeltaGrad and exact retraining (the same batches in the same order from the same w_0, with the
/// change applied per batch) on one change and measures both: the evidence that DeltaGrad lands where
/// retraining does, faster.
/// </summary>
public static class DeltaGradComparison
{
    /// <summary>
    /// Compares DeltaGrad with exact retraining for <paramref name="change"/> on the run recorded in
    /// <paramref name="trajectory"/>. <paramref name="model"/> is used to compute gradients (its parameters
    /// are overwritten). Test accuracies are reported when <paramref name="test"/> is given.
    /// </summary>
    public static DeltaGradResult Run(
        FlatModel model,
        SampleTable train,
        TrainingTrajectory trajectory,
        DatasetChange change,
        DeltaGradOptions? options = null,
        SampleTable? test = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(trajectory);
        ArgumentNullException.ThrowIfNull(change);
        var unlearner = new DeltaGradUnlearner(options);
        using var scope = torch.NewDisposeScope();

        DeltaGradOutcome outcome = unlearner.Run(model, train, trajectory, change, null, cancellationToken);
        Tensor unlearned = outcome.Parameters.clone().MoveToOuterDisposeScope();
        outcome.Dispose();

        var clock = System.Diagnostics.Stopwatch.StartNew();
        BatchSchedule retrainSchedule = change.Apply(trajectory.Schedule());
        model.SetParameters(trajectory.ReadParameters(0, model.Device, model.ScalarType));
        PlainTrainer.Train(model, train, retrainSchedule, trajectory.LearningRates(), trajectory.Metadata.WeightDecay, null, cancellationToken);
        TimeSpan retrainTime = clock.Elapsed;
        Tensor retrained = model.GetParameters().MoveToOuterDisposeScope();
        Tensor original = trajectory.FinalParameters(model.Device, model.ScalarType).MoveToOuterDisposeScope();

        double distance = unlearned.sub(retrained).norm().ToDouble();
        double originalDistance = original.sub(retrained).norm().ToDouble();
        double? accuracyOriginal = null;
        double? accuracyDeltaGrad = null;
        double? accuracyRetrain = null;
        if (test is not null)
        {
            accuracyOriginal = Accuracy(model, original, test);
            accuracyDeltaGrad = Accuracy(model, unlearned, test);
            accuracyRetrain = Accuracy(model, retrained, test);
        }
        var metrics = new DeltaGradMetrics
        {
            Change = change.Kind == DatasetChangeKind.Deletion ? "deletion" : "addition",
            ChangedSamples = change.Ids.Count,
            TrainingSamples = TrainingSetSize(trajectory),
            Steps = trajectory.StepCount,
            ExactSteps = outcome.ExactSteps,
            ApproximateSteps = outcome.ApproximateSteps,
            Period = unlearner.Options.Period,
            BurnIn = unlearner.Options.BurnIn,
            History = unlearner.Options.History,
            DeltaGradSeconds = outcome.Elapsed.TotalSeconds,
            RetrainSeconds = retrainTime.TotalSeconds,
            Speedup = retrainTime.TotalSeconds / Math.Max(outcome.Elapsed.TotalSeconds, 1e-9),
            DistanceToRetrain = distance,
            OriginalDistanceToRetrain = originalDistance,
            RelativeDistance = distance / Math.Max(originalDistance, double.Epsilon),
            TestAccuracyOriginal = accuracyOriginal,
            TestAccuracyDeltaGrad = accuracyDeltaGrad,
            TestAccuracyRetrain = accuracyRetrain,
        };
        model.SetParameters(unlearned);
        return new DeltaGradResult(unlearned, retrained, original, metrics);
    }

    /// <summary>Top-1 accuracy (%) of <paramref name="model"/> with <paramref name="parameters"/> on <paramref name="data"/>.</summary>
    internal static double Accuracy(FlatModel model, Tensor parameters, SampleTable data)
    {
        using var scope = torch.NewDisposeScope();
        model.SetParameters(parameters);
        const long Chunk = 8192;
        long correct = 0;
        for (long start = 0; start < data.Count; start += Chunk)
        {
            using var inner = torch.NewDisposeScope();
            long length = Math.Min(Chunk, data.Count - start);
            Tensor predicted = model.Predict(data.Features.narrow(0, start, length));
            correct += predicted.eq(data.Labels.narrow(0, start, length).to(predicted.device)).sum().ToInt64();
        }
        return 100.0 * correct / data.Count;
    }

    private static long TrainingSetSize(TrainingTrajectory trajectory)
    {
        long count = 0;
        for (long id = 0; id < trajectory.Metadata.DatasetSize; id++)
        {
            if (trajectory.IsInTrainingSet(id))
            {
                count++;
            }
        }
        return count;
    }
}
