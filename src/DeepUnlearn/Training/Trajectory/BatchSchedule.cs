using System;
using System.Collections.Generic;
using System.Linq;

namespace DeepUnlearn.Training.Trajectory;

/// <summary>
/// The sample ids of every training step, in the order the loader produced them: full-batch gradient
/// descent (every step sees the whole training set) or mini-batch SGD over a seeded permutation per
/// epoch. DeltaGrad replays exactly this order, and exact retraining reuses it with the deleted ids
/// removed from (or the added ids inserted into) each batch.
/// </summary>
public sealed class BatchSchedule
{
    private readonly long[][] _batches;

    private BatchSchedule(long[][] batches, long stepsPerEpoch)
    {
        _batches = batches;
        StepsPerEpoch = stepsPerEpoch;
        TotalIds = batches.Sum(b => (long)b.Length);
    }

    /// <summary>Number of steps.</summary>
    public int StepCount => _batches.Length;

    /// <summary>Steps per epoch (1 for full-batch gradient descent).</summary>
    public long StepsPerEpoch { get; }

    /// <summary>Sum of the batch sizes over all steps (the size of the id section of a trajectory).</summary>
    public long TotalIds { get; }

    /// <summary>The ids of step <paramref name="step"/> (do not modify).</summary>
    public IReadOnlyList<long> this[int step] => _batches[step];

    /// <summary>The ids of step <paramref name="step"/> as a read-only span.</summary>
    public ReadOnlySpan<long> Batch(int step) => _batches[step];

    /// <summary>Full-batch gradient descent: every one of <paramref name="steps"/> steps uses all of
    /// <paramref name="trainingIds"/>, in the given order.</summary>
    public static BatchSchedule FullBatch(IReadOnlyList<long> trainingIds, int steps)
    {
        ArgumentNullException.ThrowIfNull(trainingIds);
        ArgumentOutOfRangeException.ThrowIfLessThan(steps, 1);
        long[] ids = CheckedIds(trainingIds);
        var batches = new long[steps][];
        for (int t = 0; t < steps; t++)
        {
            batches[t] = ids;
        }
        return new BatchSchedule(batches, 1);
    }

    /// <summary>
    /// Mini-batch SGD: for each of <paramref name="epochs"/> epochs a fresh permutation of
    /// <paramref name="trainingIds"/> (SplitMix64 seeded with <paramref name="seed"/>, so the order is the
    /// same on every machine), cut into consecutive batches of <paramref name="batchSize"/>; the last batch
    /// of an epoch is smaller unless <paramref name="dropLast"/>.
    /// </summary>
    public static BatchSchedule Shuffled(IReadOnlyList<long> trainingIds, int batchSize, int epochs, ulong seed, bool dropLast = false)
    {
        ArgumentNullException.ThrowIfNull(trainingIds);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(epochs, 1);
        long[] ids = CheckedIds(trainingIds);
        if (dropLast && batchSize > ids.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, $"batch size exceeds the {ids.Length} training ids and dropLast leaves no batch");
        }
        var rng = new SplitMix64(seed);
        var batches = new List<long[]>();
        long stepsPerEpoch = 0;
        for (int epoch = 0; epoch < epochs; epoch++)
        {
            long[] order = (long[])ids.Clone();
            rng.Shuffle(order);
            long steps = 0;
            for (int start = 0; start < order.Length; start += batchSize)
            {
                int length = Math.Min(batchSize, order.Length - start);
                if (dropLast && length < batchSize)
                {
                    break;
                }
                batches.Add(order.AsSpan(start, length).ToArray());
                steps++;
            }
            stepsPerEpoch = steps;
        }
        return new BatchSchedule(batches.ToArray(), stepsPerEpoch);
    }

    /// <summary>A schedule from explicit batches (e.g. read back from a trajectory). Batches may be empty
    /// (a step whose samples were all deleted: the trainer skips it).</summary>
    public static BatchSchedule FromBatches(IEnumerable<long[]> batches, long stepsPerEpoch)
    {
        ArgumentNullException.ThrowIfNull(batches);
        ArgumentOutOfRangeException.ThrowIfLessThan(stepsPerEpoch, 1);
        long[][] copy = batches.Select(b => (long[])(b ?? throw new ArgumentException("a batch is null", nameof(batches))).Clone()).ToArray();
        if (copy.Length == 0)
        {
            throw new ArgumentException("a schedule needs at least one step", nameof(batches));
        }
        return new BatchSchedule(copy, stepsPerEpoch);
    }

    /// <summary>The batch array itself (shared, not copied), for code in this assembly that never modifies it.</summary>
    internal long[] BatchArray(int step) => _batches[step];

    /// <summary>A schedule over the given arrays without copying them (steps may share one array).</summary>
    internal static BatchSchedule FromBatchesShared(long[][] batches, long stepsPerEpoch) => new(batches, stepsPerEpoch);

    /// <summary>Every id that occurs in some step, each once, ascending.</summary>
    public long[] DistinctIds()
    {
        var seen = new HashSet<long>();
        foreach (long[] batch in _batches)
        {
            seen.UnionWith(batch);
        }
        long[] ids = seen.ToArray();
        Array.Sort(ids);
        return ids;
    }

    private static long[] CheckedIds(IReadOnlyList<long> trainingIds)
    {
        if (trainingIds.Count == 0)
        {
            throw new ArgumentException("the training set is empty", nameof(trainingIds));
        }
        long[] ids = trainingIds.ToArray();
        var seen = new HashSet<long>();
        foreach (long id in ids)
        {
            if (id < 0)
            {
                throw new ArgumentException($"sample id {id} is negative; ids are indices into the dataset", nameof(trainingIds));
            }
            if (!seen.Add(id))
            {
                throw new ArgumentException($"sample id {id} occurs twice in the training set", nameof(trainingIds));
            }
        }
        return ids;
    }
}
