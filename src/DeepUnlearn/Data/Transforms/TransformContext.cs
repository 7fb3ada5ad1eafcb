using System;

namespace DeepUnlearn.Data.Transforms;

/// <summary>
/// The state a transform pipeline works on for one sample: the current image, a spare image that
/// size-changing transforms write into (then <see cref="SwapBuffers"/>), and a random generator seeded
/// from (seed, epoch, sample id) alone, so an augmentation never depends on which worker thread ran it
/// or in what order. One context per thread; it is reused from sample to sample.
/// <para>
/// A sample may start as its uint8 pixels (<see cref="SetSource"/>): they become the float <see cref="Image"/> the
/// first time a transform asks for it, unless the first transform reads just the part it needs from the bytes
/// (<see cref="TryTakeSource"/>: RandomResizedCrop its window, CenterCrop its crop, Resize nothing when the size is
/// already right). The result is the same to the bit; only the conversion of pixels no transform uses is saved.
/// </para>
/// </summary>
public sealed class TransformContext
{
    private const ulong TransformSalt = 0x7472616E73666F72UL;

    private FloatImage _image = new();
    private ImageBuffer? _source;

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

    /// <summary>The image the next transform reads (and, in place, writes); a pending uint8 source is converted (x / 255) first.</summary>
    public FloatImage Image
    {
        get
        {
            if (_source is not null)
            {
                _image.LoadFrom(_source);
                _source = null;
            }
            return _image;
        }
    }

    /// <summary>A spare image for transforms that produce a new size; call <see cref="SwapBuffers"/> after writing it.</summary>
    public FloatImage Scratch { get; private set; } = new();

    /// <summary>The sample's random generator (reseeded by <see cref="BeginSample"/>).</summary>
    public DeterministicRandom Random { get; }

    /// <summary>Starts a sample: reseeds <see cref="Random"/> from (seed, epoch, id).</summary>
    public void BeginSample(int epoch, int sampleId)
    {
        Epoch = epoch;
        SampleId = sampleId;
        _source = null;
        Random.Reseed(DeterministicRandom.Hash(Seed ^ TransformSalt, (ulong)(uint)epoch, (ulong)(uint)sampleId));
    }

    /// <summary>
    /// Makes the sample's pixels <paramref name="source"/> (uint8 CHW, values / 255 as torchvision's ToTensor), without
    /// converting them yet. <paramref name="source"/> must stay unchanged until the sample's transforms have run.
    /// </summary>
    public void SetSource(ImageBuffer source)
    {
        ArgumentNullException.ThrowIfNull(source);
        _source = source;
    }

    /// <summary>
    /// For a transform that can read the uint8 pixels directly: the pending source, if the image is still only that
    /// (no transform has asked for <see cref="Image"/>). Taking it makes the transform responsible for writing its
    /// result into <see cref="Scratch"/> and calling <see cref="SwapBuffers"/>.
    /// </summary>
    public bool TryTakeSource(out ImageBuffer source)
    {
        source = _source!;
        _source = null;
        return source is not null;
    }

    /// <summary>The pending uint8 source, if the image is still only that (it stays pending).</summary>
    public bool TryPeekSource(out ImageBuffer source)
    {
        source = _source!;
        return source is not null;
    }

    /// <summary>Makes <see cref="Scratch"/> the current image (and the old image the spare).</summary>
    public void SwapBuffers()
    {
        if (_source is not null)
        {
            throw new InvalidOperationException("SwapBuffers with the sample's uint8 source still pending: take it (TryTakeSource) or read Image first");
        }
        (_image, Scratch) = (Scratch, _image);
    }

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
