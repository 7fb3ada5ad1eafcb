namespace DeepUnlearn.Protocols;

/// <summary>A trained model in the artefact store, as a runner receives it.</summary>
/// <param name="Key">Its content key.</param>
/// <param name="File">The model file (full path).</param>
/// <param name="Seconds">How long its training took.</param>
public sealed record ModelArtefact(string Key, string File, double Seconds);
