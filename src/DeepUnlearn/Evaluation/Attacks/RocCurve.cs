using System;
using System.Collections.Generic;

namespace DeepUnlearn.Evaluation.Attacks;

/// <summary>
/// The ROC curve of a membership score (higher = member): one point per distinct threshold, from (0, 0) to (1, 1), as
/// scikit-learn's <c>roc_curve</c> without dropping collinear points, and its area.
/// </summary>
public sealed record RocCurve
{
    /// <summary>False-positive rates, non-decreasing.</summary>
    public required double[] Fpr { get; init; }

    /// <summary>True-positive rates, non-decreasing.</summary>
    public required double[] Tpr { get; init; }

    /// <summary>Positives (members) scored.</summary>
    public required int Positives { get; init; }

    /// <summary>Negatives (non-members) scored.</summary>
    public required int Negatives { get; init; }

    /// <summary>
    /// Area under the curve: the probability that a random positive scores above a random negative, ties counting
    /// one half (the Mann–Whitney statistic; the trapezoidal area of this curve).
    /// </summary>
    public required double Auc { get; init; }

    /// <summary>The curve of <paramref name="positives"/> against <paramref name="negatives"/>.</summary>
    public static RocCurve From(ReadOnlySpan<double> positives, ReadOnlySpan<double> negatives)
    {
        if (positives.IsEmpty || negatives.IsEmpty)
        {
            throw new ArgumentException("a ROC curve needs at least one positive and one negative score");
        }
        var all = new (double Score, bool Positive)[positives.Length + negatives.Length];
        for (int i = 0; i < positives.Length; i++)
        {
            all[i] = (Checked(positives[i]), true);
        }
        for (int i = 0; i < negatives.Length; i++)
        {
            all[positives.Length + i] = (Checked(negatives[i]), false);
        }
        // Descending scores: lowering the threshold admits samples one distinct score at a time.
        Array.Sort(all, (a, b) => b.Score.CompareTo(a.Score));
        var fpr = new List<double> { 0 };
        var tpr = new List<double> { 0 };
        int tp = 0;
        int fp = 0;
        double area = 0;
        for (int i = 0; i < all.Length; i++)
        {
            if (all[i].Positive)
            {
                tp++;
            }
            else
            {
                fp++;
            }
            if (i + 1 < all.Length && all[i + 1].Score == all[i].Score)
            {
                continue;
            }
            double x = (double)fp / negatives.Length;
            double y = (double)tp / positives.Length;
            area += (x - fpr[^1]) * (y + tpr[^1]) / 2;
            fpr.Add(x);
            tpr.Add(y);
        }
        return new RocCurve { Fpr = [.. fpr], Tpr = [.. tpr], Positives = positives.Length, Negatives = negatives.Length, Auc = area };
    }

    /// <summary>
    /// The TPR at a false-positive rate below <paramref name="fpr"/>: the largest TPR among the points whose FPR is
    /// strictly below it (LiRA's <c>tpr[np.where(fpr &lt; .001)[0][-1]]</c>).
    /// </summary>
    public double TprAtFpr(double fpr)
    {
        if (!(fpr > 0 && fpr <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(fpr), fpr, "the false-positive rate must be in (0, 1]");
        }
        double best = 0;
        for (int i = 0; i < Fpr.Length; i++)
        {
            if (Fpr[i] < fpr)
            {
                best = Math.Max(best, Tpr[i]);
            }
        }
        return best;
    }

    /// <summary>
    /// How many false positives a point below <paramref name="fpr"/> may have: ⌈fpr · negatives⌉ − 1. Zero means the
    /// TPR at that FPR is the TPR with no false positive at all, resting on the few highest-scoring samples.
    /// </summary>
    public int FalsePositivesBelow(double fpr) => Math.Max(0, (int)Math.Ceiling((fpr * Negatives) - 1e-9) - 1);

    /// <summary>At most <paramref name="points"/> points of the curve, log-spaced in FPR (for charts and JSON), always keeping the ends.</summary>
    public (double[] Fpr, double[] Tpr) Thinned(int points = 200)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(points, 4);
        if (Fpr.Length <= points)
        {
            return (Fpr, Tpr);
        }
        var xs = new List<double> { Fpr[0] };
        var ys = new List<double> { Tpr[0] };
        double minPositive = 1.0 / Negatives;
        int cursor = 0;
        for (int p = 0; p < points - 2; p++)
        {
            // The last curve point at or below each log-spaced FPR (the highest TPR reached there).
            double target = p == 0 ? 0 : minPositive * Math.Pow(1 / minPositive, (p - 1) / (double)(points - 4));
            while (cursor + 1 < Fpr.Length && Fpr[cursor + 1] <= target)
            {
                cursor++;
            }
            if (xs.Count == 0 || xs[^1] != Fpr[cursor] || ys[^1] != Tpr[cursor])
            {
                xs.Add(Fpr[cursor]);
                ys.Add(Tpr[cursor]);
            }
        }
        if (xs[^1] != 1 || ys[^1] != 1)
        {
            xs.Add(1);
            ys.Add(1);
        }
        return ([.. xs], [.. ys]);
    }

    private static double Checked(double score) =>
        double.IsNaN(score) ? throw new ArgumentException("a membership score is NaN") : score;
}
