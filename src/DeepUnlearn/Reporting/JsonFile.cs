using System.IO;
using System.Text.Json;
using System.Text.Json.Serialization;
using DeepUnlearn.Data;

namespace DeepUnlearn.Reporting;

/// <summary>Reads and writes the JSON files of a run (run.json, metrics.json); writes are atomic.</summary>
public static class JsonFile
{
    /// <summary>The settings every DeepUnlearn JSON file uses: indented, snake_case, enums as strings, NaN allowed.</summary>
    public static JsonSerializerOptions Options { get; } = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower) },
    };

    /// <summary>Serialises <paramref name="value"/> to <paramref name="path"/> atomically.</summary>
    public static void Write<T>(string path, T value) => AtomicFile.WriteAllText(path, JsonSerializer.Serialize(value, Options) + "\n");

    /// <summary>Reads a JSON file written by <see cref="Write{T}"/>.</summary>
    public static T Read<T>(string path)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"'{path}' does not exist", path);
        }
        try
        {
            return JsonSerializer.Deserialize<T>(InputFile.ReadAllText(path, "JSON file"), Options)
                ?? throw new InvalidDataException($"'{path}' holds JSON null");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"'{path}' is not valid JSON for {typeof(T).Name}: {e.Message}", e);
        }
    }
}
