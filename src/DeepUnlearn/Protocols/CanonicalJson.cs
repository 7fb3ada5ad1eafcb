using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace DeepUnlearn.Protocols;

/// <summary>
/// A canonical JSON form (object keys sorted ordinally, no insignificant whitespace, numbers as written
/// by <see cref="JsonNode"/>) and its SHA-256, so that a hash depends on content, not on formatting or
/// key order. Recipe hashes and retrain-oracle content keys are computed with it.
/// </summary>
public static class CanonicalJson
{
    /// <summary>The canonical text of <paramref name="node"/> (null is the JSON literal <c>null</c>).</summary>
    public static string Serialize(JsonNode? node)
    {
        var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = false }))
        {
            Write(writer, node);
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>The lower-case hex SHA-256 of the canonical text of <paramref name="node"/>.</summary>
    public static string Hash(JsonNode? node) => Sha256Hex(Encoding.UTF8.GetBytes(Serialize(node)));

    /// <summary>The lower-case hex SHA-256 of <paramref name="bytes"/>.</summary>
    public static string Sha256Hex(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    /// <summary>The lower-case hex SHA-256 of a file's content.</summary>
    public static string Sha256File(string path)
    {
        using FileStream stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    /// <summary>The first <paramref name="length"/> characters of a hash read from a file (which may be shorter), for messages.</summary>
    public static string Short(string? hash, int length = 12) =>
        hash is null ? "(none)" : hash.Length <= length ? hash : hash[..length];

    /// <summary>A JSON object from string pairs, keys sorted (for settings dictionaries).</summary>
    public static JsonObject Object(IEnumerable<KeyValuePair<string, string>> pairs)
    {
        ArgumentNullException.ThrowIfNull(pairs);
        var result = new JsonObject();
        foreach (var (key, value) in pairs.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            result[key] = value;
        }
        return result;
    }

    private static void Write(Utf8JsonWriter writer, JsonNode? node)
    {
        switch (node)
        {
            case null:
                writer.WriteNullValue();
                break;
            case JsonObject obj:
                writer.WriteStartObject();
                foreach (var (key, value) in obj.OrderBy(p => p.Key, StringComparer.Ordinal))
                {
                    writer.WritePropertyName(key);
                    Write(writer, value);
                }
                writer.WriteEndObject();
                break;
            case JsonArray array:
                writer.WriteStartArray();
                foreach (JsonNode? item in array)
                {
                    Write(writer, item);
                }
                writer.WriteEndArray();
                break;
            default:
                WriteValue(writer, node.AsValue());
                break;
        }
    }

    private static void WriteValue(Utf8JsonWriter writer, JsonValue value)
    {
        if (value.GetValueKind() != JsonValueKind.Number)
        {
            value.WriteTo(writer);
            return;
        }
        // One spelling per number, so 0.10 and 0.1, or 2 and 2.0, hash alike: integral values as integers,
        // the rest in the shortest round-trip form.
        double d = double.Parse(value.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture);
        if (Math.Abs(d) < 1e15 && d == Math.Floor(d))
        {
            writer.WriteNumberValue((long)d);
        }
        else
        {
            writer.WriteRawValue(d.ToString("R", CultureInfo.InvariantCulture));
        }
    }
}
