using System;

namespace DeepUnlearn.Data;

/// <summary>The outcome of <see cref="DataBenchmark.Measure"/>.</summary>
/// <param name="Dataset">The dataset's name.</param>
/// <param name="Transform">The pipeline's description.</param>
/// <param name="BatchSize">Samples per batch.</param>
/// <param name="Workers">Worker threads.</param>
/// <param name="Batches">Batches timed (after the first).</param>
/// <param name="Images">Images in the timed batches.</param>
/// <param name="Elapsed">Time for the timed batches.</param>
/// <param name="FirstBatch">Time to the first batch (start-up latency).</param>
public sealed record DataBenchmarkResult(
    string Dataset,
    string Transform,
    int BatchSize,
    int Workers,
    int Batches,
    int Images,
    TimeSpan Elapsed,
    TimeSpan FirstBatch)
{
    /// <summary>Steady-state throughput, images per second.</summary>
    public double ImagesPerSecond => Elapsed > TimeSpan.Zero ? Images / Elapsed.TotalSeconds : double.PositiveInfinity;

    /// <summary>
    /// CPU time the whole process used (every thread: loader workers, the consumer, the garbage collector) while the
    /// timed batches were delivered; zero when not measured.
    /// </summary>
    public TimeSpan CpuTime { get; init; }

    /// <summary>
    /// Images per CPU-second of this process (<see cref="Images"/> / <see cref="CpuTime"/>): the throughput of one
    /// fully used core, which stays meaningful on a shared machine where wall-clock rates depend on the neighbours.
    /// </summary>
    public double ImagesPerCpuSecond => CpuTime > TimeSpan.Zero ? Images / CpuTime.TotalSeconds : double.NaN;

    /// <summary>Where the loader finished the batches.</summary>
    public AugmentationPlacement Placement { get; init; } = AugmentationPlacement.Host;

    /// <summary>Whether the pipeline ran fused (<see cref="DataLoaderOptions.FuseTransforms"/>).</summary>
    public bool Fused { get; init; }

    /// <summary>Steady-state batches per second.</summary>
    public double BatchesPerSecond => Elapsed > TimeSpan.Zero ? Batches / Elapsed.TotalSeconds : double.PositiveInfinity;
}
