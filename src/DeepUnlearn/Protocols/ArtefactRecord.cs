using System;
using System.Collections.Generic;
using System.Text.Json.Nodes;

namespace DeepUnlearn.Protocols;

/// <summary>The <c>artefact.json</c> of a stored model: its key and key material, files with checksums, and provenance.</summary>
public sealed record ArtefactRecord
{
    /// <summary>The schema identifier.</summary>
    public const string SchemaId = "deepunlearn.artefact/1";

    /// <summary>The file's schema.</summary>
    public string Schema { get; init; } = SchemaId;

    /// <summary>original or retrain.</summary>
    public required string Kind { get; init; }

    /// <summary>The content key (hex SHA-256 of the canonical material).</summary>
    public required string Key { get; init; }

    /// <summary>What determines the model.</summary>
    public required JsonObject Material { get; init; }

    /// <summary>The model file's name.</summary>
    public required string File { get; init; }

    /// <summary>Every file with its size and SHA-256.</summary>
    public required IReadOnlyList<ArtefactFile> Files { get; init; }

    /// <summary>Training wall time.</summary>
    public required double Seconds { get; init; }

    /// <summary>Test accuracy (percent, all classes), when measured.</summary>
    public double? TestAccuracy { get; init; }

    /// <summary>Other facts the runner reported.</summary>
    public IReadOnlyDictionary<string, double> Facts { get; init; } = new Dictionary<string, double>();

    /// <summary>What trained it.</summary>
    public required EngineDescription Engine { get; init; }

    /// <summary>DeepUnlearn's version (with the git commit).</summary>
    public string DeepUnlearnVersion { get; init; } = ToolkitInfo.Version;

    /// <summary>The git commit of the build, if known.</summary>
    public string? GitCommit { get; init; } = ToolkitInfo.GitCommit;

    /// <summary>The machine and process that trained it.</summary>
    public string CreatedBy { get; init; } = $"{Environment.MachineName} pid {Environment.ProcessId}";

    /// <summary>When it was published.</summary>
    public DateTimeOffset CreatedUtc { get; init; } = DateTimeOffset.UtcNow;
}
