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

    /// <summary>
    /// The per-example attacks (offline U-LiRA, the NeurIPS'23 ε) with K = <c>ReferenceModels</c> retrained references
    /// per target, drawn from the artefact store like the oracles; null (the default) runs none. Every reported cell then
    /// records <see cref="CellAttackOutputs"/> and the merge computes the attacks.
    /// </summary>
    public Evaluation.Attacks.PerExampleAttackOptions? Attacks { get; init; }

    /// <summary>
    /// K of a sweep's attacks unless set: 8 reference retrains per target. LiRA's offline test with one fixed variance
    /// (Carlini et al. 2022) is usable from a handful of references and keeps improving to 64+; 8 is what a GPU job
    /// array affords per request (8 extra trainings, fewer when the reported seeds share a forget set). On a CPU, K = 2
    /// (<c>compare</c>'s default) is what fits; see docs/attacks.md.
    /// </summary>
    public const int DefaultAttackReferences = 8;

    /// <summary>Receives one line per step (cell started, skipped, waiting).</summary>
    public IProgress<string>? Status { get; init; }
}
