namespace DeepUnlearn.Data.ImageNet;

/// <summary>How the subset builder places each source image in the output.</summary>
public enum FilePlacement
{
    /// <summary>A hard link where the file system allows one (same volume), a copy otherwise.</summary>
    Auto,

    /// <summary>Hard links only; an error when a link cannot be made.</summary>
    HardLink,

    /// <summary>Copies only (the output stays valid if the source is deleted or edited in place).</summary>
    Copy,
}
