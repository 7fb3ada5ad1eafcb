using System;
using System.Collections.Generic;
using System.Linq;

namespace DeepUnlearn.Data;

/// <summary>
/// A dataset held in memory as one contiguous array of uint8 CHW pixels (sample after sample) and one
/// array of labels: what the CIFAR and IDX readers produce. Reading a sample is a span copy.
/// </summary>
public sealed class InMemoryVisionDataset : IVisionDataset
{
    private readonly byte[] _pixels;
    private readonly int[] _labels;
    private readonly string[] _classNames;

    /// <summary>Creates a dataset over <paramref name="pixels"/> and <paramref name="labels"/> (taken, not copied).</summary>
    /// <param name="name">A short name for reports.</param>
    /// <param name="pixels">Count × channels × height × width bytes, CHW per sample.</param>
    /// <param name="labels">One label per sample, each in 0..classNames.Count-1.</param>
    /// <param name="channels">Channels per sample (1 or 3).</param>
    /// <param name="height">Sample height.</param>
    /// <param name="width">Sample width.</param>
    /// <param name="classNames">The class names.</param>
    /// <param name="normalization">Normalisation statistics; computed from the pixels when null.</param>
    public InMemoryVisionDataset(
        string name,
        byte[] pixels,
        int[] labels,
        int channels,
        int height,
        int width,
        IReadOnlyList<string> classNames,
        ChannelStatistics? normalization = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(pixels);
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(classNames);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(channels);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        if (classNames.Count == 0)
        {
            throw new ArgumentException("a dataset needs at least one class name", nameof(classNames));
        }
        long sampleLength = (long)channels * height * width;
        if (pixels.LongLength != labels.LongLength * sampleLength)
        {
            throw new ArgumentException(
                $"{pixels.Length} pixel bytes do not match {labels.Length} samples of {channels}x{height}x{width} ({labels.LongLength * sampleLength} bytes)",
                nameof(pixels));
        }
        for (int i = 0; i < labels.Length; i++)
        {
            if ((uint)labels[i] >= (uint)classNames.Count)
            {
                throw new ArgumentException(
                    $"sample {i} has label {labels[i]}, but the dataset has {classNames.Count} classes (labels 0..{classNames.Count - 1})",
                    nameof(labels));
            }
        }
        if (normalization is not null && normalization.Channels != channels)
        {
            throw new ArgumentException($"normalisation has {normalization.Channels} channels, the samples have {channels}", nameof(normalization));
        }
        Name = name;
        _pixels = pixels;
        _labels = labels;
        _classNames = classNames.ToArray();
        Channels = channels;
        Height = height;
        Width = width;
        SampleLength = (int)sampleLength;
        Normalization = normalization ?? (labels.Length > 0 ? ChannelStatistics.Compute(pixels, channels, height, width) : ChannelStatistics.Identity(channels));
    }

    /// <inheritdoc />
    public string Name { get; }

    /// <inheritdoc />
    public int Count => _labels.Length;

    /// <inheritdoc />
    public IReadOnlyList<string> ClassNames => _classNames;

    /// <inheritdoc />
    public int NumClasses => _classNames.Length;

    /// <inheritdoc />
    public int Channels { get; }

    /// <inheritdoc />
    public int Height { get; }

    /// <inheritdoc />
    public int Width { get; }

    /// <summary>Bytes per sample (channels × height × width).</summary>
    public int SampleLength { get; }

    /// <inheritdoc />
    public ChannelStatistics Normalization { get; }

    /// <summary>All pixels, sample after sample, CHW.</summary>
    public ReadOnlyMemory<byte> Pixels => _pixels;

    /// <inheritdoc />
    public ReadOnlyMemory<int> Labels => _labels;

    /// <inheritdoc />
    public int Label(int id)
    {
        CheckId(id);
        return _labels[id];
    }

    /// <summary>The pixels of sample <paramref name="id"/> (uint8 CHW), without copying.</summary>
    public ReadOnlySpan<byte> Sample(int id)
    {
        CheckId(id);
        return _pixels.AsSpan(id * SampleLength, SampleLength);
    }

    /// <inheritdoc />
    public void Read(int id, ImageBuffer destination)
    {
        ArgumentNullException.ThrowIfNull(destination);
        ReadOnlySpan<byte> sample = Sample(id);
        destination.Resize(Channels, Height, Width);
        sample.CopyTo(destination.Pixels);
    }

    /// <summary>Copies the samples <paramref name="ids"/> back to back into <paramref name="destination"/> (uint8 NCHW).</summary>
    public void ReadBatch(ReadOnlySpan<int> ids, Span<byte> destination)
    {
        if (destination.Length != ids.Length * SampleLength)
        {
            throw new ArgumentException($"destination holds {destination.Length} bytes, {ids.Length} samples need {ids.Length * SampleLength}", nameof(destination));
        }
        for (int i = 0; i < ids.Length; i++)
        {
            Sample(ids[i]).CopyTo(destination.Slice(i * SampleLength, SampleLength));
        }
    }

    private void CheckId(int id)
    {
        if ((uint)id >= (uint)_labels.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(id), id, $"sample id out of range: {Name} has ids 0..{_labels.Length - 1}");
        }
    }
}
