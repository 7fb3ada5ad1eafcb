using System.IO;

namespace DeepUnlearn.Protocols;

/// <summary>A published artefact: its directory and record.</summary>
/// <param name="Directory">The artefact's directory.</param>
/// <param name="Record">Its <c>artefact.json</c>.</param>
public sealed record StoredArtefact(string Directory, ArtefactRecord Record)
{
    /// <summary>The model file's full path.</summary>
    public string FilePath => Path.Combine(Directory, Record.File);

    /// <summary>As a runner receives it.</summary>
    public ModelArtefact AsModel() => new(Record.Key, FilePath, Record.Seconds);
}
