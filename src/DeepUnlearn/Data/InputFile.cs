using System;
using System.Globalization;
using System.IO;
using System.Text;

namespace DeepUnlearn.Data;

/// <summary>
/// Reads a file the user named (a config, an id or class list, a CSV, a corpus, a recipe, labels, a JSON record) with
/// a size limit, so that a wrong path such as <c>/dev/zero</c> or a multi-gigabyte file fails at once with a message
/// that names the file, the limit and how to raise it, instead of exhausting memory. The limit is checked before
/// reading where the file's size is known, and while reading otherwise (devices, pipes, files that grow).
/// </summary>
/// <remarks>
/// Each caller passes a limit sized for its kind of file (a config: 16 MiB; an id list: 64 MiB; a corpus: 1 GiB).
/// <see cref="LimitVariable"/> raises every limit for users whose files are genuinely larger; it never lowers one.
/// Image files have their own caps (<see cref="Imaging.ImageLimits"/>); dataset binaries are checked against the
/// sizes their formats imply by their readers.
/// </remarks>
public static class InputFile
{
    /// <summary>The default limit: 64 MiB, far above any config or id list of ImageNet's size (1.3 M ids ≈ 10 MB).</summary>
    public const long DefaultLimit = 64L << 20;

    /// <summary>The environment variable that raises every input-file limit to this many MiB (a whole number from 1 to 1,048,576).</summary>
    public const string LimitVariable = "DU_MAX_INPUT_MB";

    private const long MaxVariableMiB = 1L << 20;

    /// <summary>The whole file as text (UTF-8 unless <paramref name="encoding"/> says otherwise; a byte-order mark is honoured).</summary>
    /// <param name="path">The file.</param>
    /// <param name="what">What it is, for messages, e.g. "--config" or "forget id file".</param>
    /// <param name="maxBytes">The largest size accepted (raised by <see cref="LimitVariable"/>).</param>
    /// <param name="encoding">The text encoding; UTF-8 without BOM by default.</param>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">It is a directory or larger than the limit; or <see cref="LimitVariable"/> is invalid.</exception>
    public static string ReadAllText(string path, string what, long maxBytes = DefaultLimit, Encoding? encoding = null)
    {
        using Stream stream = OpenRead(path, what, maxBytes);
        using var reader = new StreamReader(stream, encoding ?? new UTF8Encoding(false), detectEncodingFromByteOrderMarks: true);
        return reader.ReadToEnd();
    }

    /// <summary>The file's lines (see <see cref="ReadAllText"/>); line ends are \n or \r\n.</summary>
    /// <inheritdoc cref="ReadAllText" path="/exception"/>
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

    /// <summary>The whole file as bytes (see <see cref="ReadAllText"/>).</summary>
    /// <inheritdoc cref="ReadAllText" path="/exception"/>
    public static byte[] ReadAllBytes(string path, string what, long maxBytes = DefaultLimit)
    {
        using Stream stream = OpenRead(path, what, Math.Min(maxBytes, Array.MaxLength));
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        return buffer.ToArray();
    }

    /// <summary>
    /// A text reader over the file for line-by-line parsing (see <see cref="OpenRead"/>): reading past the limit throws
    /// the limit's message.
    /// </summary>
    /// <inheritdoc cref="ReadAllText" path="/exception"/>
    public static StreamReader OpenText(string path, string what, long maxBytes = DefaultLimit) =>
        new(OpenRead(path, what, maxBytes), new UTF8Encoding(false), detectEncodingFromByteOrderMarks: true);

    /// <summary>
    /// A read-only stream over the file that refuses to deliver more than the limit: a file known to be larger is refused
    /// before reading, a device or pipe when its data passes the limit.
    /// </summary>
    /// <inheritdoc cref="ReadAllText" path="/exception"/>
    public static Stream OpenRead(string path, string what, long maxBytes = DefaultLimit)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentException.ThrowIfNullOrEmpty(what);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxBytes);
        long limit = EffectiveLimit(maxBytes);
        if (Directory.Exists(path))
        {
            throw new InvalidDataException($"{what} '{path}' is a directory; give a file");
        }
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"{what} '{path}' does not exist", path);
        }
        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        try
        {
            if (stream.CanSeek && stream.Length > limit)
            {
                throw TooLarge(path, what, limit, stream.Length);
            }
            return new LimitedStream(stream, limit, () => TooLarge(path, what, limit, null));
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    /// <summary>
    /// The limit in force for a caller whose own limit is <paramref name="maxBytes"/>: the larger of it and
    /// <see cref="LimitVariable"/>'s value.
    /// </summary>
    /// <exception cref="InvalidDataException"><see cref="LimitVariable"/> is set but not a whole number of MiB in range.</exception>
    public static long EffectiveLimit(long maxBytes)
    {
        string? text = Environment.GetEnvironmentVariable(LimitVariable);
        if (string.IsNullOrWhiteSpace(text))
        {
            return maxBytes;
        }
        if (!long.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out long mib) || mib < 1 || mib > MaxVariableMiB)
        {
            throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture, $"{LimitVariable}='{text}' is not valid: give the largest input file to read in MiB, a whole number from 1 to {MaxVariableMiB:N0}"));
        }
        return Math.Max(maxBytes, mib << 20);
    }

    private static InvalidDataException TooLarge(string path, string what, long limit, long? size)
    {
        string actual = size is long s ? string.Create(CultureInfo.InvariantCulture, $"it holds {s:N0} bytes") : "it delivers more (a device or pipe?)";
        long suggestion = Math.Max(((size ?? limit) >> 20) + 1, (limit >> 20) * 2);
        return new InvalidDataException(string.Create(CultureInfo.InvariantCulture,
            $"{what} '{path}' is larger than the limit of {limit:N0} bytes ({limit >> 20} MiB): {actual}. Is it the right file? To read a larger one, set {LimitVariable} (MiB), e.g. {LimitVariable}={suggestion}"));
    }

    /// <summary>Delivers at most the limit's bytes of the inner stream; asking for more throws.</summary>
    private sealed class LimitedStream(Stream inner, long limit, Func<Exception> tooLarge) : Stream
    {
        private long _delivered;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => _delivered;
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            if (buffer.IsEmpty)
            {
                return 0;
            }
            // Ask for one byte beyond the limit so that a file of exactly the limit passes and one byte more does not.
            long room = limit - _delivered + 1;
            int read = inner.Read(buffer[..(int)Math.Min(buffer.Length, room)]);
            _delivered += read;
            if (_delivered > limit)
            {
                throw tooLarge();
            }
            return read;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
            }
            base.Dispose(disposing);
        }
    }
}
