namespace DeepUnlearn.Models;

/// <summary>
/// One place where a <see cref="ModelSpec"/> setting fixes a weight's shape: tensor <paramref name="Tensor"/> has
/// <paramref name="Size"/> along <paramref name="Axis"/> because of <paramref name="Setting"/>. Every other weight of a
/// registered model has a shape independent of the spec (a registry-driven test checks both), so comparing these
/// against a checkpoint's header checks the spec before the model it describes is allocated.
/// </summary>
/// <param name="Tensor">The state-dict name, e.g. <c>fc.weight</c>.</param>
/// <param name="Axis">The axis of the shape.</param>
/// <param name="Size">The size the spec implies.</param>
/// <param name="Setting">The spec's setting, as metadata names it (<c>num_classes</c>, <c>in_channels</c>, <c>image_size</c>).</param>
internal readonly record struct SpecDimension(string Tensor, int Axis, long Size, string Setting);
