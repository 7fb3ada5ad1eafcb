namespace DeepUnlearn.Data.ImageNet;

/// <summary>One class of a built subset.</summary>
/// <param name="Label">Its label: the index of its folder in sorted order, as ImageFolder reads it.</param>
/// <param name="Wnid">Its WordNet id (the folder name).</param>
/// <param name="Name">Its name from the wnid mapping (the wnid itself when no mapping was found).</param>
/// <param name="TrainImages">Training images.</param>
/// <param name="ValImages">Validation images.</param>
public sealed record ImageNetSubsetClass(int Label, string Wnid, string Name, int TrainImages, int ValImages);
