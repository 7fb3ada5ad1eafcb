namespace DeepUnlearn.Data.ImageNet;

/// <summary>What <see cref="ImageNetSubsetBuilder.Build"/> did.</summary>
/// <param name="OutputDirectory">The complete output folder.</param>
/// <param name="Manifest">Its manifest.</param>
/// <param name="AlreadyComplete">True when the output was already a complete build of the same classes (nothing was done).</param>
public sealed record ImageNetSubsetResult(string OutputDirectory, ImageNetSubsetManifest Manifest, bool AlreadyComplete);
