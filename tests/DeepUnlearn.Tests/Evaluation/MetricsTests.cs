using System;
using DeepUnlearn.Evaluation;
using Xunit;

namespace DeepUnlearn.Tests.Evaluation;

public class MetricsTests
{
    [Fact]
    public void Accuracy_AndPerClassFromConfusion()
    {
        int[] predicted = [0, 1, 1, 2, 2, 0];
        int[] actual = [0, 1, 2, 2, 2, 1];
        Assert.Equal(400.0 / 6, ClassificationMetrics.AccuracyPercent(predicted, actual), 12);
        Assert.Equal(100.0 * 2 / 3, ClassificationMetrics.AccuracyPercent(predicted, actual, c => c == 2), 12);
        long[,] confusion = ClassificationMetrics.ConfusionMatrix(predicted, actual, 3);
        Assert.Equal(1, confusion[2, 1]);
        Assert.Equal([100.0, 50.0, 100.0 * 2 / 3], ClassificationMetrics.PerClassAccuracyPercent(confusion));
    }

    [Fact]
    public void JensenShannon_MatchesClosedForm()
    {
        // Disjoint supports: JS = ln 2. Identical: 0. Mixed case checked by hand.
        Assert.Equal(Math.Log(2), Divergence.MeanJensenShannon([1f, 0f], [0f, 1f], 2), 6);
        Assert.Equal(0, Divergence.MeanJensenShannon([0.3f, 0.7f], [0.3f, 0.7f], 2), 6);
        double expected = (0.5 * 0.5 * Math.Log(0.5 / 0.75)) + (0.5 * 1.0 * Math.Log(1.0 / 0.75)) + (0.5 * 0.5 * Math.Log(0.5 / 0.25));
        Assert.Equal(expected, Divergence.MeanJensenShannon([0.5f, 0.5f], [1f, 0f], 2), 6);
    }

    [Fact]
    public void AverageGap_IsMeanAbsoluteDifference()
    {
        var method = new HeadlineMetrics(10, 90, 80, 20);
        var retrain = new HeadlineMetrics(12, 95, 79, 30);
        Assert.Equal((2 + 5 + 1 + 10) / 4.0, method.AverageGap(retrain), 12);
    }

    [Fact]
    public void ArgMaxRows_PicksLargestPerRow()
    {
        Assert.Equal([2, 0], ClassificationMetrics.ArgMaxRows([0.1f, 0.2f, 0.7f, 0.9f, 0.05f, 0.05f], 3));
    }
}
