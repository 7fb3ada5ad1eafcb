using System;
using System.Collections.Generic;
using System.Linq;
using DeepUnlearn.Training.Trajectory;

namespace DeepUnlearn.Unlearning.Methods.DeltaGrad;

/// <summary>
/// A deletion or addition of samples (by id), and how it changes every recorded mini-batch:
/// a deletion drops the deleted ids from each batch B_t (keeping the order; a step whose batch becomes
/// empty is skipped); an addition inserts each added sample, in every epoch, into one batch of that epoch
/// chosen uniformly at random (seeded), as the DeltaGrad authors' implementation does — with full-batch
/// gradient descent every step gets all added samples. The changed batches define exact retraining.
/// </summary>
public sealed class DatasetChange
{
    private readonly long[] _ids;

    private DatasetChange(DatasetChangeKind kind, long[] ids, ulong placementSeed)
    {
        Kind = kind;
        _ids = ids;
        PlacementSeed = placementSeed;
    }

    /// <summary>Deletion or addition.</summary>
    public DatasetChangeKind Kind { get; }

    /// <summary>The affected sample ids, distinct and ascending.</summary>
    public IReadOnlyList<long> Ids => _ids;

    /// <summary>Seed of the batch placement of added samples (unused for deletions).</summary>
    public ulong PlacementSeed { get; }

    /// <summary>Removes <paramref name="ids"/> from the training set.</summary>
    public static DatasetChange Delete(IEnumerable<long> ids) => new(DatasetChangeKind.Deletion, Normalize(ids), 0);

    /// <summary>Adds <paramref name="ids"/> (samples of the same dataset not trained on) to the training set.</summary>
    public static DatasetChange Add(IEnumerable<long> ids, ulong placementSeed = 0) => new(DatasetChangeKind.Addition, Normalize(ids), placementSeed);

    /// <summary>
    /// Deletes round(<paramref name="fraction"/> · |training set|) ids (at least one) drawn without
    /// replacement from <paramref name="trainingIds"/> with a seeded generator.
    /// </summary>
    public static DatasetChange DeleteRandomFraction(IReadOnlyList<long> trainingIds, double fraction, ulong seed)
    {
        ArgumentNullException.ThrowIfNull(trainingIds);
        if (!(fraction > 0 && fraction < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(fraction), fraction, "the deletion fraction must be in (0, 1)");
        }
        int count = (int)Math.Max(1, Math.Round(fraction * trainingIds.Count));
        return DeleteRandomCount(trainingIds, count, seed);
    }

    /// <summary>Deletes <paramref name="count"/> ids drawn without replacement from <paramref name="trainingIds"/> (seeded).</summary>
    public static DatasetChange DeleteRandomCount(IReadOnlyList<long> trainingIds, int count, ulong seed)
    {
        ArgumentNullException.ThrowIfNull(trainingIds);
        if (count < 1 || count >= trainingIds.Count)
        {
            throw new ArgumentOutOfRangeException(nameof(count), count, $"must delete between 1 and {trainingIds.Count - 1} of the {trainingIds.Count} training samples");
        }
        long[] pool = trainingIds.ToArray();
        BatchSchedule shuffled = BatchSchedule.Shuffled(pool, pool.Length, 1, seed);
        return Delete(shuffled.Batch(0)[..count].ToArray());
    }

    /// <summary>
    /// Adds <paramref name="count"/> ids drawn without replacement from <paramref name="candidateIds"/> (samples
    /// of the dataset that were not trained on) with a seeded generator; the batch placement is seeded by
    /// <paramref name="seed"/> too.
    /// </summary>
    public static DatasetChange AddRandomCount(IReadOnlyList<long> candidateIds, int count, ulong seed)
    {
        ArgumentNullException.ThrowIfNull(candidateIds);
        if (count < 1 || count > candidateIds.Count)
        {
            throw new ArgumentOutOfRangeException(nameof(count), count, $"must add between 1 and {candidateIds.Count} samples (the candidates not trained on)");
        }
        long[] pool = candidateIds.ToArray();
        BatchSchedule shuffled = BatchSchedule.Shuffled(pool, pool.Length, 1, seed);
        return Add(shuffled.Batch(0)[..count].ToArray(), seed);
    }

    /// <summary>
    /// Splits this change into <paramref name="requests"/> changes of the same kind, applied one after another
    /// (the paper's online setting): the ids, in ascending order, cut into consecutive chunks whose sizes differ
    /// by at most one. Request i of an addition places its samples with seed <see cref="PlacementSeed"/> + i.
    /// </summary>
    public IReadOnlyList<DatasetChange> SplitInto(int requests)
    {
        if (requests < 1 || requests > Ids.Count)
        {
            throw new ArgumentOutOfRangeException(nameof(requests), requests, $"a change of {Ids.Count} samples splits into 1 to {Ids.Count} requests");
        }
        var parts = new DatasetChange[requests];
        long[] ids = _ids;
        int start = 0;
        for (int i = 0; i < requests; i++)
        {
            int length = (ids.Length / requests) + (i < ids.Length % requests ? 1 : 0);
            long[] chunk = ids.AsSpan(start, length).ToArray();
            parts[i] = new DatasetChange(Kind, chunk, Kind == DatasetChangeKind.Addition ? PlacementSeed + (ulong)i : 0);
            start += length;
        }
        return parts;
    }

    /// <summary>
    /// Checks the change against a trajectory: deleted ids must have been trained on; added ids must lie
    /// in the dataset and must not have been trained on.
    /// </summary>
    /// <exception cref="ArgumentException">An id does not fit.</exception>
    public void Validate(TrainingTrajectory trajectory)
    {
        ArgumentNullException.ThrowIfNull(trajectory);
        foreach (long id in Ids)
        {
            if (id < 0 || id >= trajectory.Metadata.DatasetSize)
            {
                throw new ArgumentException($"sample id {id} is not in dataset '{trajectory.Metadata.DatasetIdentity}' (ids run over [0, {trajectory.Metadata.DatasetSize}))");
            }
            bool trained = trajectory.IsInTrainingSet(id);
            if (Kind == DatasetChangeKind.Deletion && !trained)
            {
                throw new ArgumentException($"cannot delete sample id {id}: it is not in the training set of the trajectory");
            }
            if (Kind == DatasetChangeKind.Addition && trained)
            {
                throw new ArgumentException($"cannot add sample id {id}: it is already in the training set of the trajectory");
            }
        }
    }

    /// <summary>The batches of exact retraining: <paramref name="schedule"/> with this change applied per step.</summary>
    public BatchSchedule Apply(BatchSchedule schedule)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        return Plan(schedule).Retraining;
    }

    internal ChangePlan Plan(BatchSchedule schedule) =>
        Kind == DatasetChangeKind.Deletion ? PlanDeletion(schedule) : PlanAddition(schedule);

    private ChangePlan PlanDeletion(BatchSchedule schedule)
    {
        var deleted = new HashSet<long>(Ids);
        // Steps that share one id array (full-batch GD) share the reduced array too, so a gatherer can
        // reuse the reduced batch.
        var kept = new Dictionary<long[], (long[] Kept, long[] Removed)>(ReferenceEqualityComparer.Instance);
        var keptPerStep = new long[schedule.StepCount][];
        var removedPerStep = new long[schedule.StepCount][];
        for (int t = 0; t < schedule.StepCount; t++)
        {
            long[] batch = schedule.BatchArray(t);
            if (!kept.TryGetValue(batch, out var split))
            {
                split = (batch.Where(id => !deleted.Contains(id)).ToArray(), batch.Where(deleted.Contains).ToArray());
                kept[batch] = split;
            }
            keptPerStep[t] = split.Kept;
            removedPerStep[t] = split.Removed;
        }
        var empty = new long[schedule.StepCount][];
        Array.Fill(empty, Array.Empty<long>());
        return new ChangePlan(removedPerStep, empty, BatchSchedule.FromBatchesShared(keptPerStep, schedule.StepsPerEpoch));
    }

    private ChangePlan PlanAddition(BatchSchedule schedule)
    {
        int steps = schedule.StepCount;
        long perEpoch = schedule.StepsPerEpoch;
        var added = new List<long>[steps];
        var rng = new SplitMix64(PlacementSeed);
        for (long epochStart = 0; epochStart < steps; epochStart += perEpoch)
        {
            long stepsThisEpoch = Math.Min(perEpoch, steps - epochStart);
            foreach (long id in Ids)
            {
                int t = (int)(epochStart + rng.NextBelow(stepsThisEpoch));
                (added[t] ??= new List<long>()).Add(id);
            }
        }
        var addedPerStep = new long[steps][];
        var batches = new long[steps][];
        long[]? fullAdded = perEpoch == 1 ? Ids.ToArray() : null;
        var joined = new Dictionary<long[], long[]>(ReferenceEqualityComparer.Instance);
        for (int t = 0; t < steps; t++)
        {
            long[] batch = schedule.BatchArray(t);
            long[] extra = added[t]?.ToArray() ?? [];
            if (fullAdded is not null)
            {
                // Full-batch GD: every step gets all added samples; share arrays across steps.
                extra = fullAdded;
                if (!joined.TryGetValue(batch, out long[]? both))
                {
                    both = [.. batch, .. extra];
                    joined[batch] = both;
                }
                batches[t] = both;
            }
            else
            {
                batches[t] = [.. batch, .. extra];
            }
            addedPerStep[t] = extra;
        }
        var empty = new long[steps][];
        Array.Fill(empty, Array.Empty<long>());
        return new ChangePlan(empty, addedPerStep, BatchSchedule.FromBatchesShared(batches, perEpoch));
    }

    private static long[] Normalize(IEnumerable<long> ids)
    {
        ArgumentNullException.ThrowIfNull(ids);
        long[] distinct = ids.Distinct().Order().ToArray();
        if (distinct.Length == 0)
        {
            throw new ArgumentException("the change names no sample ids", nameof(ids));
        }
        if (distinct[0] < 0)
        {
            throw new ArgumentException($"sample id {distinct[0]} is negative", nameof(ids));
        }
        return distinct;
    }
}
