using System;
using DeepUnlearn.Bayesian;
using DeepUnlearn.Engine;
using TorchSharp;
using static TorchSharp.torch;
using Xunit;

namespace DeepUnlearn.Tests.Bayesian;

/// <summary>
/// The adjusted likelihood's region {θ : q(θ | D) &gt; λ · max q(θ | D)} (VBU's adjusted-likelihood trick). For a
/// Gaussian q(θ | D) the region is ‖L⁻¹(θ − μ)‖² &lt; −2 log λ and a draw of q(θ | D) has ‖L⁻¹(θ − μ)‖² ~ χ²_P, so the
/// share of draws the library counts must be F_χ²_P(−2 log λ), for either family.
/// </summary>
public class AdjustedLikelihoodTests
{
    private const int Draws = 40_000;

    public AdjustedLikelihoodTests() => TorchRuntime.EnsureInitialized();

    [Theory]
    [InlineData(PosteriorKind.Full, 3, 0.5)]
    [InlineData(PosteriorKind.Full, 3, 0.1)]
    [InlineData(PosteriorKind.Full, 3, 1e-3)]
    [InlineData(PosteriorKind.Full, 10, 1e-5)]
    [InlineData(PosteriorKind.Diagonal, 3, 0.1)]
    [InlineData(PosteriorKind.Diagonal, 10, 1e-3)]
    [InlineData(PosteriorKind.Diagonal, 10, 1e-5)]
    public void LogLikelihood_DrawsOfFullPosterior_CountedShareMatchesChiSquaredCdf(PosteriorKind kind, int p, double lambda)
    {
        DenseGaussian moments = RandomMoments(kind, p, seed: p + (int)kind);
        using Gaussian q = moments.ToLibrary(kind);
        using var thread = new SingleThread();
        using LinearRegressionLikelihood erased = SomeLikelihood(p);
        using var adjusted = new AdjustedLikelihood(erased, q, lambda);
        using var plain = new AdjustedLikelihood(erased, q, 0);
        using var generator = new Generator(17);
        using var scope = torch.NewDisposeScope();
        Tensor theta = q.Sample(Draws, generator);

        Tensor logLikelihood = adjusted.LogLikelihood(theta, out double counted);
        double expected = ChiSquared.Cdf(p, -2 * Math.Log(lambda));
        // Binomial standard error of a share of 40,000 draws; 4.5 of them for a seeded test that must not flake.
        double tolerance = 4.5 * Math.Sqrt(expected * (1 - expected) / Draws) + 1e-9;
        Assert.True(Math.Abs(counted - expected) <= tolerance, $"{kind}, P = {p}, λ = {lambda}: counted {counted:F4}, χ² CDF {expected:F4} ± {tolerance:F4}");

        // Per draw: inside, the plain log-likelihood; outside, log 1 = 0; the region test says which.
        double[] adjustedValues = logLikelihood.data<double>().ToArray();
        double[] plainValues = plain.LogLikelihood(theta, out double everything).data<double>().ToArray();
        bool[] inside = adjusted.InRegion(theta).data<bool>().ToArray();
        Assert.Equal(1.0, everything);
        int insideCount = 0;
        for (int s = 0; s < Draws; s++)
        {
            Assert.Equal(inside[s] ? plainValues[s] : 0.0, adjustedValues[s]);
            insideCount += inside[s] ? 1 : 0;
        }
        Assert.Equal(counted, (double)insideCount / Draws, 12);
    }

    [Fact]
    public void InRegion_LambdaZeroAndOne_CountEverythingAndNothing()
    {
        DenseGaussian moments = RandomMoments(PosteriorKind.Full, 3, seed: 5);
        using Gaussian q = moments.ToLibrary(PosteriorKind.Full);
        using var thread = new SingleThread();
        using LinearRegressionLikelihood erased = SomeLikelihood(3);
        using var all = new AdjustedLikelihood(erased, q, 0);
        using var none = new AdjustedLikelihood(erased, q, 1);
        using var generator = new Generator(3);
        using var scope = torch.NewDisposeScope();
        Tensor theta = q.Sample(1000, generator);
        Assert.All(all.InRegion(theta).data<bool>().ToArray(), Assert.True);
        Assert.All(none.InRegion(theta).data<bool>().ToArray(), Assert.False);
        Assert.True(double.IsNegativeInfinity(all.LogThreshold));
    }

    [Theory]
    [InlineData(1, 3.841458820694124, 0.95)]
    [InlineData(3, 7.814727903251178, 0.95)]
    [InlineData(10, 18.307038053275146, 0.95)]
    [InlineData(10, 3.940299136119, 0.05)]
    [InlineData(5, 1.1454762260617692, 0.05)]
    public void ChiSquaredCdf_TableQuantiles_GiveTheirProbabilities(int degrees, double quantile, double probability)
    {
        // Quantiles from any χ² table (scipy.stats.chi2.ppf); the oracle above rests on this helper.
        Assert.Equal(probability, ChiSquared.Cdf(degrees, quantile), 9);
        Assert.Equal(1 - Math.Exp(-quantile / 2), ChiSquared.Cdf(2, quantile), 12);
    }

    /// <summary>A Gaussian with a non-trivial mean and a covariance whose log-determinant is far from 0.</summary>
    private static DenseGaussian RandomMoments(PosteriorKind kind, int p, int seed)
    {
        var random = new Random(seed);
        var mean = new double[p];
        var a = new double[p, p];
        for (int i = 0; i < p; i++)
        {
            mean[i] = (4 * random.NextDouble()) - 2;
            for (int j = 0; j < p; j++)
            {
                a[i, j] = (2 * random.NextDouble()) - 1;
            }
        }
        var covariance = new double[p, p];
        for (int i = 0; i < p; i++)
        {
            for (int j = 0; j < p; j++)
            {
                double sum = 0;
                for (int k = 0; k < p; k++)
                {
                    sum += a[i, k] * a[j, k];
                }
                covariance[i, j] = kind == PosteriorKind.Full || i == j ? 3 * (sum + (i == j ? 0.2 : 0)) : 0;
            }
        }
        return new DenseGaussian(mean, covariance);
    }

    private static LinearRegressionLikelihood SomeLikelihood(int p)
    {
        var x = new double[2 * p];
        for (int i = 0; i < x.Length; i++)
        {
            x[i] = Math.Sin(i + 1);
        }
        return new LinearRegressionLikelihood(x, [0.5, -1.0], p, noiseStd: 1.0);
    }
}
