using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Threading;
using TorchSharp;
using static TorchSharp.torch;
using DeepUnlearn.Training.Trajectory;
using DeepUnlearn.Unlearning.Methods.DeltaGrad.Models;

namespace DeepUnlearn.Unlearning.Methods.DeltaGrad;

/// <summary>
/// DeltaGrad's online setting (Wu, Dobriban and Davidson, ICML 2020: online deletion/addition; the authors'
/// continuous-deletion and continuous-addition runs, one sample per request): requests arrive one after another, and
/// each is applied to the model left by the previous one. Request k replays the path that request k − 1
/// recorded (its batches, w^I_t and the exact or L-BFGS-estimated gradients, as the authors' code overwrites
/// its cache), so approximation errors carry over from request to request. After every request the model
/// is compared with exact retraining from w_0 on the original batches with requests 1..k applied in order
/// (<see cref="DatasetChange.Apply"/> chained), which is what a retrain-per-request baseline runs.
/// </summary>
public static class DeltaGradStream
{
    /// <summary>
    /// Applies <paramref name="requests"/> in order to the run recorded in <paramref name="trajectory"/> (not
    /// modified) and measures DeltaGrad against exact retraining after each. <paramref name="model"/> serves
    /// as the gradient oracle (its parameters are overwritten).
    /// </summary>
    /// <exception cref="ArgumentException">A request does not fit the training set left by the ones before it
    /// (a deleted id not in it, an added id already in it); checked for all requests before any work.</exception>
    public static DeltaGradStreamResult Run(
        FlatModel model,
        SampleTable train,
        TrainingTrajectory trajectory,
        IReadOnlyList<DatasetChange> requests,
        DeltaGradOptions? options = null,
        SampleTable? test = null,
        IProgress<DeltaGradStreamStep>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(trajectory);
        ArgumentNullException.ThrowIfNull(requests);
        if (requests.Count == 0)
        {
            throw new ArgumentException("a stream needs at least one request", nameof(requests));
        }
        if (trajectory.StepCount == 0)
        {
            throw new ArgumentException("the trajectory has no steps to replay", nameof(trajectory));
        }
        trajectory.EnsureMatches(model.Identity, model.ParameterCount, train.Identity, train.Count);
        CheckSequence(trajectory, requests);
        var unlearner = new DeltaGradUnlearner(options);
        double lambda = trajectory.Metadata.WeightDecay;
        LearningRateSchedule rates = trajectory.LearningRates();
        BatchSchedule retraining = trajectory.Schedule();

        using var scope = torch.NewDisposeScope();
        Tensor w0 = trajectory.ReadParameters(0, model.Device, model.ScalarType);
        Tensor original = trajectory.FinalParameters(model.Device, model.ScalarType);
        Tensor? unlearned = null;
        Tensor? retrained = null;
        var steps = new List<DeltaGradStreamStep>();
        TrainingTrajectory current = trajectory;
        double deltaGradTotal = 0;
        double retrainTotal = 0;
        int changedTotal = 0;
        try
        {
            for (int k = 0; k < requests.Count; k++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                DatasetChange request = requests[k];
                if (request.Kind == DatasetChangeKind.Addition && current.StepCount != retraining.StepCount)
                {
                    // An earlier deletion emptied a batch; the replayed path lost that step, so the per-epoch
                    // placement of added samples would no longer line up with retraining's.
                    throw new InvalidOperationException(
                        $"request {k + 1} adds samples after a deletion emptied a batch ({retraining.StepCount - current.StepCount} steps dropped); such a stream cannot be replayed step by step");
                }

                var clock = Stopwatch.StartNew();
                TrainingTrajectory updated = TrainingTrajectory.InMemory(trajectory.Metadata, model.Device);
                DeltaGradOutcome outcome;
                try
                {
                    outcome = unlearner.Run(model, train, current, request, updated, cancellationToken);
                }
                catch
                {
                    updated.Dispose();
                    throw;
                }
                double deltaGradSeconds = clock.Elapsed.TotalSeconds;
                if (!ReferenceEquals(current, trajectory))
                {
                    current.Dispose();
                }
                current = updated;
                unlearned?.Dispose();
                unlearned = outcome.Parameters.clone();
                outcome.Dispose();

                clock.Restart();
                retraining = request.Apply(retraining);
                model.SetParameters(w0);
                PlainTrainer.Train(model, train, retraining, rates, lambda, null, cancellationToken);
                double retrainSeconds = clock.Elapsed.TotalSeconds;
                retrained?.Dispose();
                retrained = model.GetParameters();

                deltaGradTotal += deltaGradSeconds;
                retrainTotal += retrainSeconds;
                changedTotal += request.Ids.Count;
                var (distance, originalDistance, accuracyDeltaGrad, accuracyRetrain) = Measure(model, unlearned, retrained, original, test);
                var step = new DeltaGradStreamStep
                {
                    Request = k + 1,
                    Change = request.Kind == DatasetChangeKind.Deletion ? "deletion" : "addition",
                    ChangedSamples = request.Ids.Count,
                    CumulativeChangedSamples = changedTotal,
                    ExactSteps = outcome.ExactSteps,
                    ApproximateSteps = outcome.ApproximateSteps,
                    DeltaGradSeconds = deltaGradSeconds,
                    CumulativeDeltaGradSeconds = deltaGradTotal,
                    RetrainSeconds = retrainSeconds,
                    CumulativeRetrainSeconds = retrainTotal,
                    CumulativeSpeedup = retrainTotal / Math.Max(deltaGradTotal, 1e-9),
                    DistanceToRetrain = distance,
                    OriginalDistanceToRetrain = originalDistance,
                    RelativeDistance = distance / Math.Max(originalDistance, double.Epsilon),
                    TestAccuracyDeltaGrad = accuracyDeltaGrad,
                    TestAccuracyRetrain = accuracyRetrain,
                };
                steps.Add(step);
                progress?.Report(step);
            }
        }
        finally
        {
            if (!ReferenceEquals(current, trajectory))
            {
                current.Dispose();
            }
        }
        model.SetParameters(unlearned!);
        return new DeltaGradStreamResult(steps, unlearned!, retrained!);
    }

    private static (double Distance, double OriginalDistance, double? AccuracyDeltaGrad, double? AccuracyRetrain) Measure(
        FlatModel model, Tensor unlearned, Tensor retrained, Tensor original, SampleTable? test)
    {
        using var scope = torch.NewDisposeScope();
        double distance = unlearned.sub(retrained).norm().ToDouble();
        double originalDistance = original.sub(retrained).norm().ToDouble();
        return (
            distance,
            originalDistance,
            test is null ? null : DeltaGradComparison.Accuracy(model, unlearned, test),
            test is null ? null : DeltaGradComparison.Accuracy(model, retrained, test));
    }

    /// <summary>Checks every request against the training set the requests before it leave.</summary>
    private static void CheckSequence(TrainingTrajectory trajectory, IReadOnlyList<DatasetChange> requests)
    {
        var added = new HashSet<long>();
        var deleted = new HashSet<long>();
        for (int k = 0; k < requests.Count; k++)
        {
            DatasetChange request = requests[k] ?? throw new ArgumentException($"request {k + 1} is null", nameof(requests));
            foreach (long id in request.Ids)
            {
                if (id < 0 || id >= trajectory.Metadata.DatasetSize)
                {
                    throw new ArgumentException($"request {k + 1}: sample id {id} is not in dataset '{trajectory.Metadata.DatasetIdentity}' (ids run over [0, {trajectory.Metadata.DatasetSize}))", nameof(requests));
                }
                bool trained = (trajectory.IsInTrainingSet(id) || added.Contains(id)) && !deleted.Contains(id);
                if (request.Kind == DatasetChangeKind.Deletion && !trained)
                {
                    throw new ArgumentException($"request {k + 1} cannot delete sample id {id}: it is not in the training set at that point of the stream", nameof(requests));
                }
                if (request.Kind == DatasetChangeKind.Addition && trained)
                {
                    throw new ArgumentException($"request {k + 1} cannot add sample id {id}: it is already in the training set at that point of the stream", nameof(requests));
                }
            }
            foreach (long id in request.Ids)
            {
                if (request.Kind == DatasetChangeKind.Deletion)
                {
                    deleted.Add(id);
                    added.Remove(id);
                }
                else
                {
                    added.Add(id);
                    deleted.Remove(id);
                }
            }
        }
    }
}
