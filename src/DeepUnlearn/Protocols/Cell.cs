using System.Collections.Generic;

namespace DeepUnlearn.Protocols;

/// <summary>
/// One unit of a sweep: a method (or <c>retrain</c>, the oracle's own evaluation) on one request with one seed,
/// and for a searched method on a validation request, one grid point. Its <see cref="Id"/> depends only on these,
/// so it is the same in every process and on every re-run.
/// </summary>
/// <param name="Id"><c>{label}.{request}.s{seed}</c>, plus <c>.g{hash}</c> for a grid point.</param>
/// <param name="Method">The method label, or <c>retrain</c>.</param>
/// <param name="RequestId">The recipe's request id.</param>
/// <param name="Seed">The seed.</param>
/// <param name="Stage">Validation (search) or report.</param>
/// <param name="GridPoint">The grid point's settings (empty outside the search).</param>
/// <param name="GridIndex">The grid point's position in the method's grid (null outside the search).</param>
public sealed record Cell(string Id, string Method, string RequestId, ulong Seed, CellStage Stage, IReadOnlyDictionary<string, string> GridPoint, int? GridIndex)
{
    /// <summary>The label of the retrained reference.</summary>
    public const string Retrain = "retrain";

    /// <summary>Whether this cell evaluates the retrained oracle itself.</summary>
    public bool IsRetrain => Method == Retrain;
}
