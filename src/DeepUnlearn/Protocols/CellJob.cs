using System.Collections.Generic;

namespace DeepUnlearn.Protocols;

/// <summary>One cell for a runner: a method with resolved settings on one request and seed, against its oracle.</summary>
/// <param name="CellId">The cell's stable id.</param>
/// <param name="DataSpec">Where the data is.</param>
/// <param name="Original">The original model.</param>
/// <param name="Oracle">The retrained oracle for this request and seed.</param>
/// <param name="Method">The method label (<c>salun</c>, <c>famr@head</c>), or <c>retrain</c> to evaluate the oracle itself.</param>
/// <param name="Settings">The method's settings over its defaults (empty for retrain).</param>
/// <param name="Request">The canonical forget request with its draw seed resolved.</param>
/// <param name="Subset">The training split used (the original's).</param>
/// <param name="Seed">The cell's seed.</param>
/// <param name="OutputDirectory">Where the cell may write artefacts (published with the cell).</param>
public sealed record CellJob(
    string CellId,
    string DataSpec,
    ModelArtefact Original,
    ModelArtefact Oracle,
    string Method,
    IReadOnlyDictionary<string, string> Settings,
    string Request,
    TrainSubset Subset,
    ulong Seed,
    string OutputDirectory)
{
    /// <summary>
    /// K when the cell records <see cref="CellAttackOutputs"/> for the per-example attacks (report cells of
    /// <c>sweep --attacks</c>); null otherwise.
    /// </summary>
    public int? AttackReferenceModels { get; init; }

    /// <summary>For a retrain cell that records attack outputs: the extra reference retrains of its request.</summary>
    public IReadOnlyList<ReferenceOracle> AttackReferences { get; init; } = [];
}
