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

    /// <summary>Steady-state batches per second.</summary>
    public double BatchesPerSecond => Elapsed > TimeSpan.Zero ? Batches / Elapsed.TotalSeconds : double.PositiveInfinity;
}
