using System.Collections.Generic;

namespace DeepUnlearn.Data.ImageNet;

/// <summary>
/// A checked subset build: every class found, every file listed, labels and names resolved, before anything is
/// written. Made by <see cref="ImageNetSubsetBuilder.Plan"/>.
/// </summary>
public sealed class ImageNetSubsetPlan
{
    internal ImageNetSubsetPlan(IlsvrcLayout layout, ImageNetClassList classList, IReadOnlyList<ImageNetSubsetClass> classes, string validationLabels,
        string? namesFrom, IReadOnlyList<(string Source, string Target)> files)
    {
        Layout = layout;
        ClassList = classList;
        Classes = classes;
        ValidationLabels = validationLabels;
        NamesFrom = namesFrom;
        Files = files;
    }

    /// <summary>The source's layout.</summary>
    public IlsvrcLayout Layout { get; }

    /// <summary>The class list requested.</summary>
    public ImageNetClassList ClassList { get; }

    /// <summary>The classes in label (sorted wnid) order, with their image counts.</summary>
    public IReadOnlyList<ImageNetSubsetClass> Classes { get; }

    /// <summary>How the validation images are labelled.</summary>
    public string ValidationLabels { get; }

    /// <summary>The file the class names come from, or null.</summary>
    public string? NamesFrom { get; }

    /// <summary>Every image: its source path and its path relative to the output (<c>train/&lt;wnid&gt;/file</c>, <c>val/&lt;wnid&gt;/file</c>).</summary>
    public IReadOnlyList<(string Source, string Target)> Files { get; }
}
