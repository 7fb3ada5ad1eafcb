using System;
using System.Linq;
using DeepUnlearn.Evaluation.Attacks;
using Xunit;

namespace DeepUnlearn.Tests.Evaluation.Attacks;

/// <summary>ROC area and TPR at a fixed FPR on hand-made scores whose answers are counted by hand.</summary>
public class RocCurveTests
{
    [Fact]
    public void From_HandMadeScores_AucIsTheShareOfCorrectlyOrderedPairs()
    {
        // Positive > negative pairs: 0.9 beats 5, 0.8 beats 4, 0.7 beats 4, 0.3 beats 3: 16 of 20.
        RocCurve roc = RocCurve.From([0.9, 0.8, 0.7, 0.3], [0.85, 0.4, 0.2, 0.1, 0.05]);
        Assert.Equal(0.8, roc.Auc, 12);
        Assert.Equal(4, roc.Positives);
        Assert.Equal(5, roc.Negatives);
        Assert.Equal((0.0, 0.0), (roc.Fpr[0], roc.Tpr[0]));
        Assert.Equal((1.0, 1.0), (roc.Fpr[^1], roc.Tpr[^1]));
    }

    [Fact]
    public void From_Ties_CountOneHalf()
    {
        // Pairs (1,1) tie twice (½ each), (1,0) win twice: 3 of 4.
        Assert.Equal(0.75, RocCurve.From([1, 1], [1, 0]).Auc, 12);
        Assert.Equal(0.5, RocCurve.From([2, 2, 2], [2, 2]).Auc, 12);
    }

    [Fact]
    public void TprAtFpr_StrictlyBelowTheRate_AsLiRA()
    {
        RocCurve roc = RocCurve.From([0.9, 0.8, 0.7, 0.3], [0.85, 0.4, 0.2, 0.1, 0.05]);
        // FPR < 0.2 allows no false positive: only 0.9 is above 0.85.
        Assert.Equal(0.25, roc.TprAtFpr(0.2), 12);
        // FPR < 0.21 allows one (0.85): 0.9, 0.8, 0.7 are above 0.4.
        Assert.Equal(0.75, roc.TprAtFpr(0.21), 12);
        Assert.Equal(1.0, roc.TprAtFpr(1.0), 12);
        Assert.Throws<ArgumentOutOfRangeException>(() => roc.TprAtFpr(0));
    }

    [Fact]
    public void TprAtLowFpr_ThousandsOfNegatives_RestsOnTheStatedFalsePositives()
    {
        // 2,000 negatives at 0..1999; positives: 5 above every negative, 5 between the 2nd and 3rd highest, 90 at the bottom.
        double[] negatives = Enumerable.Range(0, 2000).Select(i => (double)i).ToArray();
        double[] positives = [.. Enumerable.Repeat(5000.0, 5), .. Enumerable.Repeat(1997.5, 5), .. Enumerable.Repeat(-1.0, 90)];
        RocCurve roc = RocCurve.From(positives, negatives);
        // FPR < 0.1% of 2,000 allows 1 false positive (1999): the 5 top positives only (1997.5 comes after 1998 too).
        Assert.Equal(1, roc.FalsePositivesBelow(0.001));
        Assert.Equal(0.05, roc.TprAtFpr(0.001), 12);
        // FPR < 1% allows 19: all 10 high positives.
        Assert.Equal(19, roc.FalsePositivesBelow(0.01));
        Assert.Equal(0.10, roc.TprAtFpr(0.01), 12);
        Assert.Equal(0, RocCurve.From([1], Enumerable.Range(0, 1000).Select(i => (double)i).ToArray()).FalsePositivesBelow(0.001));
    }

    [Fact]
    public void Thinned_KeepsTheEndsAndTheLowFprCorner()
    {
        var random = new Random(3);
        double[] negatives = Enumerable.Range(0, 5000).Select(_ => random.NextDouble()).ToArray();
        double[] positives = Enumerable.Range(0, 5000).Select(_ => random.NextDouble() + 0.3).ToArray();
        RocCurve roc = RocCurve.From(positives, negatives);
        var (fpr, tpr) = roc.Thinned(100);
        Assert.InRange(fpr.Length, 2, 101);
        Assert.Equal((0.0, 0.0), (fpr[0], tpr[0]));
        Assert.Equal((1.0, 1.0), (fpr[^1], tpr[^1]));
        // Every kept point is a point of the curve, in order.
        for (int i = 1; i < fpr.Length; i++)
        {
            Assert.True(fpr[i] >= fpr[i - 1] && tpr[i] >= tpr[i - 1]);
        }
        Assert.Contains(fpr.Zip(tpr), p => p.First > 0 && p.First <= 1.0 / 5000 + 1e-12);
    }
}
