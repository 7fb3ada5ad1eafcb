using System;
using System.Diagnostics;
using System.Threading;
using TorchSharp;
using static TorchSharp.torch;
using DeepUnlearn.Training.Trajectory;
using DeepUnlearn.Unlearning.Methods.DeltaGrad.Models;

namespace DeepUnlearn.Unlearning.Methods.DeltaGrad;

/// <summary>
/// The plain optimiser DeltaGrad replays: for each step t of a recorded batch order,
/// w_{t+1} = w_t − η_t (g_t + λ w_t) with g_t = ∇F_{B_t}(w_t) the mean gradient of the data loss over the
/// batch B_t (full-batch gradient descent when every B_t is the whole training set, mini-batch SGD
/// otherwise). No momentum: DeltaGrad's analysis and replay assume this rule. Optionally records the
/// trajectory. Exact retraining is the same run from the same w_0 on the changed batches
/// (<see cref="DatasetChange.Apply"/>); steps whose batch is empty are skipped.
/// </summary>
public static class PlainTrainer
{
    /// <summary>
    /// Trains <paramref name="model"/> in place, starting from its current parameters (w_0). When
    /// <paramref name="trajectory"/> is given (empty, recorded for this model and dataset with weight decay
    /// <paramref name="weightDecay"/>), every step's batch ids, η_t, w_t and g_t are appended to it.
    /// </summary>
    public static TrainingRun Train(
        FlatModel model,
        SampleTable data,
        BatchSchedule schedule,
        LearningRateSchedule learningRates,
        double weightDecay,
        TrainingTrajectory? trajectory = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(schedule);
        ArgumentNullException.ThrowIfNull(learningRates);
        if (!double.IsFinite(weightDecay) || weightDecay < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(weightDecay), weightDecay, "weight decay must be finite and ≥ 0");
        }
        if (data.FeatureCount != model.InputFeatures)
        {
            throw new ArgumentException($"{model.Identity} takes {model.InputFeatures} features; dataset '{data.Identity}' has {data.FeatureCount}", nameof(data));
        }
        if (trajectory is not null)
        {
            CheckRecorder(trajectory, model, data, schedule, weightDecay);
        }

        var clock = Stopwatch.StartNew();
        int steps = 0;
        int skipped = 0;
        using var gatherer = new BatchGatherer(data);
        for (int t = 0; t < schedule.StepCount; t++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            long[] ids = schedule.BatchArray(t);
            if (ids.Length == 0)
            {
                skipped++;
                continue;
            }
            double rate = learningRates.At(t);
            using var scope = torch.NewDisposeScope();
            var (inputs, labels) = gatherer.Get(ids);
            Tensor gradient = model.Gradient(inputs, labels);
            trajectory?.Append(ids, rate, model.Parameters, gradient);
            using (torch.no_grad())
            {
                SgdUpdate.Apply(model.Parameters, gradient, rate, weightDecay);
            }
            steps++;
        }
        return new TrainingRun(steps, skipped, clock.Elapsed);
    }

    private static void CheckRecorder(TrainingTrajectory trajectory, FlatModel model, SampleTable data, BatchSchedule schedule, double weightDecay)
    {
        if (trajectory.StepCount != 0)
        {
            throw new ArgumentException($"trajectory {trajectory.Location} already holds {trajectory.StepCount} steps; record into an empty one", nameof(trajectory));
        }
        trajectory.EnsureMatches(model.Identity, model.ParameterCount, data.Identity, data.Count);
        TrajectoryMetadata meta = trajectory.Metadata;
        if (meta.WeightDecay != weightDecay)
        {
            throw new ArgumentException($"the trajectory records weight decay {meta.WeightDecay} but training uses {weightDecay}", nameof(trajectory));
        }
        if (meta.StepsPerEpoch != schedule.StepsPerEpoch)
        {
            throw new ArgumentException($"the trajectory records {meta.StepsPerEpoch} steps per epoch but the schedule has {schedule.StepsPerEpoch}", nameof(trajectory));
        }
    }
}
