namespace DeepUnlearn.Data.ImageNet;

/// <summary>What <see cref="ImageNetSubsetBuilder"/> builds, from where.</summary>
public sealed record ImageNetSubsetOptions
{
    /// <summary>The ILSVRC-2012 copy (see <see cref="IlsvrcLayout"/>).</summary>
    public required string ImageNetRoot { get; init; }

    /// <summary>The output folder; it appears, complete, only when the build finishes.</summary>
    public required string OutputDirectory { get; init; }

    /// <summary>The classes; ImageNet-100 (CMC's list) by default.</summary>
    public ImageNetClassList Classes { get; init; } = ImageNetClassList.ImageNet100;

    /// <summary>The devkit folder, when not under the root.</summary>
    public string? DevkitDirectory { get; init; }

    /// <summary><c>LOC_val_solution.csv</c>, when not under the root.</summary>
    public string? LocSolutionFile { get; init; }

    /// <summary><c>LOC_synset_mapping.txt</c>, when not under the root.</summary>
    public string? SynsetMappingFile { get; init; }

    /// <summary>Hard links or copies.</summary>
    public FilePlacement Placement { get; init; } = FilePlacement.Auto;
}
