using System;
using System.Collections.Generic;
using System.IO;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using DeepUnlearn.Reporting;

namespace DeepUnlearn.Protocols;

/// <summary>
/// What a sweep cell records for the per-example attacks (<c>sweep --attacks</c>): the logit-scaled confidences of its
/// models on the request's forget set and on population samples, so that the merge computes offline U-LiRA and the
/// NeurIPS'23 per-example ε over the seeds (<see cref="LeaderboardAttacks"/>) without touching a tensor. A method's
/// cell records its unlearned model; a retrain cell records its oracle, the original ("do nothing") and the extra
/// reference retrains of its request, drawn from the artefact store.
/// </summary>
public sealed record CellAttackOutputs
{
    /// <summary>The file's name inside a cell's directory.</summary>
    public const string FileName = "attack-outputs.json";

    /// <summary>The canonical request (with its draw seed): models of one forget set are compared example by example.</summary>
    public required string Request { get; init; }

    /// <summary>SHA-256 of the forget ids in the order of <see cref="AttackModelOutputs.Forget"/> (every model must share it).</summary>
    public required string ForgetOrder { get; init; }

    /// <summary>SHA-256 of the population ids in the order of <see cref="AttackModelOutputs.Population"/>.</summary>
    public required string PopulationOrder { get; init; }

    /// <summary>K, the reference retrains per target the sweep was asked for (retrain cells; null in a method's cell).</summary>
    public int? ReferenceModels { get; init; }

    /// <summary>The models recorded.</summary>
    public required IReadOnlyList<AttackModelOutputs> Models { get; init; }

    /// <summary>The fingerprint of an id order (<see cref="ForgetOrder"/>, <see cref="PopulationOrder"/>).</summary>
    public static string Order(ReadOnlySpan<int> ids) => Convert.ToHexStringLower(SHA256.HashData(MemoryMarshal.AsBytes(ids)));

    /// <summary>Writes the file into <paramref name="cellDirectory"/>.</summary>
    public void Write(string cellDirectory) => JsonFile.Write(Path.Combine(cellDirectory, FileName), this);

    /// <summary>The file of the cell at <paramref name="cellDirectory"/>; null when the cell recorded none.</summary>
    /// <exception cref="InvalidDataException">The file is there but unreadable.</exception>
    public static CellAttackOutputs? Read(string cellDirectory)
    {
        string path = Path.Combine(cellDirectory, FileName);
        return File.Exists(path) ? JsonFile.Read<CellAttackOutputs>(path) : null;
    }
}
