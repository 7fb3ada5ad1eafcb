using System;

namespace DeepUnlearn.Protocols;

/// <summary>How a sweep runs.</summary>
public sealed record SweepOptions
{
    /// <summary>Where the data is, overriding the recipe's <c>dataset.spec</c> (its name part must match the recipe's dataset).</summary>
    public string? DataSpec { get; init; }

    /// <summary>The slice of the cells this process runs.</summary>
    public Shard Shard { get; init; } = Shard.Whole;

    /// <summary>Continue with an original below the recipe's expected accuracy (recorded and printed as a warning).</summary>
    public bool AllowWeakOriginal { get; init; }

    /// <summary>The artefact store (originals and oracles); default <c>OUT/oracles</c>. Share one between sweeps of one recipe.</summary>
    public string? OracleDirectory { get; init; }

    /// <summary>How often a process waiting on a lock or on other shards polls.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>How long to wait for validation cells other shards are running before giving up.</summary>
    public TimeSpan BarrierTimeout { get; init; } = TimeSpan.FromHours(48);

    /// <summary>Receives one line per step (cell started, skipped, waiting).</summary>
    public IProgress<string>? Status { get; init; }
}
