namespace DeepUnlearn.Protocols;

/// <summary>The dataset of a protocol.</summary>
/// <param name="Name">Its catalogue name (<c>cifar10</c>, <c>fashion-mnist</c>, <c>folder</c>, ...).</param>
/// <param name="Spec">
/// Where to read it by default (<c>fashion-mnist</c>, <c>cifar10:/data/cifar-10-batches-bin</c>); null when the
/// user must give <c>--data</c>. The location is not part of the recipe hash: the data's content fingerprint is.
/// </param>
/// <param name="NumClasses">The number of classes the protocol expects (checked against the data).</param>
/// <param name="Description">What the data is (e.g. which 100 ImageNet classes), for the report.</param>
public sealed record RecipeDataset(string Name, string? Spec, int NumClasses, string? Description);
