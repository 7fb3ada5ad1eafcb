using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;

namespace DeepUnlearn.Reporting;

/// <summary>
/// An output directory owned by one run while it writes (issue: two runs into one <c>--out</c> both exited 0 and one
/// was lost; a run into another run's directory replaced its files). <see cref="Claim"/> takes an exclusive lock file,
/// refuses a directory that already holds files unless the run continues or replaces them, and removes what killed
/// runs left behind: the temporary files of <see cref="AtomicFile"/> and unpublished staging folders.
/// </summary>
/// <remarks>
/// A command whose outputs belong together (a model with the run.json and metrics.json that describe it) writes them
/// with <see cref="Staged"/> into a hidden staging folder inside the directory and calls <see cref="Publish"/> at the
/// end: a run that fails or is killed before then leaves the directory as it found it (an earlier run it was to
/// replace with <c>--overwrite</c> stays whole), and the staging folder goes with <see cref="Dispose"/> or the next
/// <see cref="Claim"/>. Publishing removes the old run.json first, renames each new file over its old namesake and
/// renames the new run.json in last: a kill inside those few renames leaves a directory without run.json (visibly no
/// complete run), never a run.json beside another run's files. Files of a replaced run that the new run does not
/// write are removed when the command names them (<see cref="Publish"/>'s optional files: the parts a command writes
/// only sometimes); any other file in the directory is the user's and stays.
/// </remarks>
public sealed class RunDirectory : IDisposable
{
    /// <summary>The lock file's name; it exists only while a run holds the directory.</summary>
    public const string LockFileName = ".deepunlearn.lock";

    /// <summary>The prefix of staging folders (<see cref="Staged"/>); hidden, one per run.</summary>
    public const string StagingPrefix = ".deepunlearn-staging.";

    /// <summary>The manifest every run writes; <see cref="Publish"/> renames it into place last.</summary>
    public const string ManifestName = "run.json";

    private readonly FileStream _lock;
    private readonly bool _created;
    private bool _published;

    private RunDirectory(string path, FileStream lockStream, int removedTemporaries, bool created)
    {
        Path = path;
        _lock = lockStream;
        _created = created;
        RemovedTemporaries = removedTemporaries;
        StagingPath = System.IO.Path.Combine(path, StagingPrefix + Guid.NewGuid().ToString("N"));
    }

    /// <summary>The directory's full path.</summary>
    public string Path { get; }

    /// <summary>How many leftover temporary files of interrupted atomic writes (and unpublished staging folders) were deleted.</summary>
    public int RemovedTemporaries { get; }

    /// <summary>The hidden folder inside <see cref="Path"/> where this run stages the outputs it publishes together; created by <see cref="Staged"/>.</summary>
    public string StagingPath { get; }

    /// <summary>
    /// Creates <paramref name="path"/> if needed and takes it for this run. <paramref name="mode"/> says what may already
    /// be in it: nothing (<see cref="RunDirectoryMode.New"/>), a run to continue (<see cref="RunDirectoryMode.Resume"/>) or
    /// a run to replace (<see cref="RunDirectoryMode.Overwrite"/>; its files are overwritten as the new run writes them).
    /// </summary>
    /// <exception cref="IOException">Another run holds the directory, or it holds files and the mode is New.</exception>
    public static RunDirectory Claim(string path, RunDirectoryMode mode, string optionName = "--out")
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        string full = System.IO.Path.GetFullPath(path);
        if (File.Exists(full))
        {
            throw new IOException($"{optionName} '{path}' is a file; give a directory (it is created if missing)");
        }
        bool created = !Directory.Exists(full);
        Directory.CreateDirectory(full);
        string lockPath = System.IO.Path.Combine(full, LockFileName);
        FileStream lockStream;
        try
        {
            // FileShare.None is an exclusive advisory lock (flock) on Unix: a second process fails here at once, and a
            // killed process's lock goes with it.
            lockStream = new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.DeleteOnClose);
        }
        catch (IOException e)
        {
            throw new IOException($"another deepunlearn run is writing to '{path}' (it holds {LockFileName}); wait for it or choose another {optionName}", e);
        }
        try
        {
            int removed = 0;
            foreach (string staging in Directory.EnumerateDirectories(full, StagingPrefix + "*").ToList())
            {
                // A killed run's unpublished outputs: never part of any run.
                Directory.Delete(staging, recursive: true);
                removed++;
            }
            foreach (string file in Directory.EnumerateFiles(full, ".*.tmp", SearchOption.AllDirectories).ToList())
            {
                if (AtomicFile.IsTemporaryName(System.IO.Path.GetFileName(file)))
                {
                    File.Delete(file);
                    removed++;
                }
            }
            if (mode == RunDirectoryMode.New)
            {
                string[] existing = Directory.EnumerateFileSystemEntries(full)
                    .Select(System.IO.Path.GetFileName)
                    .Where(name => name is not null && name != LockFileName)
                    .Select(name => name!)
                    .Order(StringComparer.Ordinal)
                    .ToArray();
                if (existing.Length > 0)
                {
                    string listed = string.Join(", ", existing.Take(5)) + (existing.Length > 5 ? $", … ({existing.Length} entries)" : string.Empty);
                    throw new IOException($"{optionName} '{path}' already holds a run ({listed}); pass --resume to continue it, --overwrite to replace it, or choose a new {optionName}");
                }
            }
            return new RunDirectory(full, lockStream, removed, created);
        }
        catch
        {
            lockStream.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Where to write <paramref name="relativePath"/> (e.g. <c>run.json</c>, <c>model/arrays.bin</c>) so that
    /// <see cref="Publish"/> moves it to <see cref="Path"/>; its folder is created.
    /// </summary>
    public string Staged(string relativePath)
    {
        string target = Inside(StagingPath, relativePath);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(target)!);
        return target;
    }

    /// <summary>The staging folder itself, created if missing, for writers that fill a whole folder (a model bundle).</summary>
    public string StagingFolder()
    {
        Directory.CreateDirectory(StagingPath);
        return StagingPath;
    }

    /// <summary>Where <paramref name="relativePath"/> will be once published (for messages and reports).</summary>
    public string Final(string relativePath) => Inside(Path, relativePath);

    /// <summary>
    /// Moves every staged file into <see cref="Path"/>, <see cref="ManifestName"/> last (see the remarks), and removes
    /// the staging folder. Returns the published paths, relative to <see cref="Path"/>, in the order moved.
    /// </summary>
    /// <param name="optional">Files (relative paths) the command writes in some runs and not in others, e.g. a model's
    /// optional parts or a method's sidecar: those this run did not stage are removed from <see cref="Path"/> (after the
    /// old manifest, before the new files arrive), so that a replaced run's file never sits beside this run's as if it
    /// were part of it.</param>
    /// <exception cref="InvalidOperationException">Nothing was staged, or the run was already published.</exception>
    /// <exception cref="IOException">A folder of the outputs is a symbolic link in <see cref="Path"/> (the files are not
    /// written through it), or a file's name is taken by a folder.</exception>
    public IReadOnlyList<string> Publish(IEnumerable<string>? optional = null)
    {
        if (_published)
        {
            throw new InvalidOperationException($"the run in '{Path}' is already published");
        }
        if (!Directory.Exists(StagingPath))
        {
            throw new InvalidOperationException($"the run in '{Path}' staged nothing to publish");
        }
        List<string> files = Directory.EnumerateFiles(StagingPath, "*", SearchOption.AllDirectories)
            .Where(f => !AtomicFile.IsTemporaryName(System.IO.Path.GetFileName(f)))
            .Select(f => System.IO.Path.GetRelativePath(StagingPath, f))
            .OrderBy(f => f == ManifestName ? 1 : 0)
            .ThenBy(f => f, StringComparer.Ordinal)
            .ToList();
        foreach (string file in files)
        {
            RefuseLinkedFolders(file);
        }
        if (files.Contains(ManifestName))
        {
            // From here until the new manifest arrives the directory describes no run (File.Delete removes a link itself).
            File.Delete(Final(ManifestName));
        }
        foreach (string stale in (optional ?? []).Where(o => !files.Contains(o)))
        {
            File.Delete(Final(stale));
        }
        foreach (string file in files)
        {
            string target = Final(file);
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(target)!);
            // rename(2): atomic per file, and it replaces a symlink at the target instead of following it.
            File.Move(System.IO.Path.Combine(StagingPath, file), target, overwrite: true);
        }
        Directory.Delete(StagingPath, recursive: true);
        _published = true;
        return files;
    }

    /// <summary>
    /// Removes what was staged and not published, releases the lock (deleting the lock file) and, when the claim created
    /// the directory and the run left it empty, removes the directory.
    /// </summary>
    public void Dispose()
    {
        try
        {
            if (!_published && Directory.Exists(StagingPath))
            {
                Directory.Delete(StagingPath, recursive: true);
            }
        }
        catch (IOException)
        {
            // The next Claim removes it; the failure that brought us here is the one to report.
        }
        catch (UnauthorizedAccessException)
        {
            // As above.
        }
        finally
        {
            _lock.Dispose();
        }
        if (_created && !_published)
        {
            try
            {
                // A run that failed before writing anything leaves no trace: the folder its claim created goes too
                // (only when still empty: another run may have claimed it since the lock went).
                if (!Directory.EnumerateFileSystemEntries(Path).Any())
                {
                    Directory.Delete(Path);
                }
            }
            catch (IOException)
            {
                // Not empty after all, or gone: either way nothing of this run is left.
            }
            catch (UnauthorizedAccessException)
            {
                // As above.
            }
        }
    }

    private static string Inside(string root, string relativePath)
    {
        ArgumentException.ThrowIfNullOrEmpty(relativePath);
        string full = System.IO.Path.GetFullPath(System.IO.Path.Combine(root, relativePath));
        if (!full.StartsWith(root + System.IO.Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            throw new ArgumentException($"'{relativePath}' is not a path inside the run directory", nameof(relativePath));
        }
        return full;
    }

    // A folder of the outputs that is a symlink in the run directory would carry the files elsewhere.
    private void RefuseLinkedFolders(string relativeFile)
    {
        string? folder = System.IO.Path.GetDirectoryName(relativeFile);
        string current = Path;
        foreach (string part in (folder ?? string.Empty).Split(System.IO.Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries))
        {
            current = System.IO.Path.Combine(current, part);
            if (new DirectoryInfo(current).LinkTarget is not null || new FileInfo(current).LinkTarget is not null)
            {
                throw new IOException($"'{current}' is a symbolic link; a run's outputs are not written through links in its directory (remove it, or choose another --out)");
            }
        }
    }
}
