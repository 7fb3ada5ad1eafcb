using System;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;

namespace DeepUnlearn.Reporting;

/// <summary>
/// An output directory owned by one run while it writes (issue: two runs into one <c>--out</c> both exited 0 and one
/// was lost; a run into another run's directory replaced its files). <see cref="Claim"/> takes an exclusive lock file,
/// refuses a directory that already holds files unless the run continues or replaces them, and removes the temporary
/// files that killed runs of <see cref="AtomicFile"/> left behind.
/// </summary>
public sealed partial class RunDirectory : IDisposable
{
    /// <summary>The lock file's name; it exists only while a run holds the directory.</summary>
    public const string LockFileName = ".deepunlearn.lock";

    private readonly FileStream _lock;

    private RunDirectory(string path, FileStream lockStream, int removedTemporaries)
    {
        Path = path;
        _lock = lockStream;
        RemovedTemporaries = removedTemporaries;
    }

    /// <summary>The directory's full path.</summary>
    public string Path { get; }

    /// <summary>How many leftover temporary files of interrupted atomic writes were deleted.</summary>
    public int RemovedTemporaries { get; }

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
            foreach (string file in Directory.EnumerateFiles(full, ".*.tmp", SearchOption.AllDirectories).ToList())
            {
                if (TemporaryName().IsMatch(System.IO.Path.GetFileName(file)))
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
            return new RunDirectory(full, lockStream, removed);
        }
        catch
        {
            lockStream.Dispose();
            throw;
        }
    }

    /// <summary>Releases the lock (and deletes the lock file).</summary>
    public void Dispose() => _lock.Dispose();

    // AtomicFile's temporaries: ".<name>.<32 hex digits>.tmp".
    [GeneratedRegex(@"^\..+\.[0-9a-f]{32}\.tmp$")]
    private static partial Regex TemporaryName();
}
