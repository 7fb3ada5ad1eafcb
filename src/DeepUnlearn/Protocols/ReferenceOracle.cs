namespace DeepUnlearn.Protocols;

/// <summary>
/// A retrained model from the artefact store that a retrain cell records as a reference of the per-example attacks:
/// the same request's oracle trained with another seed (<see cref="ContentKeys.Oracle"/>).
/// </summary>
/// <param name="Seed">Its training seed.</param>
/// <param name="Model">The stored model.</param>
public sealed record ReferenceOracle(ulong Seed, ModelArtefact Model);
