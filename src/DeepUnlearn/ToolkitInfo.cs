using System.Reflection;

namespace DeepUnlearn;

/// <summary>Facts about this build of DeepUnlearn.</summary>
public static class ToolkitInfo
{
    /// <summary>The informational version of the toolkit assembly (e.g. <c>0.1.0</c>).</summary>
    public static string Version { get; } =
        typeof(ToolkitInfo).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
        ?? typeof(ToolkitInfo).Assembly.GetName().Version?.ToString()
        ?? "unknown";

    /// <summary>The git commit the build came from (SourceLink appends it to the version after '+'), if known.</summary>
    public static string? GitCommit { get; } = Version.Contains('+', System.StringComparison.Ordinal) ? Version[(Version.IndexOf('+', System.StringComparison.Ordinal) + 1)..] : null;
}
