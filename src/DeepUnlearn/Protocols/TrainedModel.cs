using System.Collections.Generic;

namespace DeepUnlearn.Protocols;

/// <summary>What a runner reports about a model it trained.</summary>
/// <param name="File">The model file's name inside the output directory.</param>
/// <param name="Seconds">Training wall time.</param>
/// <param name="TestAccuracy">Test accuracy in percent over all classes (the original's guard reads it), if measured.</param>
/// <param name="Facts">Anything else worth keeping (epochs, final loss).</param>
public sealed record TrainedModel(string File, double Seconds, double? TestAccuracy, IReadOnlyDictionary<string, double> Facts);
