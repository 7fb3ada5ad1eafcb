using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using DeepUnlearn.Reporting;

namespace DeepUnlearn.Protocols;

/// <summary>
/// Trained originals and retrained oracles as first-class artefacts, stored under their content key
/// (<see cref="ArtefactKey"/>): <c>ROOT/{kind}-{sha256}/</c> holds the model and <c>artefact.json</c> (key material,
/// file checksums, provenance). A model is trained once: the first process to need it takes a file lock and trains
/// it while every other process that needs it waits on the lock, then reuses the published copy. A directory is
/// published by an atomic rename, so it is either complete or absent; a training interrupted by preemption resumes
/// from <c>ROOT/.work/{name}</c> where the runner supports it.
/// </summary>
public sealed class ArtefactStore
{
    /// <summary>The record file inside every artefact directory.</summary>
    public const string RecordFile = "artefact.json";

    /// <summary>Opens (creating if needed) the store at <paramref name="root"/>.</summary>
    public ArtefactStore(string root)
    {
        ArgumentException.ThrowIfNullOrEmpty(root);
        Root = Path.GetFullPath(root);
        Directory.CreateDirectory(Root);
    }

    /// <summary>The store's directory.</summary>
    public string Root { get; }

    /// <summary>How often a waiting process polls the lock.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Receives "waiting for ..." and "training ..." lines.</summary>
    public IProgress<string>? Status { get; init; }

    /// <summary>The published artefact of <paramref name="key"/>, if there is one.</summary>
    public StoredArtefact? TryGet(ArtefactKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return TryRead(Path.Combine(Root, key.DirectoryName), key.Hash);
    }

    /// <summary>
    /// The artefact of <paramref name="key"/>: the published one, or, after taking its lock, one made by
    /// <paramref name="create"/> (called with the directory to write into and a stable work directory for
    /// resumable state) and published atomically. Concurrent callers for one key, in any process, wait on the
    /// lock and then reuse the result instead of training twice.
    /// </summary>
    public StoredArtefact GetOrCreate(ArtefactKey key, EngineDescription engine, Func<string, string, CancellationToken, TrainedModel> create, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(engine);
        ArgumentNullException.ThrowIfNull(create);
        string final = Path.Combine(Root, key.DirectoryName);
        if (TryRead(final, key.Hash) is StoredArtefact published)
        {
            return published;
        }
        using FileLock held = FileLock.Acquire(
            Path.Combine(Root, ".locks", key.DirectoryName + ".lock"),
            PollInterval,
            holder => Status?.Report($"waiting for {key} ({holder} is training it)"),
            cancellationToken);
        if (TryRead(final, key.Hash) is StoredArtefact trainedMeanwhile)
        {
            return trainedMeanwhile;
        }
        string work = Path.Combine(Root, ".work", key.DirectoryName);
        string temp = Path.Combine(Root, $".tmp-{key.DirectoryName}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(work);
        Directory.CreateDirectory(temp);
        try
        {
            Status?.Report($"training {key}");
            TrainedModel trained = create(temp, work, cancellationToken);
            if (!File.Exists(Path.Combine(temp, trained.File)))
            {
                throw new InvalidOperationException($"the runner reported '{trained.File}' but did not write it");
            }
            var record = new ArtefactRecord
            {
                Kind = key.Kind,
                Key = key.Hash,
                Material = key.Material,
                File = trained.File,
                Files = Checksums(temp),
                Seconds = trained.Seconds,
                TestAccuracy = trained.TestAccuracy,
                Facts = trained.Facts,
                Engine = engine,
            };
            JsonFile.Write(Path.Combine(temp, RecordFile), record);
            if (Directory.Exists(final))
            {
                // An unusable leftover (no record, or a foreign key); move it aside rather than mix files.
                Discard(final);
            }
            Directory.Move(temp, final);
            Directory.Delete(work, recursive: true);
            return TryRead(final, key.Hash) ?? throw new InvalidOperationException($"artefact {final} vanished after publication");
        }
        finally
        {
            if (Directory.Exists(temp))
            {
                Directory.Delete(temp, recursive: true);
            }
        }
    }

    /// <summary>Every published artefact, by kind then key.</summary>
    public IReadOnlyList<StoredArtefact> List() =>
        PublishedDirectories().Select(d => TryRead(d, expectedKey: null)).OfType<StoredArtefact>()
            .OrderBy(a => a.Record.Kind, StringComparer.Ordinal).ThenBy(a => a.Record.Key, StringComparer.Ordinal).ToArray();

    /// <summary>Checks every artefact directory: key against material, name against key, files against checksums.</summary>
    public IReadOnlyList<ArtefactVerification> Verify() => PublishedDirectories().Select(Verify).ToArray();

    /// <summary>Checks one artefact directory.</summary>
    public static ArtefactVerification Verify(string directory)
    {
        var problems = new List<string>();
        string recordPath = Path.Combine(directory, RecordFile);
        ArtefactRecord record;
        try
        {
            record = JsonFile.Read<ArtefactRecord>(recordPath);
        }
        catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException)
        {
            return new ArtefactVerification(directory, null, [$"{RecordFile} cannot be read: {e.Message}"]);
        }
        var key = new ArtefactKey(record.Kind, record.Material);
        if (key.Hash != record.Key)
        {
            problems.Add($"the key {CanonicalJson.Short(record.Key)}… is not the hash of its material ({key.Hash[..12]}…): the record was edited");
        }
        if (Path.GetFileName(Path.TrimEndingDirectorySeparator(directory)) != $"{record.Kind}-{record.Key}")
        {
            problems.Add($"the directory is not named {record.Kind}-{record.Key}");
        }
        foreach (ArtefactFile file in record.Files)
        {
            string path = Path.Combine(directory, file.Name);
            if (!File.Exists(path))
            {
                problems.Add($"{file.Name} is missing");
                continue;
            }
            long bytes = new FileInfo(path).Length;
            if (bytes != file.Bytes)
            {
                problems.Add($"{file.Name} has {bytes} bytes, the record says {file.Bytes}");
            }
            else if (CanonicalJson.Sha256File(path) != file.Sha256)
            {
                problems.Add($"{file.Name} does not match its SHA-256");
            }
        }
        if (!record.Files.Any(f => f.Name == record.File))
        {
            problems.Add($"the model file {record.File} is not among the checksummed files");
        }
        foreach (string extra in Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(directory, f))
            .Where(f => f != RecordFile && !record.Files.Any(x => x.Name == f)))
        {
            problems.Add($"{extra} is not part of the artefact");
        }
        return new ArtefactVerification(directory, record, problems);
    }

    private IEnumerable<string> PublishedDirectories() =>
        Directory.EnumerateDirectories(Root)
            .Where(d => !Path.GetFileName(d).StartsWith('.'))
            .Order(StringComparer.Ordinal);

    private static StoredArtefact? TryRead(string directory, string? expectedKey)
    {
        string recordPath = Path.Combine(directory, RecordFile);
        if (!File.Exists(recordPath))
        {
            return null;
        }
        try
        {
            ArtefactRecord record = JsonFile.Read<ArtefactRecord>(recordPath);
            if (expectedKey is not null && record.Key != expectedKey)
            {
                return null;
            }
            // Cheap integrity check on every use (sizes); `oracles verify` checks the hashes.
            bool complete = record.Files.All(f => File.Exists(Path.Combine(directory, f.Name)) && new FileInfo(Path.Combine(directory, f.Name)).Length == f.Bytes);
            return complete ? new StoredArtefact(directory, record) : null;
        }
        catch (InvalidDataException)
        {
            return null;
        }
    }

    private static List<ArtefactFile> Checksums(string directory) =>
        Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories)
            .Select(f => new ArtefactFile(Path.GetRelativePath(directory, f), new FileInfo(f).Length, CanonicalJson.Sha256File(f)))
            .OrderBy(f => f.Name, StringComparer.Ordinal)
            .ToList();

    private void Discard(string directory)
    {
        string trash = Path.Combine(Root, $".trash-{Path.GetFileName(directory)}-{Guid.NewGuid():N}");
        Directory.Move(directory, trash);
        Directory.Delete(trash, recursive: true);
    }
}
