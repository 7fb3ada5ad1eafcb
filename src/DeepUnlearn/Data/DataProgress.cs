namespace DeepUnlearn.Data;

/// <summary>Progress of a long data preparation step (building a subset, packing a store).</summary>
/// <param name="Phase">What is being done, e.g. "train" or "val".</param>
/// <param name="Done">Items finished in this phase.</param>
/// <param name="Total">Items in this phase.</param>
public readonly record struct DataProgress(string Phase, long Done, long Total);
