using System;
using System.Collections.Generic;
using System.Linq;

namespace DeepUnlearn.Evaluation;

/// <summary>
/// A membership attack's ROC curve: the (false-positive rate, true-positive rate) of every threshold on its scores,
/// from (0, 0) to (1, 1), where a higher score means "member". Kept small for reports: at most a few hundred points,
/// spaced evenly in log FPR so the low-FPR end that matters for privacy (Carlini et al. 2022) keeps its detail.
/// </summary>
/// <param name="Name">The curve's label (a model, an attack).</param>
/// <param name="FalsePositiveRate">FPR of each point, non-decreasing.</param>
/// <param name="TruePositiveRate">TPR of each point.</param>
/// <param name="Auc">The area under the full curve (ties counted one half), before any thinning.</param>
public sealed record RocCurve(string Name, double[] FalsePositiveRate, double[] TruePositiveRate, double Auc)
{
    /// <summary>The default cap on stored points.</summary>
    public const int DefaultMaxPoints = 300;

    /// <summary>
    /// The ROC curve of <paramref name="scores"/> for the members marked in <paramref name="members"/> (tied scores form one
    /// step, so the curve has one point per distinct score plus the origin). Needs at least one member and one non-member.
    /// </summary>
    public static RocCurve FromScores(string name, ReadOnlySpan<double> scores, ReadOnlySpan<bool> members, int maxPoints = DefaultMaxPoints)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxPoints, 2);
        if (scores.Length != members.Length)
        {
            throw new ArgumentException($"{scores.Length} scores but {members.Length} labels");
        }
        int positives = 0;
        foreach (bool m in members)
        {
            positives += m ? 1 : 0;
        }
        int negatives = members.Length - positives;
        if (positives == 0 || negatives == 0)
        {
            throw new ArgumentException($"a ROC curve needs members and non-members; got {positives} and {negatives}");
        }
        double auc = Evaluation.ClassificationMetrics.RocAuc(scores, members);
        int[] order = Enumerable.Range(0, scores.Length).ToArray();
        double[] keys = scores.ToArray();
        bool[] labels = members.ToArray();
        Array.Sort(keys.Select(k => -k).ToArray(), order);
        var fpr = new List<double> { 0 };
        var tpr = new List<double> { 0 };
        int tp = 0;
        int fp = 0;
        for (int r = 0; r < order.Length; r++)
        {
            if (labels[order[r]])
            {
                tp++;
            }
            else
            {
                fp++;
            }
            bool lastOfTie = r + 1 == order.Length || keys[order[r + 1]] != keys[order[r]];
            if (lastOfTie)
            {
                fpr.Add((double)fp / negatives);
                tpr.Add((double)tp / positives);
            }
        }
        return Thin(new RocCurve(name, [.. fpr], [.. tpr], auc), maxPoints);
    }

    /// <summary>The highest TPR among the points with FPR ≤ <paramref name="fpr"/> (0 when none).</summary>
    public double TprAtFpr(double fpr)
    {
        double best = 0;
        for (int i = 0; i < FalsePositiveRate.Length; i++)
        {
            if (FalsePositiveRate[i] <= fpr)
            {
                best = Math.Max(best, TruePositiveRate[i]);
            }
        }
        return best;
    }

    private static RocCurve Thin(RocCurve curve, int maxPoints)
    {
        int n = curve.FalsePositiveRate.Length;
        if (n <= maxPoints)
        {
            return curve;
        }
        // Keep, for each of maxPoints log-spaced FPR levels, the last point at or below it (the curve's upper envelope
        // there), plus both ends.
        double smallest = curve.FalsePositiveRate.Where(f => f > 0).DefaultIfEmpty(1).Min();
        var keep = new SortedSet<int> { 0, n - 1 };
        int index = 0;
        for (int l = 0; l < maxPoints - 2; l++)
        {
            double level = smallest * Math.Pow(1 / smallest, l / (double)(maxPoints - 3));
            while (index + 1 < n && curve.FalsePositiveRate[index + 1] <= level)
            {
                index++;
            }
            keep.Add(index);
        }
        return curve with
        {
            FalsePositiveRate = keep.Select(i => curve.FalsePositiveRate[i]).ToArray(),
            TruePositiveRate = keep.Select(i => curve.TruePositiveRate[i]).ToArray(),
        };
    }
}
