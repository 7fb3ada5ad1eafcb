using System;
using System.Linq;
using DeepUnlearn.Training.Trajectory;
using DeepUnlearn.Unlearning.Methods.DeltaGrad;
using Xunit;

namespace DeepUnlearn.Tests.DeltaGrad;

public class BatchScheduleTests
{
    [Fact]
    public void Shuffled_EachEpochIsASeededPermutation()
    {
        long[] ids = Synthetic.Range(50);
        BatchSchedule a = BatchSchedule.Shuffled(ids, 16, 3, seed: 5);
        BatchSchedule b = BatchSchedule.Shuffled(ids, 16, 3, seed: 5);
        BatchSchedule c = BatchSchedule.Shuffled(ids, 16, 3, seed: 6);
        Assert.Equal(4, a.StepsPerEpoch);
        Assert.Equal(12, a.StepCount);
        Assert.Equal(150, a.TotalIds);
        for (int epoch = 0; epoch < 3; epoch++)
        {
            long[] seen = Enumerable.Range(epoch * 4, 4).SelectMany(t => a[t]).Order().ToArray();
            Assert.Equal(ids, seen);
        }
        Assert.Equal(2, a[3].Count);
        Assert.True(Enumerable.Range(0, 12).All(t => a[t].SequenceEqual(b[t])));
        Assert.False(Enumerable.Range(0, 12).All(t => a[t].SequenceEqual(c[t])));
        Assert.False(a[0].SequenceEqual(a[4]));
    }

    [Fact]
    public void Shuffled_FixedSeed_MatchesAnIndependentSplitMix64Shuffle()
    {
        // Golden values from a plain Python SplitMix64 + Lemire bounded draw + Fisher–Yates (from the end).
        var rng = new SplitMix64(0);
        Assert.Equal(0xE220A8397B1DCDAFUL, rng.Next());
        BatchSchedule s = BatchSchedule.Shuffled(Synthetic.Range(8), 8, 1, seed: 0);
        Assert.Equal(new long[] { 1, 2, 6, 5, 4, 0, 3, 7 }, s[0]);
    }

    [Fact]
    public void Deletion_DropsIdsKeepingOrder()
    {
        BatchSchedule schedule = BatchSchedule.Shuffled(Synthetic.Range(30), 7, 2, seed: 1);
        DatasetChange change = DatasetChange.Delete([4, 9, 29]);
        BatchSchedule changed = change.Apply(schedule);
        Assert.Equal(schedule.StepCount, changed.StepCount);
        for (int t = 0; t < schedule.StepCount; t++)
        {
            Assert.Equal(schedule[t].Where(id => id is not (4 or 9 or 29)), changed[t]);
        }
    }

    [Fact]
    public void Addition_PutsEachAddedIdInOneBatchPerEpoch()
    {
        long[] added = [30, 31, 32, 33, 34];
        BatchSchedule schedule = BatchSchedule.Shuffled(Synthetic.Range(30), 7, 3, seed: 1);
        BatchSchedule changed = DatasetChange.Add(added, placementSeed: 8).Apply(schedule);
        for (int epoch = 0; epoch < 3; epoch++)
        {
            long[] seen = Enumerable.Range(epoch * 5, 5).SelectMany(t => changed[t]).Order().ToArray();
            Assert.Equal(Synthetic.Range(35), seen);
        }
        for (int t = 0; t < schedule.StepCount; t++)
        {
            Assert.Equal(schedule[t], changed[t].Take(schedule[t].Count));
        }
        BatchSchedule full = DatasetChange.Add(added).Apply(BatchSchedule.FullBatch(Synthetic.Range(30), 4));
        Assert.All(Enumerable.Range(0, 4), t => Assert.Equal(Synthetic.Range(35), full[t]));
    }

    [Fact]
    public void DeleteRandomFraction_IsSeededAndSized()
    {
        long[] ids = Synthetic.Range(60000);
        DatasetChange a = DatasetChange.DeleteRandomFraction(ids, 0.001, 3);
        DatasetChange b = DatasetChange.DeleteRandomFraction(ids, 0.001, 3);
        Assert.Equal(60, a.Ids.Count);
        Assert.Equal(a.Ids, b.Ids);
        Assert.NotEqual(a.Ids, DatasetChange.DeleteRandomFraction(ids, 0.001, 4).Ids);
        Assert.Throws<ArgumentOutOfRangeException>(() => DatasetChange.DeleteRandomFraction(ids, 1.5, 3));
    }
}
