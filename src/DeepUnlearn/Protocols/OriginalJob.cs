using System.Collections.Generic;

namespace DeepUnlearn.Protocols;

/// <summary>What the original model of a protocol is trained from.</summary>
/// <param name="DataSpec">Where the data is (<c>cifar10:/data/...</c>).</param>
/// <param name="Model">The architecture.</param>
/// <param name="Training">The training settings (<c>TrainingConfig</c> keys; the seed is <paramref name="Subset"/>'s).</param>
/// <param name="Subset">The training split used and the seed of the original.</param>
public sealed record OriginalJob(string DataSpec, RecipeModel Model, IReadOnlyDictionary<string, string> Training, TrainSubset Subset);
