using System;
using DeepUnlearn.Protocols;
using Xunit;

namespace DeepUnlearn.Tests.Protocols;

public class StudentTTests
{
    [Theory]
    [InlineData(0.975)]
    [InlineData(0.9)]
    [InlineData(0.6)]
    public void Quantile_OneDegree_IsTheCauchyClosedForm(double p) =>
        // t with 1 degree of freedom is Cauchy: Q(p) = tan(π(p − ½)).
        Assert.Equal(Math.Tan(Math.PI * (p - 0.5)), StudentT.Quantile(p, 1), 9);

    [Theory]
    [InlineData(0.975)]
    [InlineData(0.8)]
    public void Quantile_TwoDegrees_IsTheClosedForm(double p) =>
        // ν = 2: Q(p) = (2p − 1) / √(2p(1 − p)).
        Assert.Equal(((2 * p) - 1) / Math.Sqrt(2 * p * (1 - p)), StudentT.Quantile(p, 2), 9);

    [Theory]
    [InlineData(3, 3.182446305284263)]
    [InlineData(9, 2.262157162740991)]
    [InlineData(29, 2.045229642132703)]
    public void Quantile975_MatchesTheTables(int degrees, double expected) =>
        // Two-sided 95% critical values (the tables' 3.182, 2.262, 2.045; full digits as scipy.stats.t.ppf gives them,
        // checked here by Simpson integration of the density to |CDF − 0.975| < 3e-12).
        Assert.Equal(expected, StudentT.Quantile(0.975, degrees), 9);

    [Fact]
    public void Quantile975_ManyDegrees_TendsToTheNormal() =>
        Assert.Equal(1.959963984540054, StudentT.Quantile(0.975, 1e7), 5);

    [Theory]
    [InlineData(-3.0)]
    [InlineData(0.0)]
    [InlineData(0.7)]
    public void Cdf_OneDegree_IsTheCauchyCdf(double t) =>
        Assert.Equal(0.5 + (Math.Atan(t) / Math.PI), StudentT.Cdf(t, 1), 12);

    [Fact]
    public void Cdf_IsSymmetricAndInvertsTheQuantile()
    {
        for (int df = 1; df <= 12; df++)
        {
            Assert.Equal(1 - StudentT.Cdf(1.3, df), StudentT.Cdf(-1.3, df), 12);
            Assert.Equal(0.975, StudentT.Cdf(StudentT.Quantile(0.975, df), df), 10);
        }
    }

    [Fact]
    public void LogGamma_MatchesFactorialsAndHalfIntegers()
    {
        Assert.Equal(Math.Log(120), StudentT.LogGamma(6), 12);
        Assert.Equal(0.5 * Math.Log(Math.PI), StudentT.LogGamma(0.5), 12);
        Assert.Equal(Math.Log(0.75 * Math.Sqrt(Math.PI)), StudentT.LogGamma(2.5), 12);
    }

    [Fact]
    public void MetricSummary_ThreeSeeds_MatchesAHandComputation()
    {
        // 90, 92, 95: mean 277/3 = 92.3333; s² = (5.4444 + 0.1111 + 7.1111)/2 = 19/3, s = 2.516611478;
        // half-width = t(0.975, 2) · s / √3 = 4.302652730 × 2.516611478 / 1.732050808 = 6.251609479.
        MetricSummary s = MetricSummary.Of([90, 92, 95])!;
        Assert.Equal(277.0 / 3, s.Mean, 12);
        Assert.Equal(Math.Sqrt(19.0 / 3), s.Std, 12);
        Assert.Equal(6.251609479375778, s.HalfWidth95!.Value, 9);
        Assert.Equal(3, s.Count);
        Assert.Equal("92.33 ± 6.25", s.Format());
    }

    [Fact]
    public void MetricSummary_OneSeed_HasNoInterval()
    {
        MetricSummary s = MetricSummary.Of([42.5])!;
        Assert.Null(s.HalfWidth95);
        Assert.Equal(0, s.Std);
        Assert.Equal("42.50", s.Format());
        Assert.Null(MetricSummary.Of([]));
    }
}
