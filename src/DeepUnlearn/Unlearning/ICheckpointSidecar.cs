using System;

namespace DeepUnlearn.Unlearning;

/// <summary>
/// A file a method produces that belongs beside the checkpoint of the model it returns, such as PGU's retain
/// space, which lets a later request on that checkpoint skip a pass over the retain data. Whoever writes the
/// checkpoint writes its sidecars next to it; the outcome disposes them.
/// </summary>
public interface ICheckpointSidecar : IDisposable
{
    /// <summary>Writes the sidecar beside the checkpoint at <paramref name="checkpointPath"/> (atomically) and returns its path.</summary>
    string SaveBeside(string checkpointPath);
}
