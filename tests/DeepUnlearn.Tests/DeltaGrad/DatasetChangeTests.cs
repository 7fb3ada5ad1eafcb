using System;
using System.Linq;
using DeepUnlearn.Unlearning.Methods.DeltaGrad;
using Xunit;

namespace DeepUnlearn.Tests.DeltaGrad;

public class DatasetChangeTests
{
    [Theory]
    [InlineData(10, 1)]
    [InlineData(10, 3)]
    [InlineData(10, 10)]
    [InlineData(7, 4)]
    public void SplitInto_Requests_PartitionTheIdsInOrderWithSizesWithinOne(int count, int requests)
    {
        long[] ids = Enumerable.Range(0, count).Select(i => (long)(3 * i) + 1).ToArray();
        DatasetChange change = DatasetChange.Add(ids, placementSeed: 40);

        var parts = change.SplitInto(requests);

        Assert.Equal(requests, parts.Count);
        Assert.Equal(ids, parts.SelectMany(p => p.Ids).ToArray());
        Assert.True(parts.Max(p => p.Ids.Count) - parts.Min(p => p.Ids.Count) <= 1);
        Assert.All(parts, p => Assert.Equal(DatasetChangeKind.Addition, p.Kind));
        // Each request places its samples with its own seed, so requests do not all land in the same batches.
        Assert.Equal(Enumerable.Range(0, requests).Select(i => 40UL + (ulong)i), parts.Select(p => p.PlacementSeed));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(4)]
    public void SplitInto_MoreRequestsThanSamplesOrNone_Throws(int requests)
    {
        DatasetChange change = DatasetChange.Delete([1, 2, 3]);
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => change.SplitInto(requests));
        Assert.Contains("1 to 3 requests", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddRandomCount_DrawsDistinctCandidatesDeterministically()
    {
        long[] candidates = Enumerable.Range(100, 50).Select(i => (long)i).ToArray();

        DatasetChange first = DatasetChange.AddRandomCount(candidates, 12, seed: 5);
        DatasetChange again = DatasetChange.AddRandomCount(candidates, 12, seed: 5);
        DatasetChange other = DatasetChange.AddRandomCount(candidates, 12, seed: 6);

        Assert.Equal(DatasetChangeKind.Addition, first.Kind);
        Assert.Equal(12, first.Ids.Distinct().Count());
        Assert.All(first.Ids, id => Assert.Contains(id, candidates));
        Assert.Equal(first.Ids, again.Ids);
        Assert.NotEqual(first.Ids, other.Ids);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(51)]
    public void AddRandomCount_CountOutsideTheCandidates_Throws(int count)
    {
        long[] candidates = Enumerable.Range(0, 50).Select(i => (long)i).ToArray();
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => DatasetChange.AddRandomCount(candidates, count, seed: 1));
        Assert.Contains("between 1 and 50", error.Message, StringComparison.Ordinal);
    }
}
