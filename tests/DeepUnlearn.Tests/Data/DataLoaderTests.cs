using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using DeepUnlearn.Data;
using DeepUnlearn.Engine;
using DeepUnlearn.Data.Transforms;
using TorchSharp;
using static TorchSharp.torch;
using Xunit;

namespace DeepUnlearn.Tests.Data;

public partial class DataLoaderTests
{
    private static List<long[]> EpochIds(DataLoader loader, int epoch) =>
        loader.Epoch(epoch).Select(b => b.Ids.ToArray()).ToList();

    [Fact]
    public void Epoch_VisitsEveryIdExactlyOnce_InBatchesOfTheRequestedSize()
    {
        InMemoryVisionDataset data = DataFiles.Synthetic(103);
        using var loader = new DataLoader(data, new DataLoaderOptions { BatchSize = 32, Seed = 4 });
        Assert.Equal(4, loader.BatchCount);
        List<long[]> batches = EpochIds(loader, 0);
        Assert.Equal([32, 32, 32, 7], batches.Select(b => b.Length));
        Assert.Equal(Enumerable.Range(0, 103).Select(i => (long)i), batches.SelectMany(b => b).Order());
        Assert.NotEqual(Enumerable.Range(0, 103).Select(i => (long)i), batches.SelectMany(b => b));
    }

    [Fact]
    public void Epoch_SameSeed_SameOrder_EachEpochDifferent_AndEpochOrderReportsIt()
    {
        InMemoryVisionDataset data = DataFiles.Synthetic(50);
        var options = new DataLoaderOptions { BatchSize = 8, Seed = 21, Workers = 2 };
        using var a = new DataLoader(data, options);
        using var b = new DataLoader(data, options);
        List<long[]> first = EpochIds(a, 0);
        Assert.Equal(first, EpochIds(b, 0));
        Assert.NotEqual(first.SelectMany(x => x), EpochIds(a, 1).SelectMany(x => x));
        Assert.Equal(a.EpochOrder(0).Select(i => (long)i), first.SelectMany(x => x));
        Assert.Equal(a.EpochOrder(3), b.EpochOrder(3));
        Assert.Equal(a.EpochBatchIds(0).Select(x => x.Select(i => (long)i).ToArray()), first);
        using var other = new DataLoader(data, options with { Seed = 22 });
        Assert.NotEqual(a.EpochOrder(0), other.EpochOrder(0));
        // Epoch e shuffles with seed + e.
        Assert.Equal(a.EpochOrder(1), other.EpochOrder(0));
    }

    [Fact]
    public void Epoch_NoShuffle_IsCanonicalOrder()
    {
        using var loader = new DataLoader(DataFiles.Synthetic(10), new DataLoaderOptions { BatchSize = 4, Shuffle = false });
        Assert.Equal(Enumerable.Range(0, 10).Select(i => (long)i), EpochIds(loader, 5).SelectMany(x => x));
    }

    [Fact]
    public void DropLast_DropsTheShortTail()
    {
        using var loader = new DataLoader(DataFiles.Synthetic(103), new DataLoaderOptions { BatchSize = 32, DropLast = true, Seed = 1 });
        Assert.Equal(3, loader.BatchCount);
        List<long[]> batches = EpochIds(loader, 0);
        Assert.Equal([32, 32, 32], batches.Select(b => b.Length));
        Assert.Equal(loader.EpochOrder(0)[..96].Select(i => (long)i), batches.SelectMany(b => b));
    }

    [Fact]
    public void Batch_HoldsPixelsOver255_LabelsAndIds()
    {
        InMemoryVisionDataset data = DataFiles.Synthetic(20, channels: 3, height: 2, width: 3);
        using var loader = new DataLoader(data, new DataLoaderOptions { BatchSize = 6, Seed = 2 });
        foreach (Batch batch in loader.Epoch(0))
        {
            Assert.Equal([batch.Count, 3L, 2, 3], batch.Images.shape);
            Assert.Equal(ScalarType.Float32, batch.Images.dtype);
            Assert.Equal(ScalarType.Int64, batch.Labels.dtype);
            Assert.Equal(DeviceType.CPU, batch.Images.device_type);
            float[] images = batch.Images.data<float>().ToArray();
            long[] labels = batch.Labels.data<long>().ToArray();
            for (int k = 0; k < batch.Count; k++)
            {
                int id = (int)batch.Ids[k];
                Assert.Equal(id % 10, labels[k]);
                byte[] pixels = DataFiles.Pixels(id, 18);
                for (int i = 0; i < 18; i++)
                {
                    Assert.Equal(pixels[i] / 255f, images[(k * 18) + i]);
                }
            }
        }
    }

    [Fact]
    public void WorkerCount_DoesNotChangeTheBatches()
    {
        InMemoryVisionDataset data = DataFiles.Synthetic(70, channels: 3, height: 8, width: 8);
        IImageTransform transform = new Compose(new RandomCrop(8, padding: 2), new RandomHorizontalFlip(), new Normalize(data.Normalization));
        List<(long[] Ids, float[] Images, long[] Labels)> Run(int workers, int prefetch)
        {
            using var loader = new DataLoader(data, new DataLoaderOptions { BatchSize = 16, Seed = 8, Workers = workers, Prefetch = prefetch }, transform);
            return loader.Epoch(1).Select(b => (b.Ids.ToArray(), b.Images.data<float>().ToArray(), b.Labels.data<long>().ToArray())).ToList();
        }
        var reference = Run(0, 0);
        foreach (var (workers, prefetch) in new[] { (1, 1), (3, 0), (4, 2) })
        {
            var other = Run(workers, prefetch);
            Assert.Equal(reference.Count, other.Count);
            for (int b = 0; b < reference.Count; b++)
            {
                Assert.Equal(reference[b].Ids, other[b].Ids);
                Assert.Equal(reference[b].Images, other[b].Images);
                Assert.Equal(reference[b].Labels, other[b].Labels);
            }
        }
        // The augmentation is not the identity.
        using var plain = new DataLoader(data, new DataLoaderOptions { BatchSize = 16, Seed = 8 }, new Normalize(data.Normalization));
        Assert.NotEqual(reference[0].Images, plain.Epoch(1).Select(b => b.Images.data<float>().ToArray()).First());
    }

    [Fact]
    public void Subset_VisitsOnlyTheGivenIds()
    {
        int[] subset = [3, 5, 8, 13, 21, 34];
        using var loader = new DataLoader(DataFiles.Synthetic(40), new DataLoaderOptions { BatchSize = 4, Seed = 3 }, ids: subset);
        Assert.Equal(6, loader.SampleCount);
        Assert.Equal(subset.Select(i => (long)i), EpochIds(loader, 0).SelectMany(b => b).Order());
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new DataLoader(DataFiles.Synthetic(40), ids: [1, 40]));
        Assert.Contains("0..39", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Batches_BelongToNoScope_AndAreReleasedAsTheEpochAdvances()
    {
        InMemoryVisionDataset data = DataFiles.Synthetic(30);
        using var loader = new DataLoader(data, new DataLoaderOptions { BatchSize = 4, Workers = 2 });
        long before = LiveTensors.Settled();
        var seen = new List<Batch>();
        using (var scope = torch.NewDisposeScope())
        {
            foreach (Batch batch in loader.Epoch(0))
            {
                Assert.Equal(0, scope.DisposablesCount);
                seen.Add(batch);
                if (seen.Count > 1)
                {
                    Assert.True(seen[^2].IsDisposed);
                }
                Assert.False(batch.IsDisposed);
            }
        }
        Assert.All(seen, b => Assert.True(b.IsDisposed));
        Assert.Equal(before, LiveTensors.Count);
    }

    [Fact]
    public void BreakingOutEarly_StopsWorkersAndReleasesPrefetchedBatches()
    {
        using var loader = new DataLoader(DataFiles.Synthetic(200), new DataLoaderOptions { BatchSize = 2, Workers = 3, Prefetch = 6 });
        long before = LiveTensors.Settled();
        Batch first = loader.Epoch(0).First();
        Assert.True(first.IsDisposed);
        Assert.Equal(before, LiveTensors.Count);
    }

    [Fact]
    public void Cancellation_StopsTheEpoch()
    {
        using var loader = new DataLoader(DataFiles.Synthetic(100), new DataLoaderOptions { BatchSize = 5, Workers = 2 });
        using var cancellation = new CancellationTokenSource();
        int delivered = 0;
        Assert.ThrowsAny<OperationCanceledException>(() =>
        {
            foreach (Batch batch in loader.Epoch(0, cancellation.Token))
            {
                delivered++;
                cancellation.Cancel();
            }
        });
        Assert.Equal(1, delivered);
        using var inline = new DataLoader(DataFiles.Synthetic(100), new DataLoaderOptions { BatchSize = 5, Workers = 0 });
        Assert.ThrowsAny<OperationCanceledException>(() => inline.Epoch(0, cancellation.Token).ToList());
    }

    [Fact]
    public void Dispose_StopsARunningEpoch()
    {
        var loader = new DataLoader(DataFiles.Synthetic(100), new DataLoaderOptions { BatchSize = 5, Workers = 2 });
        using IEnumerator<Batch> epoch = loader.Epoch(0).GetEnumerator();
        Assert.True(epoch.MoveNext());
        loader.Dispose();
        Assert.Throws<ObjectDisposedException>(() => epoch.MoveNext());
        Assert.Throws<ObjectDisposedException>(() => loader.Epoch(1));
    }

    [Fact]
    public void Options_Invalid_Throw()
    {
        InMemoryVisionDataset data = DataFiles.Synthetic(4);
        Assert.Throws<ArgumentOutOfRangeException>(() => new DataLoader(data, new DataLoaderOptions { BatchSize = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new DataLoader(data, new DataLoaderOptions { Workers = -1 }));
    }

    [Fact]
    public void Benchmark_MeasuresThroughput()
    {
        InMemoryVisionDataset data = DataFiles.Synthetic(300, channels: 3, height: 32, width: 32);
        DataBenchmarkResult result = DataBenchmark.Measure(data, TransformPresets.Train(data), batchSize: 32, batches: 12, workers: 2);
        Assert.Equal(11, result.Batches);
        Assert.Equal(11 * 32, result.Images);
        Assert.True(result.ImagesPerSecond > 0);
        Assert.Equal("synthetic", result.Dataset);
    }
}
