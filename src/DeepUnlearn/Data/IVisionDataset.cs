using System;
using System.Collections.Generic;

namespace DeepUnlearn.Data;

/// <summary>
/// An image classification dataset whose samples are addressed by a stable integer id: the sample's
/// index in the dataset's canonical order (file order for CIFAR and IDX, sorted class then sorted file
/// for folders). Forget, retain and validation sets are sets of these ids. Implementations are
/// thread-safe for reading, so loader workers share one instance.
/// </summary>
public interface IVisionDataset
{
    /// <summary>A short name for reports and manifests (<c>cifar10</c>, <c>fashion-mnist</c>, ...).</summary>
    string Name { get; }

    /// <summary>The number of samples; ids run from 0 to Count - 1.</summary>
    int Count { get; }

    /// <summary>The class names; label k names class <c>ClassNames[k]</c>.</summary>
    IReadOnlyList<string> ClassNames { get; }

    /// <summary>The number of classes (the length of <see cref="ClassNames"/>).</summary>
    int NumClasses { get; }

    /// <summary>The channels of every sample as read (1 gray, 3 RGB).</summary>
    int Channels { get; }

    /// <summary>The height of every sample, or 0 when samples differ in size (image folders).</summary>
    int Height { get; }

    /// <summary>The width of every sample, or 0 when samples differ in size (image folders).</summary>
    int Width { get; }

    /// <summary>The per-channel mean and standard deviation conventionally used to normalise this dataset.</summary>
    ChannelStatistics Normalization { get; }

    /// <summary>Every label, indexed by id.</summary>
    ReadOnlyMemory<int> Labels { get; }

    /// <summary>The label of sample <paramref name="id"/>.</summary>
    int Label(int id);

    /// <summary>
    /// Reads sample <paramref name="id"/> into <paramref name="destination"/> as uint8 CHW, resizing it
    /// to the sample's size. Image folders decode the file here.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The id is not in 0..Count-1.</exception>
    /// <exception cref="System.IO.InvalidDataException">The sample's file cannot be decoded (the message names it).</exception>
    void Read(int id, ImageBuffer destination);
}
