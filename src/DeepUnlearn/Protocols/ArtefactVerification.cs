using System.Collections.Generic;

namespace DeepUnlearn.Protocols;

/// <summary>The outcome of checking one artefact directory.</summary>
/// <param name="Directory">The directory checked.</param>
/// <param name="Record">Its record, when it could be read.</param>
/// <param name="Problems">What is wrong (empty when intact).</param>
public sealed record ArtefactVerification(string Directory, ArtefactRecord? Record, IReadOnlyList<string> Problems)
{
    /// <summary>Whether the artefact is intact: its key matches its material and every file its checksum.</summary>
    public bool Ok => Problems.Count == 0;
}
