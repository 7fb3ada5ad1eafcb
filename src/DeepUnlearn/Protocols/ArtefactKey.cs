using System;
using System.Text.Json.Nodes;

namespace DeepUnlearn.Protocols;

/// <summary>
/// The content key of a trained model in the artefact store: the SHA-256 of the canonical JSON of everything that
/// determines it (<see cref="Material"/>). Two jobs with the same key would train the same model, so the store
/// trains it once; anything that changes the model (data, recipe, request, seed, scale) changes the key.
/// </summary>
public sealed class ArtefactKey
{
    /// <summary>The kind of an original model.</summary>
    public const string OriginalKind = "original";

    /// <summary>The kind of a retrained oracle.</summary>
    public const string OracleKind = "retrain";

    /// <summary>Creates a key of <paramref name="kind"/> over <paramref name="material"/> (the kind is hashed with it).</summary>
    public ArtefactKey(string kind, JsonObject material)
    {
        ArgumentException.ThrowIfNullOrEmpty(kind);
        ArgumentNullException.ThrowIfNull(material);
        Kind = kind;
        Material = (JsonObject)material.DeepClone();
        Material["kind"] = kind;
        Hash = CanonicalJson.Hash(Material);
    }

    /// <summary><see cref="OriginalKind"/> or <see cref="OracleKind"/>.</summary>
    public string Kind { get; }

    /// <summary>What determines the model, the kind included.</summary>
    public JsonObject Material { get; }

    /// <summary>The SHA-256 of the canonical material (64 hex digits).</summary>
    public string Hash { get; }

    /// <summary>The store directory's name: kind and hash.</summary>
    public string DirectoryName => $"{Kind}-{Hash}";

    /// <inheritdoc />
    public override string ToString() => $"{Kind} {Hash[..12]}";
}
