using System.Collections.Generic;

namespace DeepUnlearn.Protocols;

/// <summary>The leaderboard of one reported request.</summary>
/// <param name="RequestId">The recipe's request id.</param>
/// <param name="Forget">The request as the recipe writes it.</param>
/// <param name="Description">What it is.</param>
/// <param name="ClassWise">Whether whole classes are forgotten (TA is then on the remaining classes).</param>
/// <param name="Rows">Retrain first, then the methods in recipe order.</param>
/// <param name="Published">The published figures for this request, if the recipe has them.</param>
public sealed record LeaderboardTable(string RequestId, string Forget, string? Description, bool ClassWise, IReadOnlyList<LeaderboardRow> Rows, PublishedTable? Published)
{
    /// <summary>The per-example attacks of this request (<c>sweep --attacks</c>), "do nothing" included; null when not run.</summary>
    public Evaluation.Attacks.PerExampleAttackReport? Attacks { get; init; }

    /// <summary>What the reader must know about the attacks (missing outputs, per-seed forget sets); null when nothing.</summary>
    public string? AttackNote { get; init; }
}
