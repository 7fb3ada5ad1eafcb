using System;

namespace DeepUnlearn.Training;

/// <summary>Where a training run is, reported after every step (the CLI draws progress bars from it).</summary>
/// <param name="Epoch">The current epoch (0-based).</param>
/// <param name="Epochs">Total epochs.</param>
/// <param name="Step">Steps done in this epoch.</param>
/// <param name="StepsPerEpoch">Steps per epoch.</param>
/// <param name="Loss">Running mean training loss of this epoch.</param>
/// <param name="ImagesPerSecond">Throughput of this epoch so far.</param>
/// <param name="Eta">Estimated time left for the whole run.</param>
public readonly record struct TrainingProgress(int Epoch, int Epochs, int Step, int StepsPerEpoch, double Loss, double ImagesPerSecond, TimeSpan Eta);
