using System;
using System.Collections.Generic;

namespace DeepUnlearn.Protocols;

/// <summary>
/// The <c>manifest.json</c> of a cell: what ran (method, resolved settings, request, seed), under which protocol
/// (recipe name, hash, scale), with what result status, on what (commit, libtorch, device, host), and which original
/// and oracle it used.
/// </summary>
public sealed record CellManifest
{
    /// <summary>The schema identifier.</summary>
    public const string SchemaId = "deepunlearn.cell/1";

    /// <summary>Status of a cell with metrics.</summary>
    public const string StatusOk = "ok";

    /// <summary>Status of a cell whose run threw; <see cref="Error"/> says what.</summary>
    public const string StatusFailed = "failed";

    /// <summary>The file's schema.</summary>
    public string Schema { get; init; } = SchemaId;

    /// <summary>The cell's id.</summary>
    public required string CellId { get; init; }

    /// <summary>validation or report.</summary>
    public required string Stage { get; init; }

    /// <summary>The method label, or retrain.</summary>
    public required string Method { get; init; }

    /// <summary>The settings the method ran with, over its defaults (after the search, for searched methods).</summary>
    public required IReadOnlyDictionary<string, string> Settings { get; init; }

    /// <summary>The grid point of a search cell (empty otherwise).</summary>
    public required IReadOnlyDictionary<string, string> GridPoint { get; init; }

    /// <summary>Its index in the method's grid.</summary>
    public int? GridIndex { get; init; }

    /// <summary>The recipe's request id.</summary>
    public required string RequestId { get; init; }

    /// <summary>The canonical request with its draw seed.</summary>
    public string? Request { get; init; }

    /// <summary>The seed.</summary>
    public required ulong Seed { get; init; }

    /// <summary>The recipe's name.</summary>
    public required string Recipe { get; init; }

    /// <summary>The recipe's hash.</summary>
    public required string RecipeHash { get; init; }

    /// <summary>The scale (<c>full</c>, <c>small</c>).</summary>
    public required string Scale { get; init; }

    /// <summary>What the scale changes, when derived.</summary>
    public string? ScaleDescription { get; init; }

    /// <summary><see cref="StatusOk"/> or <see cref="StatusFailed"/>.</summary>
    public required string Status { get; init; }

    /// <summary>Why it failed.</summary>
    public string? Error { get; init; }

    /// <summary>The data's content fingerprint.</summary>
    public required string DataFingerprint { get; init; }

    /// <summary>The original and the guard's verdict on it.</summary>
    public required OriginalCheck Original { get; init; }

    /// <summary>The oracle's content key, when it was available.</summary>
    public string? OracleKey { get; init; }

    /// <summary>The engine that computed the result.</summary>
    public required EngineDescription Engine { get; init; }

    /// <summary>DeepUnlearn's version.</summary>
    public string DeepUnlearnVersion { get; init; } = ToolkitInfo.Version;

    /// <summary>The git commit of the build, if known.</summary>
    public string? GitCommit { get; init; } = ToolkitInfo.GitCommit;

    /// <summary>The machine and process.</summary>
    public string Host { get; init; } = $"{Environment.MachineName} pid {Environment.ProcessId}";

    /// <summary>The shard that ran it (i/n).</summary>
    public required string Shard { get; init; }

    /// <summary>When it started.</summary>
    public required DateTimeOffset StartedUtc { get; init; }

    /// <summary>Wall time of the whole cell (oracle wait and evaluation included).</summary>
    public required double WallSeconds { get; init; }
}
