namespace DeepUnlearn.Protocols;

/// <summary>The architecture of a protocol.</summary>
/// <param name="Name">A registered model name (<c>resnet18</c>, <c>smallcnn</c>, ...).</param>
/// <param name="Stem"><c>cifar</c> or <c>imagenet</c> for models with both stems; null picks by image size.</param>
public sealed record RecipeModel(string Name, string? Stem);
