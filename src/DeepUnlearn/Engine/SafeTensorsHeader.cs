using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text.Json;
using System.Text.Unicode;
using ScalarType = TorchSharp.torch.ScalarType;

namespace DeepUnlearn.Engine;

/// <summary>
/// The parsed and validated header of a safetensors file: every tensor's name, dtype, shape and byte
/// range, plus the <c>__metadata__</c> string map. Reading it touches only the first 8 + N bytes of the
/// file, so a checkpoint's architecture can be checked before any tensor data is loaded.
/// </summary>
public sealed class SafeTensorsHeader
{
    /// <summary>The key of the header's string map; no tensor may carry this name.</summary>
    public const string MetadataKey = "__metadata__";

    /// <summary>The largest header the reference implementation accepts (100 MB); bigger means a corrupt file.</summary>
    public const long MaxHeaderLength = 100_000_000;

    private readonly Dictionary<string, SafeTensorInfo> _byName;

    private SafeTensorsHeader(List<SafeTensorInfo> tensors, IReadOnlyDictionary<string, string> metadata, long headerLength, long dataLength)
    {
        Tensors = tensors;
        Metadata = metadata;
        HeaderLength = headerLength;
        DataLength = dataLength;
        _byName = new Dictionary<string, SafeTensorInfo>(tensors.Count, StringComparer.Ordinal);
        foreach (SafeTensorInfo info in tensors)
        {
            _byName.Add(info.Name, info);
        }
    }

    /// <summary>The tensors in file order (ascending data offsets).</summary>
    public IReadOnlyList<SafeTensorInfo> Tensors { get; }

    /// <summary>The <c>__metadata__</c> map, in header order; empty when the file has none.</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; }

    /// <summary>N, the length of the JSON header in bytes (padding included).</summary>
    public long HeaderLength { get; }

    /// <summary>The file offset where the data buffer starts (8 + N).</summary>
    public long DataStart => 8 + HeaderLength;

    /// <summary>The length of the data buffer in bytes.</summary>
    public long DataLength { get; }

    /// <summary>The tensor named <paramref name="name"/>; throws <see cref="KeyNotFoundException"/> listing the names when absent.</summary>
    public SafeTensorInfo this[string name] =>
        _byName.TryGetValue(name, out SafeTensorInfo? info)
            ? info
            : throw new KeyNotFoundException($"no tensor '{name}' in the header; present: {string.Join(", ", _byName.Keys)}");

    /// <summary>True when a tensor named <paramref name="name"/> is in the header.</summary>
    public bool Contains(string name) => _byName.ContainsKey(name);

    /// <summary>Looks up a tensor by name.</summary>
    public bool TryGetTensor(string name, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out SafeTensorInfo? info) =>
        _byName.TryGetValue(name, out info);

    /// <summary>Reads and validates the header from <paramref name="stream"/>, positioned at the file start; leaves it at the data buffer.</summary>
    internal static SafeTensorsHeader Read(Stream stream, string path)
    {
        long fileLength = stream.Length;
        if (fileLength < 8)
        {
            throw Fail(path, $"file is {fileLength} bytes long, shorter than the 8-byte header-length prefix");
        }
        Span<byte> prefix = stackalloc byte[8];
        stream.ReadExactly(prefix);
        ulong n = BinaryPrimitives.ReadUInt64LittleEndian(prefix);
        if (n > MaxHeaderLength)
        {
            throw Fail(path, $"header length {n} bytes exceeds the {MaxHeaderLength}-byte limit (corrupt or not a safetensors file)");
        }
        long available = fileLength - 8;
        if ((long)n > available)
        {
            throw Fail(path, $"header length {n} bytes is larger than the {available} bytes that follow the 8-byte prefix (truncated file?)");
        }
        var json = new byte[n];
        stream.ReadExactly(json);
        return Parse(json, available - (long)n, path);
    }

    /// <summary>Parses and validates the JSON header against a data buffer of <paramref name="dataLength"/> bytes.</summary>
    internal static SafeTensorsHeader Parse(byte[] json, long dataLength, string path)
    {
        if (!Utf8.IsValid(json))
        {
            throw Fail(path, "header is not valid UTF-8");
        }
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException e)
        {
            throw Fail(path, $"header is not valid JSON: {e.Message}", e);
        }
        using (document)
        {
            JsonElement root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw Fail(path, $"header JSON is {Describe(root)}, not an object mapping tensor names to entries");
            }
            var seen = new HashSet<string>(StringComparer.Ordinal);
            var tensors = new List<SafeTensorInfo>();
            IReadOnlyDictionary<string, string>? metadata = null;
            foreach (JsonProperty property in root.EnumerateObject())
            {
                if (!seen.Add(property.Name))
                {
                    throw Fail(path, $"header names '{property.Name}' twice (duplicate key)");
                }
                if (property.Name == MetadataKey)
                {
                    metadata = ParseMetadata(property.Value, path);
                }
                else
                {
                    tensors.Add(ParseEntry(property.Name, property.Value, dataLength, path));
                }
            }
            CheckCoverage(tensors, dataLength, path);
            return new SafeTensorsHeader(tensors, metadata ?? new Dictionary<string, string>(), json.Length, dataLength);
        }
    }

    internal static SafeTensorsFormatException Fail(string path, string problem, Exception? inner = null) =>
        new(path, problem, inner);

    private static OrderedDictionary<string, string> ParseMetadata(JsonElement value, string path)
    {
        if (value.ValueKind != JsonValueKind.Object)
        {
            throw Fail(path, $"\"{MetadataKey}\" is {Describe(value)}, not an object of string values");
        }
        var metadata = new OrderedDictionary<string, string>(StringComparer.Ordinal);
        foreach (JsonProperty item in value.EnumerateObject())
        {
            if (item.Value.ValueKind != JsonValueKind.String)
            {
                throw Fail(path, $"\"{MetadataKey}\" value of key '{item.Name}' is {Describe(item.Value)}, not a string");
            }
            if (!metadata.TryAdd(item.Name, item.Value.GetString()!))
            {
                throw Fail(path, $"\"{MetadataKey}\" names key '{item.Name}' twice (duplicate key)");
            }
        }
        return metadata;
    }

    private static SafeTensorInfo ParseEntry(string name, JsonElement entry, long dataLength, string path)
    {
        if (entry.ValueKind != JsonValueKind.Object)
        {
            throw Fail(path, $"entry of tensor '{name}' is {Describe(entry)}, not an object with \"dtype\", \"shape\" and \"data_offsets\"");
        }
        JsonElement dtypeElement = Required(entry, "dtype", JsonValueKind.String, "a string", name, path);
        string dtypeName = dtypeElement.GetString()!;
        if (!SafeTensorsDTypes.TryParse(dtypeName, out _, out int bits, out ScalarType? dtype))
        {
            throw Fail(path, $"tensor '{name}' has unknown dtype \"{dtypeName}\"; valid: {SafeTensorsDTypes.ValidNames}");
        }

        JsonElement shapeElement = Required(entry, "shape", JsonValueKind.Array, "an array of integers", name, path);
        var shape = new long[shapeElement.GetArrayLength()];
        int d = 0;
        foreach (JsonElement dim in shapeElement.EnumerateArray())
        {
            shape[d] = Integer(dim, $"shape[{d}] of tensor '{name}'", path);
            d++;
        }
        for (d = 0; d < shape.Length; d++)
        {
            if (shape[d] < 0)
            {
                throw Fail(path, $"tensor '{name}' has negative dimension {shape[d]} in shape {Format(shape)}");
            }
        }

        JsonElement offsetsElement = Required(entry, "data_offsets", JsonValueKind.Array, "an array [begin, end]", name, path);
        if (offsetsElement.GetArrayLength() != 2)
        {
            throw Fail(path, $"\"data_offsets\" of tensor '{name}' has {offsetsElement.GetArrayLength()} items, not [begin, end]");
        }
        long begin = Integer(offsetsElement[0], $"data_offsets[0] of tensor '{name}'", path);
        long end = Integer(offsetsElement[1], $"data_offsets[1] of tensor '{name}'", path);
        string range = string.Create(CultureInfo.InvariantCulture, $"[{begin}, {end}]");
        if (begin < 0 || end < 0)
        {
            throw Fail(path, $"data_offsets {range} of tensor '{name}' are negative");
        }
        if (end < begin)
        {
            throw Fail(path, $"data_offsets {range} of tensor '{name}' end before they begin");
        }
        if (end > dataLength)
        {
            throw Fail(path, $"data_offsets {range} of tensor '{name}' reach past the end of the data buffer ({dataLength} bytes after the header)");
        }

        long numEl;
        long byteCount;
        try
        {
            numEl = 1;
            foreach (long dim in shape)
            {
                numEl = checked(numEl * dim);
            }
            long totalBits = checked(numEl * bits);
            if (totalBits % 8 != 0)
            {
                throw Fail(path, $"tensor '{name}' of {dtypeName} with shape {Format(shape)} is {totalBits} bits, not a whole number of bytes");
            }
            byteCount = totalBits / 8;
        }
        catch (OverflowException e)
        {
            throw Fail(path, $"tensor '{name}' with shape {Format(shape)} of {dtypeName} has more bytes than a 64-bit size can count", e);
        }
        if (end - begin != byteCount)
        {
            throw Fail(path, $"tensor '{name}' is {dtypeName} with shape {Format(shape)}, {byteCount} bytes, but its data_offsets {range} span {end - begin} bytes");
        }
        return new SafeTensorInfo(name, dtypeName, dtype, shape, numEl, begin, end);
    }

    /// <summary>Checks that the byte ranges tile the data buffer: no overlaps, no holes, nothing left over.</summary>
    private static void CheckCoverage(List<SafeTensorInfo> tensors, long dataLength, string path)
    {
        tensors.Sort(static (a, b) =>
        {
            int byBegin = a.DataBegin.CompareTo(b.DataBegin);
            return byBegin != 0 ? byBegin : a.DataEnd.CompareTo(b.DataEnd);
        });
        long covered = 0;
        SafeTensorInfo? previous = null;
        foreach (SafeTensorInfo info in tensors)
        {
            if (info.DataBegin < covered)
            {
                throw Fail(path, string.Create(
                    CultureInfo.InvariantCulture,
                    $"data_offsets [{info.DataBegin}, {info.DataEnd}] of tensor '{info.Name}' overlap tensor '{previous!.Name}' at [{previous.DataBegin}, {previous.DataEnd}]"));
            }
            if (info.DataBegin > covered)
            {
                throw Fail(path, string.Create(
                    CultureInfo.InvariantCulture,
                    $"bytes [{covered}, {info.DataBegin}) of the data buffer belong to no tensor (a hole before tensor '{info.Name}')"));
            }
            covered = info.DataEnd;
            previous = info;
        }
        if (covered != dataLength)
        {
            throw Fail(path, string.Create(
                CultureInfo.InvariantCulture,
                $"the data buffer has {dataLength} bytes but the tensors cover only [0, {covered}); the rest belongs to no tensor"));
        }
    }

    private static JsonElement Required(JsonElement entry, string key, JsonValueKind kind, string expected, string name, string path)
    {
        if (!entry.TryGetProperty(key, out JsonElement value))
        {
            throw Fail(path, $"entry of tensor '{name}' has no \"{key}\"");
        }
        if (value.ValueKind != kind)
        {
            throw Fail(path, $"\"{key}\" of tensor '{name}' is {Describe(value)}, not {expected}");
        }
        return value;
    }

    private static long Integer(JsonElement value, string what, string path)
    {
        if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt64(out long result))
        {
            throw Fail(path, $"{what} is {Describe(value)}, not a 64-bit integer");
        }
        return result;
    }

    private static string Describe(JsonElement value)
    {
        string raw = value.GetRawText();
        if (raw.Length > 40)
        {
            raw = string.Concat(raw.AsSpan(0, 37), "...");
        }
        string kind = value.ValueKind switch
        {
            JsonValueKind.Object => "an object",
            JsonValueKind.Array => "an array",
            JsonValueKind.String => "a string",
            JsonValueKind.Number => "a number",
            JsonValueKind.True or JsonValueKind.False => "a boolean",
            JsonValueKind.Null => "null",
            _ => value.ValueKind.ToString(),
        };
        return value.ValueKind == JsonValueKind.Null ? kind : $"{kind} ({raw})";
    }

    private static string Format(long[] shape) => "[" + string.Join(", ", shape) + "]";
}
