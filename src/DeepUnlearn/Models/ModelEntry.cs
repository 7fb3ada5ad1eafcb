namespace DeepUnlearn.Models;

/// <summary>A registered model: its name, a one-line description and whether it has CIFAR/ImageNet stems.</summary>
/// <param name="Name">The registry name (<c>resnet18</c>).</param>
/// <param name="Description">What the model is and where it comes from.</param>
/// <param name="HasStems">Whether <see cref="ModelOptions.Stem"/> changes the architecture.</param>
public sealed record ModelEntry(string Name, string Description, bool HasStems);
