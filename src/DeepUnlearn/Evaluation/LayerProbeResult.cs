namespace DeepUnlearn.Evaluation;

/// <summary>The representation probe's verdict on one layer's output.</summary>
/// <param name="Layer">The layer (state-dict prefix, e.g. <c>layer2</c>; <c>penultimate</c> for the head's input).</param>
/// <param name="Result">The probe on that layer's output (conv maps averaged over space).</param>
public sealed record LayerProbeResult(string Layer, ProbeResult Result);
