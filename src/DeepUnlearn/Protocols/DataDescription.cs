using System.Collections.Generic;

namespace DeepUnlearn.Protocols;

/// <summary>A dataset as the protocol sees it.</summary>
/// <param name="Fingerprint">A hash of its content (sizes, class names, labels), part of every content key.</param>
/// <param name="NumClasses">Its classes.</param>
/// <param name="TrainCount">Samples in the training split (before the validation hold-out).</param>
/// <param name="TestCount">Samples in the test split.</param>
/// <param name="ClassNames">The class names.</param>
public sealed record DataDescription(string Fingerprint, int NumClasses, int TrainCount, int TestCount, IReadOnlyList<string> ClassNames);
