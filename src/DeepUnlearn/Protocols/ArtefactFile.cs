namespace DeepUnlearn.Protocols;

/// <summary>One file of a stored artefact and its checksum.</summary>
/// <param name="Name">Its path relative to the artefact directory.</param>
/// <param name="Bytes">Its size.</param>
/// <param name="Sha256">Its SHA-256 (hex).</param>
public sealed record ArtefactFile(string Name, long Bytes, string Sha256);
