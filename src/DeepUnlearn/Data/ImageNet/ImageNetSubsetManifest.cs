using System.Collections.Generic;

namespace DeepUnlearn.Data.ImageNet;

/// <summary>
/// <c>imagenet-subset.json</c>, written last into a build: what was built from what. Its presence marks the output
/// complete (the output folder itself only appears, by rename, once it is written).
/// </summary>
public sealed record ImageNetSubsetManifest
{
    /// <summary>The file's name in the output folder.</summary>
    public const string FileName = "imagenet-subset.json";

    /// <summary>The format identifier.</summary>
    public const string FormatName = "deepunlearn.imagenet-subset";

    /// <summary>The format identifier (<see cref="FormatName"/>).</summary>
    public string Format { get; init; } = FormatName;

    /// <summary>The format version (1).</summary>
    public int Version { get; init; } = 1;

    /// <summary>Where the class list came from.</summary>
    public required string ClassList { get; init; }

    /// <summary>The classes in label order.</summary>
    public required IReadOnlyList<ImageNetSubsetClass> Classes { get; init; }

    /// <summary>The ILSVRC-2012 root read.</summary>
    public required string Source { get; init; }

    /// <summary>How the validation images were labelled, and by which file.</summary>
    public required string ValidationLabels { get; init; }

    /// <summary>The file the class names came from, or null when none was found.</summary>
    public string? NamesFrom { get; init; }

    /// <summary>Training images in total.</summary>
    public int TrainImages { get; init; }

    /// <summary>Validation images in total.</summary>
    public int ValImages { get; init; }

    /// <summary>Images placed by hard link.</summary>
    public int Linked { get; init; }

    /// <summary>Images placed by copy.</summary>
    public int Copied { get; init; }

    /// <summary>Images already in place from an interrupted earlier run of the same build.</summary>
    public int Resumed { get; init; }
}
