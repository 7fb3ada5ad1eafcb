using System;
using DeepUnlearn.Evaluation.Attacks;
using DeepUnlearn.Protocols;
using Xunit;

namespace DeepUnlearn.Tests.Evaluation.Attacks;

/// <summary>
/// Clopper–Pearson bounds against closed forms (k = 0 and k = n), the beta-quantile identity through an independent
/// incomplete-beta implementation (the continued fraction of <see cref="StudentT"/>), and a published table value.
/// </summary>
public class ClopperPearsonTests
{
    [Theory]
    [InlineData(4)]
    [InlineData(10)]
    [InlineData(512)]
    public void Interval_NoSuccesses_UpperSolvesOneMinusPToTheNEqualsHalfAlpha(int n)
    {
        var (lower, upper) = ClopperPearson.Interval(0, n);
        Assert.Equal(0, lower);
        // P(X = 0) = (1 − p)^n = 0.025.
        Assert.Equal(1 - Math.Pow(0.025, 1.0 / n), upper, 10);
        var (allLower, allUpper) = ClopperPearson.Interval(n, n);
        Assert.Equal(Math.Pow(0.025, 1.0 / n), allLower, 10);
        Assert.Equal(1, allUpper);
    }

    [Theory]
    [InlineData(1, 4)]
    [InlineData(5, 20)]
    [InlineData(37, 100)]
    public void Interval_BoundsAreTheBetaQuantiles(int k, int n)
    {
        // Lower = Beta(α/2; k, n − k + 1), upper = Beta(1 − α/2; k + 1, n − k): I_x(a, b) at the bounds is α/2 and 1 − α/2.
        var (lower, upper) = ClopperPearson.Interval(k, n);
        Assert.Equal(0.025, StudentT.RegularizedIncompleteBeta(lower, k, n - k + 1), 9);
        Assert.Equal(0.975, StudentT.RegularizedIncompleteBeta(upper, k + 1, n - k), 9);
    }

    [Fact]
    public void Interval_FiveOfTwenty_MatchesTheTableValue()
    {
        // The exact 95% interval of 5/20 quoted in textbooks and by statsmodels' proportion_confint(5, 20, method="beta"):
        // 0.0866 to 0.4910.
        var (lower, upper) = ClopperPearson.Interval(5, 20);
        Assert.Equal(0.0866, lower, 4);
        Assert.Equal(0.4910, upper, 4);
    }

    [Fact]
    public void Interval_BadCounts_SayWhatIsValid()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => ClopperPearson.Interval(5, 4));
        Assert.Throws<ArgumentOutOfRangeException>(() => ClopperPearson.Interval(-1, 4));
        Assert.Throws<ArgumentOutOfRangeException>(() => ClopperPearson.Interval(1, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => ClopperPearson.Interval(1, 4, confidence: 1));
    }
}
