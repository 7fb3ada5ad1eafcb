using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using DeepUnlearn.Reporting;
using TorchSharp;

namespace DeepUnlearn.Engine;

/// <summary>
/// Reads and writes safetensors files (huggingface/safetensors) of TorchSharp tensors, with the header's
/// <c>__metadata__</c> string map (which TorchSharp.PyBridge drops): an 8-byte little-endian header length N, N bytes
/// of UTF-8 JSON mapping each tensor name to its dtype, shape and data_offsets (relative to the data buffer), then the
/// raw little-endian, row-major tensor bytes. Files written here load in Python's safetensors and the reverse, and
/// the layout is byte for byte the one DeepUnlearn's first engine (DeepUnlearn.Torch) wrote, so its checkpoints load.
/// </summary>
/// <remarks>
/// Layout of written files, as the reference writer does it: tensors sorted by descending dtype rank
/// (the reference's dtype order: 64-bit types first, then 32, 16 and 8-bit ones), then by name in
/// UTF-8 byte order; the header JSON is compact, starts with <c>__metadata__</c> (keys in ordinal
/// order) when there is any, lists the tensors in data order and is padded with spaces to a multiple
/// of 8 bytes. So the data buffer starts 8-byte aligned and every tensor starts at a multiple of its
/// element size. The order does not depend on the order the tensors were given in.
/// </remarks>
public static class SafeTensors
{
    // Tensors larger than a span can address go through TorchSharp's stream copy in chunks of this size.
    private const int LargeTensorChunk = 1 << 20;

    private static readonly UTF8Encoding s_strictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>
    /// Writes <paramref name="tensors"/> and <paramref name="metadata"/> to <paramref name="path"/>,
    /// atomically: the file is written to a uniquely named temp file in the same directory, flushed to
    /// disk and renamed over <paramref name="path"/>. On any failure the temp file is deleted and an
    /// existing file at <paramref name="path"/> is left as it was.
    /// </summary>
    /// <param name="path">The file to write (its directory is created if missing).</param>
    /// <param name="tensors">Named tensors of any savable dtype (BOOL, U8, I8, I16, F16, BF16, I32, F32, C64, F64, I64), on
    /// any device, contiguous or not; each is copied to the host in turn. Names must be unique and not <c>__metadata__</c>.
    /// A module's <c>state_dict()</c> fits.</param>
    /// <param name="metadata">Optional string map stored as the header's <c>__metadata__</c> (omitted when null or empty).</param>
    public static void Save(string path, IEnumerable<KeyValuePair<string, torch.Tensor>> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(tensors);
        EnsureLittleEndian();

        List<Entry> entries = Plan(path, tensors);
        byte[] header = BuildHeader(entries, metadata);

        // The project's one atomic writer: temp file beside the target, flushed, renamed over it.
        AtomicFile.Write(path, stream =>
        {
            Span<byte> prefix = stackalloc byte[8];
            BinaryPrimitives.WriteUInt64LittleEndian(prefix, (ulong)header.Length);
            stream.Write(prefix);
            stream.Write(header);
            foreach (Entry entry in entries)
            {
                WriteData(stream, entry.Tensor, entry.ByteCount);
            }
        });
    }

    /// <summary>
    /// Loads every tensor of the safetensors file at <paramref name="path"/> onto <paramref name="device"/>
    /// (default CPU), reading each tensor's bytes straight into its storage. The result owns the tensors, whatever
    /// dispose scope is open; dispose it (or <see cref="SafeTensorsFile.Take"/> the ones to keep).
    /// </summary>
    /// <exception cref="FileNotFoundException">No file at <paramref name="path"/>.</exception>
    /// <exception cref="SafeTensorsFormatException">The file is malformed; the message says how.</exception>
    /// <exception cref="NotSupportedException">A tensor has a format dtype TorchSharp cannot hold (U16, U32, U64, F8_E4M3, ...).</exception>
    public static SafeTensorsFile Load(string path, torch.Device? device = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        EnsureLittleEndian();
        using FileStream stream = OpenRead(path, FileOptions.SequentialScan);
        SafeTensorsHeader header = SafeTensorsHeader.Read(stream, path);
        foreach (SafeTensorInfo info in header.Tensors)
        {
            if (info.DType is null)
            {
                throw new NotSupportedException(
                    $"safetensors file '{path}': tensor '{info.Name}' has dtype {info.DTypeName}, which TorchSharp cannot hold; loadable: {SafeTensorsDTypes.LoadableNames}");
            }
        }

        var file = new SafeTensorsFile(path, header);
        bool loaded = false;
        try
        {
            // Header validation guarantees the tensors tile the data buffer in this order, so one
            // sequential pass reads each tensor's bytes exactly once.
            foreach (SafeTensorInfo info in header.Tensors)
            {
                file.Add(info.Name, ReadTensor(stream, info, device));
            }
            loaded = true;
            return file;
        }
        finally
        {
            if (!loaded)
            {
                file.Dispose();
            }
        }
    }

    /// <summary>
    /// Reads and validates only the header of the file at <paramref name="path"/>: names, dtypes, shapes,
    /// offsets and metadata, without loading tensor data (for checking a checkpoint's architecture first).
    /// </summary>
    /// <exception cref="FileNotFoundException">No file at <paramref name="path"/>.</exception>
    /// <exception cref="SafeTensorsFormatException">The file is malformed; the message says how.</exception>
    public static SafeTensorsHeader ReadHeader(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using FileStream stream = OpenRead(path, FileOptions.None);
        return SafeTensorsHeader.Read(stream, path);
    }

    private static torch.Tensor ReadTensor(FileStream stream, SafeTensorInfo info, torch.Device? device)
    {
        // Built outside any dispose scope the caller has open: the file object owns it.
        torch.Tensor host = torch.empty(info.ShapeSpan, info.DType!.Value).DetachFromDisposeScope();
        try
        {
            if (info.ByteCount > int.MaxValue)
            {
                host.ReadBytesFromStream(stream, LargeTensorChunk);
            }
            else if (info.ByteCount > 0)
            {
                stream.ReadExactly(host.bytes);
            }
            if (device is null || device.type == DeviceType.CPU)
            {
                return host;
            }
            torch.Tensor moved = host.to(device).DetachFromDisposeScope();
            host.Dispose();
            return moved;
        }
        catch
        {
            host.Dispose();
            throw;
        }
    }

    private static void WriteData(Stream stream, torch.Tensor tensor, long byteCount)
    {
        if (byteCount == 0)
        {
            return;
        }
        if (tensor.device_type == DeviceType.CPU && tensor.is_contiguous())
        {
            WriteBytes(stream, tensor, byteCount);
            return;
        }
        // A row-major copy on the host, made one tensor at a time so a GPU model is never copied whole; the scope
        // frees the intermediates (never the caller's tensor, which was made before it opened).
        using var scope = torch.NewDisposeScope();
        WriteBytes(stream, tensor.detach().cpu().contiguous(), byteCount);
    }

    private static void WriteBytes(Stream stream, torch.Tensor host, long byteCount)
    {
        if (byteCount > int.MaxValue)
        {
            host.WriteBytesToStream(stream, LargeTensorChunk);
        }
        else
        {
            stream.Write(host.bytes);
        }
    }

    private static FileStream OpenRead(string path, FileOptions options)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"no safetensors file at '{path}'", path);
        }
        // Unbuffered: tensors are read in whole chunks straight into their storage.
        return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 0, options);
    }

    private static List<Entry> Plan(string path, IEnumerable<KeyValuePair<string, torch.Tensor>> tensors)
    {
        var entries = new List<Entry>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (name, tensor) in tensors)
        {
            if (name is null)
            {
                throw new ArgumentException("a tensor name is null", nameof(tensors));
            }
            if (name == SafeTensorsHeader.MetadataKey)
            {
                throw new ArgumentException($"'{SafeTensorsHeader.MetadataKey}' is reserved for the metadata map; it cannot name a tensor", nameof(tensors));
            }
            if (!names.Add(name))
            {
                throw new ArgumentException($"tensor name '{name}' appears twice", nameof(tensors));
            }
            if (tensor is null)
            {
                throw new ArgumentException($"tensor '{name}' is null", nameof(tensors));
            }
            if (tensor.IsInvalid)
            {
                throw new ObjectDisposedException(nameof(torch.Tensor), $"tensor '{name}' is disposed; cannot save it to '{path}'");
            }
            (string dtypeName, int rank, int elementBytes) = SafeTensorsDTypes.Of(tensor.dtype);
            long byteCount = checked(tensor.numel() * elementBytes);
            entries.Add(new Entry(name, Utf8(name, "tensor name"), tensor, dtypeName, rank, tensor.shape, byteCount));
        }
        // The reference writer's order: descending dtype rank, then name (byte order).
        entries.Sort(static (a, b) =>
        {
            int byRank = b.Rank.CompareTo(a.Rank);
            return byRank != 0 ? byRank : a.NameUtf8.AsSpan().SequenceCompareTo(b.NameUtf8);
        });
        return entries;
    }

    private static byte[] BuildHeader(List<Entry> entries, IReadOnlyDictionary<string, string>? metadata)
    {
        var json = new StringBuilder("{");
        bool first = true;
        if (metadata is { Count: > 0 })
        {
            json.Append('"').Append(SafeTensorsHeader.MetadataKey).Append("\":{");
            bool firstItem = true;
            foreach (var (key, value) in metadata.OrderBy(kv => kv.Key, StringComparer.Ordinal))
            {
                if (value is null)
                {
                    throw new ArgumentException($"metadata value of key '{key}' is null; values must be strings", nameof(metadata));
                }
                Utf8(key, "metadata key");
                Utf8(value, $"metadata value of key '{key}'");
                json.Append(firstItem ? "" : ",");
                AppendString(json, key);
                json.Append(':');
                AppendString(json, value);
                firstItem = false;
            }
            json.Append('}');
            first = false;
        }
        long offset = 0;
        foreach (Entry entry in entries)
        {
            json.Append(first ? "" : ",");
            AppendString(json, entry.Name);
            json.Append(":{\"dtype\":\"").Append(entry.DTypeName).Append("\",\"shape\":[");
            json.AppendJoin(',', entry.Shape.Select(d => d.ToString(CultureInfo.InvariantCulture)));
            json.Append(CultureInfo.InvariantCulture, $"],\"data_offsets\":[{offset},{offset + entry.ByteCount}]}}");
            offset += entry.ByteCount;
            first = false;
        }
        json.Append('}');

        byte[] body = Utf8(json.ToString(), "header");
        // Pad with spaces so the data buffer (at 8 + N) starts 8-byte aligned, as the reference does.
        int padding = (8 - (body.Length % 8)) % 8;
        byte[] header = new byte[body.Length + padding];
        body.CopyTo(header, 0);
        header.AsSpan(body.Length).Fill((byte)' ');
        return header;
    }

    /// <summary>Appends a JSON string literal, escaping what JSON requires (quote, backslash, control characters) and nothing else.</summary>
    private static void AppendString(StringBuilder json, string value)
    {
        json.Append('"');
        foreach (char c in value)
        {
            switch (c)
            {
                case '"': json.Append("\\\""); break;
                case '\\': json.Append("\\\\"); break;
                case '\b': json.Append("\\b"); break;
                case '\f': json.Append("\\f"); break;
                case '\n': json.Append("\\n"); break;
                case '\r': json.Append("\\r"); break;
                case '\t': json.Append("\\t"); break;
                default:
                    if (c < 0x20)
                    {
                        json.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}");
                    }
                    else
                    {
                        json.Append(c);
                    }
                    break;
            }
        }
        json.Append('"');
    }

    private static byte[] Utf8(string text, string what)
    {
        try
        {
            return s_strictUtf8.GetBytes(text);
        }
        catch (EncoderFallbackException e)
        {
            throw new ArgumentException($"{what} '{text}' is not valid Unicode (unpaired surrogate)", e);
        }
    }

    private static void EnsureLittleEndian()
    {
        if (!BitConverter.IsLittleEndian)
        {
            throw new PlatformNotSupportedException("safetensors data is little-endian; big-endian hosts are not supported");
        }
    }

    private readonly record struct Entry(string Name, byte[] NameUtf8, torch.Tensor Tensor, string DTypeName, int Rank, long[] Shape, long ByteCount);
}
