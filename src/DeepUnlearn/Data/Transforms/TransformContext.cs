using System;

namespace DeepUnlearn.Data.Transforms;

/// <summary>
/// The state a transform pipeline works on for one sample: the current image, a spare image that
/// size-changing transforms write into (then <see cref="SwapBuffers"/>), and a random generator seeded
/// from (seed, epoch, sample id) alone, so an augmentation never depends on which worker thread ran it
/// or in what order. One context per thread; it is reused from sample to sample.
/// </summary>
public sealed class TransformContext
{
    private const ulong TransformSalt = 0x7472616E73666F72UL;

    /// <summary>Creates a context whose per-sample generators derive from <paramref name="seed"/>.</summary>
    public TransformContext(ulong seed = 0)
    {
        Seed = seed;
        Random = new DeterministicRandom(0);
    }

    /// <summary>The base seed.</summary>
    public ulong Seed { get; }

    /// <summary>The epoch of the current sample.</summary>
    public int Epoch { get; private set; }

    /// <summary>The id of the current sample.</summary>
    public int SampleId { get; private set; }

    /// <summary>The image the next transform reads (and, in place, writes).</summary>
    public FloatImage Image { get; private set; } = new();

    /// <summary>A spare image for transforms that produce a new size; call <see cref="SwapBuffers"/> after writing it.</summary>
    public FloatImage Scratch { get; private set; } = new();

    /// <summary>The sample's random generator (reseeded by <see cref="BeginSample"/>).</summary>
    public DeterministicRandom Random { get; }

    /// <summary>Starts a sample: reseeds <see cref="Random"/> from (seed, epoch, id).</summary>
    public void BeginSample(int epoch, int sampleId)
    {
        Epoch = epoch;
        SampleId = sampleId;
        Random.Reseed(DeterministicRandom.Hash(Seed ^ TransformSalt, (ulong)(uint)epoch, (ulong)(uint)sampleId));
    }

    /// <summary>Makes <see cref="Scratch"/> the current image (and the old image the spare).</summary>
    public void SwapBuffers() => (Image, Scratch) = (Scratch, Image);

    /// <summary>
    /// Runs <paramref name="transform"/> on a copy of <paramref name="input"/> as sample
    /// (<paramref name="epoch"/>, <paramref name="sampleId"/>) and returns a new image (for tests and tools).
    /// </summary>
    public FloatImage Run(IImageTransform transform, FloatImage input, int epoch = 0, int sampleId = 0)
    {
        ArgumentNullException.ThrowIfNull(transform);
        ArgumentNullException.ThrowIfNull(input);
        BeginSample(epoch, sampleId);
        Image.CopyFrom(input);
        transform.Apply(this);
        var result = new FloatImage();
        result.CopyFrom(Image);
        return result;
    }
}
