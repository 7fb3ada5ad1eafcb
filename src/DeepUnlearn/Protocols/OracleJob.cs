namespace DeepUnlearn.Protocols;

/// <summary>What one retrained oracle is trained from: the original's recipe, without the request's forget set.</summary>
/// <param name="DataSpec">Where the data is.</param>
/// <param name="Original">The original (its checkpoint carries the training recipe, model and split seed).</param>
/// <param name="Request">The forget request, canonical with its draw seed resolved (<c>count:4500@3</c>, <c>classes:airplane</c>).</param>
/// <param name="Subset">The training split used (the original's).</param>
/// <param name="Seed">The oracle's seed (initialisation, shuffling, augmentation).</param>
public sealed record OracleJob(string DataSpec, ModelArtefact Original, string Request, TrainSubset Subset, ulong Seed);
