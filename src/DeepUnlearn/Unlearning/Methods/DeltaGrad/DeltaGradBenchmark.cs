using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using DeepUnlearn.Training.Trajectory;
using DeepUnlearn.Unlearning.Methods.DeltaGrad.Models;

namespace DeepUnlearn.Unlearning.Methods.DeltaGrad;

/// <summary>
/// The DeltaGrad benchmark (for <c>deepunlearn bench deltagrad</c>): train the original model once with
/// a recorded trajectory, then for each deletion rate (0.01 %, 0.1 % and 1 % by default, as in the
/// paper's deletion-rate sweep) delete a seeded random sample and compare DeltaGrad with exact
/// retraining — speed-up, ‖w_DG − w_retrain‖, ‖w_orig − w_retrain‖ and test accuracies.
/// </summary>
public static class DeltaGradBenchmark
{
    /// <summary>The paper-style deletion rates: 0.01 %, 0.1 %, 1 %.</summary>
    public static IReadOnlyList<double> DefaultDeletionRates { get; } = [0.0001, 0.001, 0.01];

    /// <summary>
    /// Runs the benchmark on <paramref name="train"/> (and <paramref name="test"/> for accuracies).
    /// <paramref name="progress"/> receives one line per finished measurement.
    /// </summary>
    public static IReadOnlyList<DeltaGradBenchmarkRow> Run(
        SampleTable train,
        SampleTable? test,
        DeltaGradRecipe recipe,
        DeltaGradOptions? options = null,
        IReadOnlyList<double>? deletionRates = null,
        int repeats = 1,
        IProgress<DeltaGradBenchmarkRow>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(recipe);
        ArgumentOutOfRangeException.ThrowIfLessThan(repeats, 1);
        recipe.Validate();
        IReadOnlyList<double> rates = deletionRates ?? DefaultDeletionRates;
        long[] ids = Enumerable.Range(0, checked((int)train.Count)).Select(i => (long)i).ToArray();

        using FlatModel model = recipe.CreateModel(train.FeatureCount, train.ClassCount(), train.Device);
        BatchSchedule schedule = recipe.CreateSchedule(ids);
        using TrainingTrajectory trajectory = TrainingTrajectory.InMemory(recipe.Metadata(model, train, schedule), train.Device);
        PlainTrainer.Train(model, train, schedule, LearningRateSchedule.Constant(recipe.LearningRate), recipe.WeightDecay, trajectory, cancellationToken);

        var rows = new List<DeltaGradBenchmarkRow>();
        for (int repeat = 0; repeat < repeats; repeat++)
        {
            foreach (double rate in rates)
            {
                cancellationToken.ThrowIfCancellationRequested();
                ulong seed = recipe.Seed + 1000UL + (ulong)repeat;
                DatasetChange change = DatasetChange.DeleteRandomFraction(ids, rate, seed);
                using DeltaGradResult result = DeltaGradComparison.Run(model, train, trajectory, change, options, test, cancellationToken);
                var row = new DeltaGradBenchmarkRow(rate, repeat, result.Metrics);
                rows.Add(row);
                progress?.Report(row);
            }
        }
        return rows;
    }
}
