using System;
using DeepUnlearn.Evaluation;
using Xunit;

namespace DeepUnlearn.Tests.Evaluation;

/// <summary>Histogram counts, total variation and Wasserstein-1 on inputs whose answers are worked out by hand.</summary>
public class HistogramTests
{
    [Fact]
    public void Of_KnownValues_CountsPerBinWithEdgesAndOutliersInTheEndBins()
    {
        // Bins of 0.25 over [0, 1]: [0, .25) [.25, .5) [.5, .75) [.75, 1]; 1.0 goes to the last bin, −3 to the first, NaN nowhere.
        Histogram h = Histogram.Of([0, 0.1, 0.25, 0.5, 0.74, 0.75, 1.0, -3, 7, double.NaN], 0, 1, bins: 4);
        Assert.Equal([3, 1, 2, 3], h.Counts);
        Assert.Equal(9, h.Total);
        Assert.Throws<ArgumentException>(() => Histogram.Of([0.5], 1, 1));
    }

    [Fact]
    public void TotalVariation_KnownShares_HalfTheL1Distance()
    {
        // Shares (.5, .5, 0, 0) and (.25, .25, .25, .25): ½(.25 + .25 + .25 + .25) = 0.5; disjoint supports: 1; same: 0.
        var a = new Histogram(0, 1, [2, 2, 0, 0]);
        var b = new Histogram(0, 1, [1, 1, 1, 1]);
        var c = new Histogram(0, 1, [0, 0, 5, 1]);
        Assert.Equal(0.5, Histogram.TotalVariation(a, b), 12);
        Assert.Equal(1, Histogram.TotalVariation(a, c), 12);
        Assert.Equal(0, Histogram.TotalVariation(a, new Histogram(0, 1, [7, 7, 0, 0])), 12);
        Assert.Throws<ArgumentException>(() => Histogram.TotalVariation(a, new Histogram(0, 2, [1, 1, 1, 1])));
    }

    [Fact]
    public void Wasserstein1_KnownCases_MatchTheIntegralOfTheCdfGap()
    {
        Assert.Equal(1, DistributionDistance.Wasserstein1([0.0], [1.0]), 12);
        // F_a = ½ on [0, 1), F_b = 0 on [0, ½) and 1 on [½, 1): ½·½ + ½·½ = ½.
        Assert.Equal(0.5, DistributionDistance.Wasserstein1([0.0, 1.0], [0.5, 0.5]), 12);
        // A shift by c moves every unit of mass by c; sizes may differ; the distance is symmetric.
        double[] x = [0.1, 0.4, 0.4, 0.9];
        Assert.Equal(0.3, DistributionDistance.Wasserstein1(x, [0.4, 0.7, 0.7, 1.2]), 12);
        Assert.Equal(DistributionDistance.Wasserstein1(x, [0.2, 0.3]), DistributionDistance.Wasserstein1([0.3, 0.2], x), 12);
        // scipy.stats.wasserstein_distance([0, 1, 3], [5, 6, 8]) = 5 (a shift); ([0, 1], [0, 0, 2]) = |F gaps|: 1/6·1 + 1/3·1 = 0.5.
        Assert.Equal(5, DistributionDistance.Wasserstein1([0.0, 1, 3], [5.0, 6, 8]), 12);
        Assert.Equal(0.5, DistributionDistance.Wasserstein1([0.0, 1], [0.0, 0, 2]), 12);
        Assert.True(double.IsNaN(DistributionDistance.Wasserstein1([], [1.0])));
    }
}
