namespace DeepUnlearn.Protocols;

/// <summary>
/// Which part of the training split a protocol trains on: all of it, or a class-stratified subset of
/// <paramref name="Samples"/> drawn with <paramref name="Seed"/> (the original's seed), the same for the original,
/// every oracle and every cell. The validation hold-out is drawn with the same seed before the subset.
/// </summary>
/// <param name="Samples">Samples kept, or null for the whole training split.</param>
/// <param name="Seed">The seed of the train/validation split and of the subset.</param>
public sealed record TrainSubset(int? Samples, ulong Seed);
