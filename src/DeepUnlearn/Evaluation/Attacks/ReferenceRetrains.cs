using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using DeepUnlearn.Data;
using DeepUnlearn.Models;
using DeepUnlearn.Unlearning;

namespace DeepUnlearn.Evaluation.Attacks;

/// <summary>
/// The retrained models the per-example attacks need beyond a comparison's own: the same retrain (method and options)
/// with other seeds, each costing one training run, kept only as their forget-set φ.
/// </summary>
public static class ReferenceRetrains
{
    /// <summary>
    /// <paramref name="count"/> seeds from <paramref name="start"/> up, skipping those in <paramref name="taken"/>
    /// (the comparison's seeds: a reference must be a different training run).
    /// </summary>
    public static IReadOnlyList<ulong> Seeds(int count, ulong start, IEnumerable<ulong> taken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var used = new HashSet<ulong>(taken);
        var seeds = new List<ulong>();
        for (ulong s = start; seeds.Count < count; s++)
        {
            if (!used.Contains(s))
            {
                seeds.Add(s);
            }
        }
        return seeds;
    }

    /// <summary>
    /// φ of <paramref name="model"/> on the context's forget set and on the population, the test set (its remaining
    /// classes for a class-wise request), in the loaders' order, as <see cref="UnlearningEvaluator.Evaluate"/> predicts
    /// them; with the ids of both, to check the order.
    /// </summary>
    public static (int[] ForgetIds, int[] PopulationIds, ModelOutputs Outputs) Outputs(ClassifierModel model, UnlearningContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        Predictions forget;
        using (DataLoader loader = context.ForgetLoader(512, shuffle: false))
        {
            forget = ModelEvaluator.Predict(model, loader, cancellationToken);
        }
        Predictions test;
        using (DataLoader loader = context.Data.TestLoader(512, context.Device, workers: context.Workers))
        {
            test = ModelEvaluator.Predict(model, loader, cancellationToken);
        }
        var forgotten = new HashSet<int>(context.ForgottenClasses);
        Predictions population = test.WhereLabel(c => !forgotten.Contains(c));
        return (forget.Ids, population.Ids, ModelOutputs.Of(forget, population));
    }

    /// <summary>
    /// Trains one reference per seed with <paramref name="retrain"/> on the context <paramref name="contextFor"/> gives
    /// for it, and returns each one's <see cref="Outputs"/> with its training seconds;
    /// <paramref name="keep"/>, when given, receives each model before it is disposed (to save it).
    /// </summary>
    public static IReadOnlyList<(ulong Seed, int[] ForgetIds, int[] PopulationIds, ModelOutputs Outputs, double Seconds)> Train(
        IReadOnlyList<ulong> seeds,
        Func<ulong, UnlearningContext> contextFor,
        IUnlearningMethod retrain,
        IProgress<string>? status,
        Action<ulong, UnlearningOutcome>? keep,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(seeds);
        ArgumentNullException.ThrowIfNull(contextFor);
        ArgumentNullException.ThrowIfNull(retrain);
        var result = new List<(ulong, int[], int[], ModelOutputs, double)>();
        foreach (var (seed, index) in seeds.Select((s, i) => (s, i)))
        {
            cancellationToken.ThrowIfCancellationRequested();
            status?.Report($"attacks: reference retrain {index + 1}/{seeds.Count} (seed {seed}), one training run each");
            UnlearningContext context = contextFor(seed);
            using UnlearningOutcome outcome = retrain.Run(context, cancellationToken);
            keep?.Invoke(seed, outcome);
            var (forgetIds, populationIds, outputs) = Outputs(outcome.Model, context, cancellationToken);
            result.Add((seed, forgetIds, populationIds, outputs, outcome.Seconds));
        }
        return result;
    }
}
