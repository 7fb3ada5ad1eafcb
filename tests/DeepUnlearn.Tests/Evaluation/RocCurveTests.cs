using System;
using System.Linq;
using DeepUnlearn.Evaluation;
using Xunit;

namespace DeepUnlearn.Tests.Evaluation;

/// <summary>ROC points of hand-made scores, ties as one step, TPR at a fixed FPR, and thinning that keeps the ends.</summary>
public class RocCurveTests
{
    [Fact]
    public void FromScores_HandMade_PointsAndAuc()
    {
        // Descending: 4 (member), 3 (non), 2 (member), 1 (non).
        RocCurve roc = RocCurve.FromScores("a", [1, 4, 2, 3], [false, true, true, false]);
        Assert.Equal([0, 0, 0.5, 0.5, 1], roc.FalsePositiveRate);
        Assert.Equal([0, 0.5, 0.5, 1, 1], roc.TruePositiveRate);
        Assert.Equal(0.75, roc.Auc, 12);
        Assert.Equal(0.5, roc.TprAtFpr(0.1), 12);
        Assert.Equal(1, roc.TprAtFpr(0.5), 12);
    }

    [Fact]
    public void FromScores_TiedScores_OneDiagonalStep()
    {
        RocCurve roc = RocCurve.FromScores("tied", [0.3, 0.3, 0.3, 0.3], [true, false, true, false]);
        Assert.Equal([0, 1], roc.FalsePositiveRate);
        Assert.Equal([0, 1], roc.TruePositiveRate);
        Assert.Equal(0.5, roc.Auc, 12);
        Assert.Throws<ArgumentException>(() => RocCurve.FromScores("x", [1, 2], [true, true]));
    }

    [Fact]
    public void FromScores_ManyPoints_ThinnedKeepingEndsAndMonotone()
    {
        var random = new Random(1);
        double[] scores = Enumerable.Range(0, 5000).Select(_ => random.NextDouble()).ToArray();
        bool[] members = scores.Select(s => random.NextDouble() < s).ToArray();
        RocCurve roc = RocCurve.FromScores("many", scores, members, maxPoints: 100);
        Assert.InRange(roc.FalsePositiveRate.Length, 3, 100);
        Assert.Equal(0, roc.FalsePositiveRate[0]);
        Assert.Equal(1, roc.FalsePositiveRate[^1]);
        Assert.Equal(1, roc.TruePositiveRate[^1]);
        Assert.True(roc.FalsePositiveRate.Zip(roc.FalsePositiveRate.Skip(1)).All(p => p.First <= p.Second));
        Assert.True(roc.TruePositiveRate.Zip(roc.TruePositiveRate.Skip(1)).All(p => p.First <= p.Second));
        Assert.Equal(ClassificationMetrics.RocAuc(scores, members), roc.Auc, 12);
    }
}
