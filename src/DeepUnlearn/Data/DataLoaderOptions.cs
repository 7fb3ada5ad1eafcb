using TorchSharp;
using static TorchSharp.torch;

namespace DeepUnlearn.Data;

/// <summary>How a <see cref="DataLoader"/> batches, shuffles, prefetches and places its batches.</summary>
public sealed record DataLoaderOptions
{
    /// <summary>Samples per batch (the last batch may be smaller unless <see cref="DropLast"/>).</summary>
    public int BatchSize { get; init; } = 128;

    /// <summary>Visit the ids in a new seeded random order every epoch (epoch e shuffles with seed + e).</summary>
    public bool Shuffle { get; init; } = true;

    /// <summary>Drop the last batch of an epoch when it is smaller than <see cref="BatchSize"/>.</summary>
    public bool DropLast { get; init; }

    /// <summary>Background threads that read, decode and transform batches; 0 builds each batch on the consumer's thread.</summary>
    public int Workers { get; init; } = 2;

    /// <summary>The bound of the prefetch queue, in batches (0 = twice the worker count).</summary>
    public int Prefetch { get; init; }

    /// <summary>The seed of the shuffles and of the per-sample random transforms.</summary>
    public ulong Seed { get; init; }

    /// <summary>
    /// Where the float conversion, the flip and the normalisation run (<see cref="AugmentationPlacement"/>): by default on
    /// the device for CUDA, on the loader's threads for the CPU.
    /// </summary>
    public AugmentationPlacement Augmentation { get; init; } = AugmentationPlacement.Auto;

    /// <summary>
    /// Let the loader run recognised pipelines fused (RandomResizedCrop → flip → normalise resampled straight from the
    /// uint8 pixels into the batch; the same values to the bit). False runs every transform separately: the reference,
    /// for tests and <c>bench data</c>.
    /// </summary>
    public bool FuseTransforms { get; init; } = true;

    /// <summary>Where batches are delivered; they are built on the CPU and moved there by the workers.</summary>
    public Device Device { get; init; } = torch.CPU;
}
