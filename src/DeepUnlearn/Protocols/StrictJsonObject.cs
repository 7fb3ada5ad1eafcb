using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.Json;

namespace DeepUnlearn.Protocols;

/// <summary>
/// Reads one JSON object of a recipe strictly: every key must be among the ones the schema allows at that
/// place (the error lists them), types are checked, and every error names the file and the JSON path.
/// </summary>
internal sealed class StrictJsonObject
{
    private readonly JsonElement _element;

    public StrictJsonObject(JsonElement element, string source, string path, IReadOnlyCollection<string> validKeys)
    {
        Source = source;
        Path = path;
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw Error($"must be a JSON object, not {Describe(element)}");
        }
        foreach (JsonProperty property in element.EnumerateObject())
        {
            if (!validKeys.Contains(property.Name))
            {
                throw new RecipeFormatException(
                    $"{source}: {path}: unknown key '{property.Name}'; valid keys here: {string.Join(", ", validKeys)}");
            }
        }
        _element = element;
    }

    public string Source { get; }

    public string Path { get; }

    public bool Has(string key) => _element.TryGetProperty(key, out JsonElement value) && value.ValueKind != JsonValueKind.Null;

    public RecipeFormatException Error(string message) => new($"{Source}: {Path}: {message}");

    public RecipeFormatException Error(string key, string message) => new($"{Source}: {Path}.{key}: {message}");

    public JsonElement Required(string key) =>
        _element.TryGetProperty(key, out JsonElement value) && value.ValueKind != JsonValueKind.Null
            ? value
            : throw Error($"the key '{key}' is required");

    public JsonElement? Optional(string key) =>
        _element.TryGetProperty(key, out JsonElement value) && value.ValueKind != JsonValueKind.Null ? value : null;

    public string RequiredString(string key) => AsString(key, Required(key));

    public string? OptionalString(string key) => Optional(key) is JsonElement e ? AsString(key, e) : null;

    public double? OptionalNumber(string key) => Optional(key) is JsonElement e ? AsNumber(key, e) : null;

    public int? OptionalInt(string key)
    {
        if (Optional(key) is not JsonElement e)
        {
            return null;
        }
        return e.ValueKind == JsonValueKind.Number && e.TryGetInt32(out int value)
            ? value
            : throw Error(key, $"must be an integer, not {Describe(e)}");
    }

    public ulong RequiredUInt64(string key) => AsUInt64(key, Required(key));

    public IReadOnlyList<ulong>? OptionalSeeds(string key)
    {
        if (Optional(key) is not JsonElement e)
        {
            return null;
        }
        ulong[] seeds = Array(key, e).Select((item, i) => AsUInt64($"{key}[{i}]", item)).ToArray();
        if (seeds.Length == 0)
        {
            throw Error(key, "must list at least one seed");
        }
        if (seeds.Distinct().Count() != seeds.Length)
        {
            throw Error(key, $"lists a seed twice ({string.Join(", ", seeds)})");
        }
        return seeds;
    }

    public IReadOnlyList<string> OptionalStrings(string key) =>
        Optional(key) is JsonElement e ? Array(key, e).Select((item, i) => AsString($"{key}[{i}]", item)).ToArray() : [];

    public StrictJsonObject Object(string key, IReadOnlyCollection<string> validKeys) =>
        new(Required(key), Source, $"{Path}.{key}", validKeys);

    public StrictJsonObject? OptionalObject(string key, IReadOnlyCollection<string> validKeys) =>
        Optional(key) is JsonElement e ? new StrictJsonObject(e, Source, $"{Path}.{key}", validKeys) : null;

    public IReadOnlyList<JsonElement> Array(string key, JsonElement element) =>
        element.ValueKind == JsonValueKind.Array
            ? element.EnumerateArray().ToArray()
            : throw Error(key, $"must be a JSON array, not {Describe(element)}");

    /// <summary>
    /// A settings object (<c>{"learning_rate": 0.01, "milestones": [91, 136]}</c>) as key → text pairs in the
    /// spelling <c>--set</c> takes: strings as they are, numbers and booleans as written, arrays comma-joined.
    /// </summary>
    public SortedDictionary<string, string> Settings(string key)
    {
        var result = new SortedDictionary<string, string>(StringComparer.Ordinal);
        if (Optional(key) is not JsonElement e)
        {
            return result;
        }
        if (e.ValueKind != JsonValueKind.Object)
        {
            throw Error(key, $"must be a JSON object of settings, not {Describe(e)}");
        }
        foreach (JsonProperty p in e.EnumerateObject())
        {
            result[p.Name] = SettingText($"{key}.{p.Name}", p.Value);
        }
        return result;
    }

    public string SettingText(string key, JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString() ?? string.Empty,
        JsonValueKind.Number => NumberText(value),
        JsonValueKind.True or JsonValueKind.False => value.GetRawText(),
        JsonValueKind.Array => string.Join(",", value.EnumerateArray().Select((item, i) => item.ValueKind switch
        {
            JsonValueKind.Number => NumberText(item),
            JsonValueKind.String => item.GetString(),
            _ => throw Error($"{key}[{i}]", $"must be a number or a string, not {Describe(item)}"),
        })),
        _ => throw Error(key, $"must be a string, number, boolean or array of numbers, not {Describe(value)}"),
    };

    /// <summary>One spelling per number (0.10 → 0.1, 2.0 → 2), so equal settings hash alike.</summary>
    private static string NumberText(JsonElement number)
    {
        double d = number.GetDouble();
        return Math.Abs(d) < 1e15 && d == Math.Floor(d)
            ? ((long)d).ToString(CultureInfo.InvariantCulture)
            : d.ToString("R", CultureInfo.InvariantCulture);
    }

    public string AsString(string key, JsonElement e) =>
        e.ValueKind == JsonValueKind.String ? e.GetString()! : throw Error(key, $"must be a string, not {Describe(e)}");

    public double AsNumber(string key, JsonElement e) =>
        e.ValueKind == JsonValueKind.Number ? e.GetDouble() : throw Error(key, $"must be a number, not {Describe(e)}");

    public ulong AsUInt64(string key, JsonElement e) =>
        e.ValueKind == JsonValueKind.Number && e.TryGetUInt64(out ulong value)
            ? value
            : throw Error(key, $"must be a non-negative integer, not {Describe(e)}");

    private static string Describe(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.String => $"the string \"{e.GetString()}\"",
        JsonValueKind.Number => $"the number {e.GetRawText()}",
        JsonValueKind.Array => "an array",
        JsonValueKind.Object => "an object",
        JsonValueKind.True or JsonValueKind.False => $"the boolean {e.GetRawText()}",
        _ => e.ValueKind.ToString().ToLower(CultureInfo.InvariantCulture),
    };
}
