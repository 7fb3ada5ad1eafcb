using System.Text.Json;

namespace DeepUnlearn.Cli;

/// <summary>JSON settings shared by every command's output files.</summary>
internal static class CliJson
{
    public static JsonSerializerOptions Options { get; } = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
    };
}
