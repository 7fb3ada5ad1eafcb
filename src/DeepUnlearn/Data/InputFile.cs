using System;
using System.Globalization;
using System.IO;
using System.Text;

namespace DeepUnlearn.Data;

/// <summary>
/// Reads a small text file the user named (a config, an id or class list, a CSV, labels) with a size limit, so that a
/// wrong path such as <c>/dev/zero</c> or a multi-gigabyte file fails at once with a message that names the file
/// instead of exhausting memory. The limit is checked before reading where the file's size is known, and while
/// reading otherwise (devices, pipes).
/// </summary>
public static class InputFile
{
    /// <summary>The default limit: 64 MiB, far above any config or id list of ImageNet's size (1.3 M ids ≈ 10 MB).</summary>
    public const long DefaultLimit = 64L << 20;

    /// <summary>The whole file as text (UTF-8; a byte-order mark is honoured).</summary>
    /// <param name="path">The file.</param>
    /// <param name="what">What it is, for messages, e.g. "--config" or "forget id file".</param>
    /// <param name="maxBytes">The largest size accepted.</param>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">It is larger than <paramref name="maxBytes"/>.</exception>
    public static string ReadAllText(string path, string what, long maxBytes = DefaultLimit)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxBytes);
        if (Directory.Exists(path))
        {
            throw new InvalidDataException($"{what} '{path}' is a directory; give a file");
        }
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"{what} '{path}' does not exist", path);
        }
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
        if (stream.CanSeek && stream.Length > maxBytes)
        {
            throw TooLarge(path, what, maxBytes, stream.Length);
        }
        using var buffer = new MemoryStream();
        byte[] chunk = new byte[1 << 16];
        int read;
        while ((read = stream.Read(chunk, 0, chunk.Length)) > 0)
        {
            if (buffer.Length + read > maxBytes)
            {
                throw TooLarge(path, what, maxBytes, null);
            }
            buffer.Write(chunk, 0, read);
        }
        buffer.Position = 0;
        using var reader = new StreamReader(buffer, new UTF8Encoding(false), detectEncodingFromByteOrderMarks: true);
        return reader.ReadToEnd();
    }

    /// <summary>The file's lines (see <see cref="ReadAllText"/>); line ends are \n or \r\n.</summary>
    public static string[] ReadAllLines(string path, string what, long maxBytes = DefaultLimit)
    {
        string text = ReadAllText(path, what, maxBytes);
        string[] lines = text.Split('\n');
        for (int i = 0; i < lines.Length; i++)
        {
            if (lines[i].EndsWith('\r'))
            {
                lines[i] = lines[i][..^1];
            }
        }
        // A final line end does not start another line (as File.ReadAllLines).
        return text.EndsWith('\n') ? lines[..^1] : lines;
    }

    private static InvalidDataException TooLarge(string path, string what, long maxBytes, long? size)
    {
        string actual = size is long s ? string.Create(CultureInfo.InvariantCulture, $" ({s:N0} bytes)") : " (more, read from a stream)";
        return new InvalidDataException(string.Create(CultureInfo.InvariantCulture, $"{what} '{path}' is larger than {maxBytes:N0} bytes{actual}; is it the right file?"));
    }
}
