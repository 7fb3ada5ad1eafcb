using System;
using System.IO;
using System.Text;
using System.Text.RegularExpressions;

namespace DeepUnlearn.Reporting;

/// <summary>
/// Writes that never leave a half-written file: the content goes to a temporary file in the same
/// directory, is flushed to disk, then renamed over the target. What was there before survives a crash.
/// </summary>
/// <remarks>
/// Every file DeepUnlearn writes goes through here (checkpoints through <see cref="Engine.SafeTensors.Save"/>, which
/// uses <see cref="Write"/>). The temporary file is created exclusively (<c>O_CREAT | O_EXCL</c>), so it never opens
/// an existing file or a planted symlink, and the rename replaces a symlink at the target itself instead of writing
/// through it: a link planted in an output directory cannot redirect a write elsewhere. Temporaries left by a killed
/// process are named by <see cref="TemporaryPathFor"/> and recognised by <see cref="IsTemporaryName"/> (see
/// <see cref="RunDirectory"/>, which deletes them at the next start).
/// </remarks>
public static partial class AtomicFile
{
    /// <summary>Writes <paramref name="text"/> (UTF-8, no BOM) to <paramref name="path"/> atomically.</summary>
    public static void WriteAllText(string path, string text) => Write(path, stream =>
    {
        byte[] bytes = new UTF8Encoding(false).GetBytes(text);
        stream.Write(bytes);
    });

    /// <summary>Writes <paramref name="bytes"/> to <paramref name="path"/> atomically.</summary>
    public static void WriteAllBytes(string path, ReadOnlySpan<byte> bytes)
    {
        byte[] copy = bytes.ToArray();
        Write(path, stream => stream.Write(copy));
    }

    /// <summary>Copies the file <paramref name="source"/> to <paramref name="path"/> atomically (never through a symlink at <paramref name="path"/>).</summary>
    public static void Copy(string source, string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(source);
        using var input = new FileStream(source, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        Write(path, input.CopyTo);
    }

    /// <summary>
    /// Runs <paramref name="write"/> on a temporary file, then moves it over <paramref name="path"/>; the directory is
    /// created if missing. On any failure the temporary file is deleted and an existing file at <paramref name="path"/>
    /// is left as it was.
    /// </summary>
    public static void Write(string path, Action<Stream> write)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(write);
        string full = Path.GetFullPath(path);
        string directory = Path.GetDirectoryName(full) ?? throw new ArgumentException($"'{path}' names no file", nameof(path));
        Directory.CreateDirectory(directory);
        string temp = TemporaryPathFor(full);
        bool moved = false;
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 1 << 16))
            {
                write(stream);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temp, full, overwrite: true);
            moved = true;
        }
        finally
        {
            if (!moved)
            {
                DeleteQuietly(temp);
            }
        }
    }

    /// <summary>
    /// The temporary file an atomic write of <paramref name="path"/> uses: <c>.NAME.GUID.tmp</c> beside it (hidden, and
    /// unique so concurrent writers never share one).
    /// </summary>
    public static string TemporaryPathFor(string path)
    {
        string full = Path.GetFullPath(path);
        string directory = Path.GetDirectoryName(full) ?? throw new ArgumentException($"'{path}' names no file", nameof(path));
        return Path.Combine(directory, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
    }

    /// <summary>Whether <paramref name="fileName"/> (a name, not a path) is one of <see cref="TemporaryPathFor"/>'s.</summary>
    public static bool IsTemporaryName(string fileName) => TemporaryName().IsMatch(fileName);

    // The failure being reported matters more than a temporary that could not be removed (RunDirectory removes it later).
    private static void DeleteQuietly(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    // TemporaryPathFor's names: ".<name>.<32 hex digits>.tmp".
    [GeneratedRegex(@"^\..+\.[0-9a-f]{32}\.tmp$")]
    private static partial Regex TemporaryName();
}
