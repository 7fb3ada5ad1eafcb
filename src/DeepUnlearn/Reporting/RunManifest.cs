using System;
using System.Collections.Generic;
using DeepUnlearn.Engine;

namespace DeepUnlearn.Reporting;

/// <summary>
/// The run.json of every command: what ran, with which resolved configuration, on what, so that a run
/// can be audited and repeated (nanoGPT's habit of saving the resolved config with every run).
/// </summary>
public sealed record RunManifest
{
    /// <summary>The command (<c>train</c>, <c>unlearn</c>, ...).</summary>
    public required string Command { get; init; }

    /// <summary>The resolved configuration, after defaults, file, --set and flags.</summary>
    public required IReadOnlyDictionary<string, object?> Config { get; init; }

    /// <summary>The run's seed.</summary>
    public required ulong Seed { get; init; }

    /// <summary>The device the tensors ran on.</summary>
    public required string Device { get; init; }

    /// <summary>DeepUnlearn's version, including the git commit it was built from.</summary>
    public string DeepUnlearnVersion { get; init; } = ToolkitInfo.Version;

    /// <summary>The git commit of the build (the part after '+' of the version), if known.</summary>
    public string? GitCommit { get; init; } = ToolkitInfo.GitCommit;

    /// <summary>libtorch's version.</summary>
    public string LibtorchVersion { get; init; } = TorchRuntime.EnsureInitialized().LibTorchVersion;

    /// <summary>libtorch intra-op threads (those in force when the manifest is made).</summary>
    public int Threads { get; init; } = CurrentThreads();

    /// <summary>The machine's name and core count.</summary>
    public string Machine { get; init; } = $"{Environment.MachineName} ({Environment.ProcessorCount} cores, {Environment.OSVersion})";

    /// <summary>The command line.</summary>
    public string CommandLine { get; init; } = string.Join(' ', Environment.GetCommandLineArgs());

    /// <summary>When the run started (UTC).</summary>
    public DateTimeOffset StartedUtc { get; init; } = DateTimeOffset.UtcNow;

    private static int CurrentThreads()
    {
        TorchRuntime.EnsureInitialized();
        return TorchSharp.torch.get_num_threads();
    }
}
