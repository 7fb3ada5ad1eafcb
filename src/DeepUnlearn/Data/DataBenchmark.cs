using System;
using System.Diagnostics;
using System.Threading;
using DeepUnlearn.Data.Transforms;
using TorchSharp;
using static TorchSharp.torch;

namespace DeepUnlearn.Data;

/// <summary>
/// Measures how fast a <see cref="DataLoader"/> delivers batches (read + decode + augment + stack + copy
/// to the device) with nothing else running: what <c>deepunlearn bench data</c> reports. A loader that
/// is much faster than the model's step time is not the bottleneck. Besides wall-clock rates it reports images per
/// CPU-second of the process, the per-core rate, which is what to compare on a machine shared with other work.
/// </summary>
public static class DataBenchmark
{
    /// <summary>
    /// Pulls <paramref name="batches"/> batches of <paramref name="batchSize"/> through a loader with
    /// <paramref name="workers"/> workers (running further epochs when one epoch has fewer batches; only
    /// full batches) and times them. The first batch (thread start-up, caches) is timed separately.
    /// </summary>
    /// <param name="dataset">The dataset.</param>
    /// <param name="transform">The per-sample pipeline (e.g. <see cref="TransformPresets.Train"/>), or null.</param>
    /// <param name="batchSize">Samples per batch.</param>
    /// <param name="batches">Batches to time (at least 2).</param>
    /// <param name="workers">Worker threads (0 = on the calling thread).</param>
    /// <param name="seed">Shuffle and augmentation seed.</param>
    /// <param name="device">Where batches go (CPU when null).</param>
    /// <param name="cancellationToken">Stops the measurement.</param>
    /// <param name="augmentation">Where batches are finished (<see cref="DataLoaderOptions.Augmentation"/>).</param>
    /// <param name="fuse">Whether recognised pipelines run fused (<see cref="DataLoaderOptions.FuseTransforms"/>); false measures the reference.</param>
    /// <param name="warmupBatches">Batches delivered before the clocks start (thread start-up, JIT compilation, caches); at least 1.</param>
    public static DataBenchmarkResult Measure(
        IVisionDataset dataset,
        IImageTransform? transform,
        int batchSize = 128,
        int batches = 50,
        int workers = 2,
        ulong seed = 0,
        Device? device = null,
        CancellationToken cancellationToken = default,
        AugmentationPlacement augmentation = AugmentationPlacement.Auto,
        bool fuse = true,
        int warmupBatches = 1)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentOutOfRangeException.ThrowIfLessThan(batches, 2);
        ArgumentOutOfRangeException.ThrowIfLessThan(warmupBatches, 1);
        var options = new DataLoaderOptions
        {
            BatchSize = batchSize,
            Workers = workers,
            Seed = seed,
            Shuffle = true,
            DropLast = true,
            Device = device ?? torch.CPU,
            Augmentation = augmentation,
            FuseTransforms = fuse,
        };
        using var loader = new DataLoader(dataset, options, transform);
        if (loader.BatchCount == 0)
        {
            throw new ArgumentException($"{dataset.Name} has {dataset.Count} samples, fewer than one batch of {batchSize}", nameof(dataset));
        }
        using var process = Process.GetCurrentProcess();
        long start = Stopwatch.GetTimestamp();
        TimeSpan firstBatch = TimeSpan.Zero;
        TimeSpan cpuStart = TimeSpan.Zero;
        long steadyStart = 0;
        int delivered = 0, images = 0;
        int total = batches - 1 + warmupBatches;
        for (int epoch = 0; delivered < total; epoch++)
        {
            foreach (Batch batch in loader.Epoch(epoch, cancellationToken))
            {
                delivered++;
                if (delivered == 1)
                {
                    firstBatch = Stopwatch.GetElapsedTime(start);
                }
                if (delivered == warmupBatches)
                {
                    process.Refresh();
                    cpuStart = process.TotalProcessorTime;
                    steadyStart = Stopwatch.GetTimestamp();
                }
                else if (delivered > warmupBatches)
                {
                    images += batch.Count;
                }
                if (delivered == total)
                {
                    break;
                }
            }
        }
        TimeSpan steady = Stopwatch.GetElapsedTime(steadyStart);
        process.Refresh();
        TimeSpan cpu = process.TotalProcessorTime - cpuStart;
        return new DataBenchmarkResult(dataset.Name, transform?.ToString() ?? "none", batchSize, workers, batches - 1, images, steady, firstBatch)
        {
            CpuTime = cpu,
            Placement = loader.Placement,
            Fused = loader.IsFused,
        };
    }
}
