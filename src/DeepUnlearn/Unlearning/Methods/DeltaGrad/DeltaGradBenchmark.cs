using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using DeepUnlearn.Training.Trajectory;
using DeepUnlearn.Unlearning.Methods.DeltaGrad.Models;

namespace DeepUnlearn.Unlearning.Methods.DeltaGrad;

/// <summary>
/// The DeltaGrad benchmark (for <c>deepunlearn bench deltagrad</c>): train the original model once with a
/// recorded trajectory, then for each rate (0.01 %, 0.1 % and 1 % by default, as in the paper's
/// deletion-rate and addition-rate sweeps) delete a seeded random sample of the training set, and add a
/// seeded sample of the held-out one, comparing DeltaGrad with exact retraining each time: speed-up,
/// ‖w_DG − w_RT‖, its ratio to ‖w_orig − w_RT‖, and both models' test accuracy. Optionally an online stream of
/// k requests per change kind (<see cref="DeltaGradStream"/>). When additions are measured, the samples that
/// may be added (the largest rate's share, and the stream's) are held out of the original training, so
/// deletions and additions share one original model.
/// </summary>
public static class DeltaGradBenchmark
{
    /// <summary>
    /// The authors' published settings for logistic regression on MNIST (github.com/thuwuyinjun/DeltaGrad,
    /// README, and the runs behind the paper's rate sweeps in scripts_general/), for reports to state next to ours.
    /// </summary>
    public const string AuthorsSettings =
        "authors' MNIST logistic regression: README batch 16384, 20 epochs, η 0.1 (10 epochs) then 0.05 (10 epochs), λ 1e-4, " +
        "T0 5, j0 20, m 2; rate sweeps batch 16384, 32 epochs, η 0.1, λ 5e-3, T0 ∈ {2, 5, 10}, j0 ∈ {10, 20, 30}, m 2; " +
        "online runs 100 requests of 1 sample, T0 5, j0 10";

    /// <summary>
    /// Runs the benchmark on <paramref name="data"/> (and <paramref name="test"/> for accuracies).
    /// <paramref name="progress"/> receives each finished row, <paramref name="streamProgress"/> each stream request.
    /// </summary>
    public static DeltaGradBenchmarkReport Run(
        SampleTable data,
        SampleTable? test,
        DeltaGradRecipe recipe,
        DeltaGradOptions? options = null,
        DeltaGradBenchmarkPlan? plan = null,
        IProgress<DeltaGradBenchmarkRow>? progress = null,
        IProgress<DeltaGradStreamStep>? streamProgress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(recipe);
        recipe.Validate();
        plan ??= new DeltaGradBenchmarkPlan();
        plan.Validate();
        options ??= new DeltaGradOptions();
        options.Validate();

        long[] all = Enumerable.Range(0, checked((int)data.Count)).Select(i => (long)i).ToArray();
        long[] heldOut = [];
        if (plan.HasAdditions)
        {
            int pool = Math.Max(Count(plan.Rates.Max(), all.Length), plan.StreamRequests * plan.StreamRequestSize);
            if (pool >= all.Length)
            {
                throw new ArgumentOutOfRangeException(nameof(plan), pool, $"additions need {pool} of the {all.Length} samples held out of training; lower the rates or the stream");
            }
            heldOut = DatasetChange.DeleteRandomCount(all, pool, recipe.Seed + 500UL).Ids.ToArray();
        }
        var held = new HashSet<long>(heldOut);
        long[] trainIds = all.Where(id => !held.Contains(id)).ToArray();
        int streamSamples = plan.StreamRequests * plan.StreamRequestSize;
        if (streamSamples >= trainIds.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(plan), streamSamples, $"a stream of {streamSamples} deletions needs fewer than the {trainIds.Length} training samples");
        }

        using FlatModel model = recipe.CreateModel(data.FeatureCount, data.ClassCount(), data.Device);
        BatchSchedule schedule = recipe.CreateSchedule(trainIds);
        using TrainingTrajectory trajectory = TrainingTrajectory.InMemory(recipe.Metadata(model, data, schedule), data.Device);
        PlainTrainer.Train(model, data, schedule, recipe.LearningRateSchedule(schedule.StepsPerEpoch), recipe.WeightDecay, trajectory, cancellationToken);

        var rows = new List<DeltaGradBenchmarkRow>();
        for (int repeat = 0; repeat < plan.Repeats; repeat++)
        {
            foreach (double rate in plan.Rates)
            {
                foreach (DatasetChangeKind kind in plan.Changes)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    ulong seed = recipe.Seed + 1000UL + (ulong)repeat;
                    DatasetChange change = kind == DatasetChangeKind.Deletion
                        ? DatasetChange.DeleteRandomFraction(trainIds, rate, seed)
                        : DatasetChange.AddRandomCount(heldOut, Count(rate, trainIds.Length), seed);
                    using DeltaGradResult result = DeltaGradComparison.Run(model, data, trajectory, change, options, test, cancellationToken);
                    var row = new DeltaGradBenchmarkRow(rate, repeat, result.Metrics);
                    rows.Add(row);
                    progress?.Report(row);
                }
            }
        }

        var stream = new List<DeltaGradStreamStep>();
        if (plan.StreamRequests > 0)
        {
            foreach (DatasetChangeKind kind in plan.Changes)
            {
                ulong seed = recipe.Seed + 2000UL;
                DatasetChange whole = kind == DatasetChangeKind.Deletion
                    ? DatasetChange.DeleteRandomCount(trainIds, streamSamples, seed)
                    : DatasetChange.AddRandomCount(heldOut, streamSamples, seed);
                using DeltaGradStreamResult result = DeltaGradStream.Run(
                    model, data, trajectory, whole.SplitInto(plan.StreamRequests), options, test, streamProgress, cancellationToken);
                stream.AddRange(result.Steps);
            }
        }

        return new DeltaGradBenchmarkReport
        {
            Recipe = recipe.ToString(),
            Options = options,
            AuthorsSettings = AuthorsSettings,
            TrainingSamples = trainIds.Length,
            HeldOutSamples = heldOut.Length,
            Rows = rows,
            Stream = stream,
        };
    }

    /// <summary>round(rate · n), at least 1: the number of samples a rate changes.</summary>
    private static int Count(double rate, int n) => (int)Math.Max(1, Math.Round(rate * n));
}
