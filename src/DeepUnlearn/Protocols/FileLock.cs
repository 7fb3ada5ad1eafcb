using System;
using System.IO;
using System.Threading;
using DeepUnlearn.Data;
using DeepUnlearn.Reporting;

namespace DeepUnlearn.Protocols;

/// <summary>
/// An exclusive lock on a file, held while the object lives: .NET opens the file with <see cref="FileShare.None"/>,
/// which on Linux takes an advisory <c>flock(LOCK_EX)</c> on it. The kernel releases it when the process ends, so
/// a preempted job never leaves a stale lock. Works between processes on one machine and, where the file system
/// supports it (NFSv4, Lustre, GPFS with locking on), between machines. The lock file itself is never deleted
/// (deleting it would let two holders in).
/// </summary>
public sealed class FileLock : IDisposable
{
    private readonly FileStream _stream;

    private FileLock(FileStream stream, string path)
    {
        _stream = stream;
        Path = path;
    }

    /// <summary>The lock file.</summary>
    public string Path { get; }

    /// <summary>Takes the lock if it is free; null when another holder has it.</summary>
    public static FileLock? TryAcquire(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path)) ?? ".");
        try
        {
            var stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            var held = new FileLock(stream, path);
            held.WriteOwner();
            return held;
        }
        catch (IOException) when (File.Exists(path))
        {
            return null;
        }
    }

    /// <summary>
    /// Waits for the lock, polling every <paramref name="poll"/>; <paramref name="waiting"/> is called once when
    /// the first attempt finds it held (with the holder's description, when it wrote one).
    /// </summary>
    public static FileLock Acquire(string path, TimeSpan poll, Action<string>? waiting, CancellationToken cancellationToken)
    {
        bool reported = false;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            FileLock? held = TryAcquire(path);
            if (held is not null)
            {
                return held;
            }
            if (!reported)
            {
                waiting?.Invoke(Holder(path));
                reported = true;
            }
            cancellationToken.WaitHandle.WaitOne(poll);
        }
    }

    /// <summary>Who holds the lock at <paramref name="path"/>, as its holder wrote it beside the lock (host and process id).</summary>
    public static string Holder(string path)
    {
        try
        {
            string text = InputFile.ReadAllText(path + ".owner", "lock owner file", 1L << 20).Trim();
            return text.Length > 0 ? text : "another process";
        }
        catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException)
        {
            return "another process";
        }
    }

    /// <summary>Releases the lock.</summary>
    public void Dispose() => _stream.Dispose();

    private void WriteOwner()
    {
        // Who holds it, for the "waiting for ..." message of the others. A side file: the lock file itself cannot be
        // read while locked (.NET takes a shared flock to read it). Informative only, so failures are ignored.
        try
        {
            AtomicFile.WriteAllText(Path + ".owner", $"{Environment.MachineName} pid {Environment.ProcessId} since {DateTimeOffset.UtcNow:u}\n");
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
