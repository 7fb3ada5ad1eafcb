using System;
using DeepUnlearn.Bayesian;
using DeepUnlearn.Engine;
using static TorchSharp.torch;
using Xunit;

namespace DeepUnlearn.Tests.Bayesian;

/// <summary>
/// The EUBO optimiser against the conjugate oracle: for Bayesian linear regression p(θ | D) and p(θ | D_r) are
/// Gaussian in closed form, and since EUBO(q) = KL[q ‖ p(θ | D_r)] + log p(D_e | D_r) when q(θ | D) = p(θ | D)
/// (VBU, the EUBO's derivation), its minimiser over a Gaussian family is the projection of p(θ | D_r) onto the
/// family by KL[q ‖ ·]: p(θ | D_r) itself for the full family, and mean μ_r with variances 1/(Σ_r⁻¹)_ii for the
/// diagonal one.
/// </summary>
public class EuboUnlearningTests
{
    private static readonly LinearGaussianProblem s_problem = LinearGaussianProblem.Create(p: 3, remaining: 30, erased: 8, noiseStd: 0.5, priorStd: 3, xShift: 1.5, yShift: 1.5, offset: 1.0, seed: 1);

    public EuboUnlearningTests() => TorchRuntime.EnsureInitialized();

    [Fact]
    public void Unlearn_ExactFullPosteriorLambdaZero_ReachesClosedFormRetrainedPosterior()
    {
        DenseGaussian full = s_problem.Posterior(s_problem.All);
        DenseGaussian retrained = s_problem.Posterior(s_problem.Remaining);
        using var thread = new SingleThread();
        using Gaussian q = full.ToLibrary(PosteriorKind.Full);
        using LinearRegressionLikelihood erased = s_problem.Likelihood(s_problem.Erased);
        using var generator = new Generator(1);
        VbuOutcome outcome = EuboUnlearning.Unlearn(erased, q, new EuboOptions { Lambda = 0, Steps = 2000, LearningRate = 0.01, Samples = 256 }, generator);
        using Gaussian unlearned = outcome.Posterior;
        DenseGaussian result = DenseGaussian.FromLibrary(unlearned);

        // The deletion matters: the full posterior is far from the retrained one.
        double before = full.Kl(retrained);
        Assert.True(before > 5, $"KL[p(θ|D) ‖ p(θ|D_r)] = {before}: the erased rows should move the posterior");
        double after = result.Kl(retrained);
        Assert.True(after < 5e-4, $"KL[EUBO result ‖ p(θ|D_r)] = {after} (from {before}); result {result}, exact {retrained}");
        AssertMomentsClose(retrained, result, meanTolerance: 0.02, covarianceTolerance: 0.03);
        Assert.Equal(1.0, outcome.CountedFraction);
    }

    [Fact]
    public void Unlearn_DiagonalFamily_ReachesMeanFieldProjectionOfRetrainedPosterior()
    {
        DenseGaussian full = s_problem.Posterior(s_problem.All);
        DenseGaussian retrained = s_problem.Posterior(s_problem.Remaining);
        double[,] precision = retrained.Precision();
        var projection = new double[3, 3];
        for (int i = 0; i < 3; i++)
        {
            projection[i, i] = 1 / precision[i, i];
        }
        var expected = new DenseGaussian(retrained.Mean, projection);
        // The projection differs from the marginals (the retrained posterior is correlated), so the test tells
        // KL[q ‖ p] (the EUBO's direction) from KL[p ‖ q].
        Assert.True(expected.Kl(retrained.DiagonalPart()) > 0.05, $"the oracle should tell the two KL directions apart: {expected.Kl(retrained.DiagonalPart())}");

        using var thread = new SingleThread();
        using Gaussian q = full.ToLibrary(PosteriorKind.Full);
        using Gaussian start = q.Convert(PosteriorKind.Diagonal);
        using LinearRegressionLikelihood erased = s_problem.Likelihood(s_problem.Erased);
        using var generator = new Generator(2);
        VbuOutcome outcome = EuboUnlearning.Unlearn(erased, q, new EuboOptions { Steps = 2000, LearningRate = 0.01, Samples = 256 }, generator, initial: start);
        using Gaussian unlearned = outcome.Posterior;
        Assert.Equal(PosteriorKind.Diagonal, unlearned.Kind);
        DenseGaussian result = DenseGaussian.FromLibrary(unlearned);
        double kl = result.Kl(expected);
        Assert.True(kl < 5e-4, $"KL[EUBO result ‖ mean-field projection of p(θ|D_r)] = {kl}; result {result}, expected {expected}");
        AssertMomentsClose(expected, result, meanTolerance: 0.02, covarianceTolerance: 0.03);
    }

    [Fact]
    public void Unlearn_MinibatchesOfErasedRows_ReachClosedFormRetrainedPosterior()
    {
        DenseGaussian full = s_problem.Posterior(s_problem.All);
        DenseGaussian retrained = s_problem.Posterior(s_problem.Remaining);
        using var thread = new SingleThread();
        using Gaussian q = full.ToLibrary(PosteriorKind.Full);
        using LinearRegressionLikelihood erased = s_problem.Likelihood(s_problem.Erased);
        using var generator = new Generator(3);
        // Two erased rows per step, rescaled by |D_e| / 2: an unbiased estimate of the same objective.
        VbuOutcome outcome = EuboUnlearning.Unlearn(erased, q, new EuboOptions { Steps = 2000, LearningRate = 0.01, Samples = 256, BatchSize = 2 }, generator);
        using Gaussian unlearned = outcome.Posterior;
        double kl = DenseGaussian.FromLibrary(unlearned).Kl(retrained);
        Assert.True(kl < 2e-3, $"KL[EUBO result with minibatches ‖ p(θ|D_r)] = {kl}");
    }

    /// <summary>Means within <paramref name="meanTolerance"/> exact standard deviations; covariances within a relative tolerance of the scale √(Σ_ii Σ_jj).</summary>
    internal static void AssertMomentsClose(DenseGaussian expected, DenseGaussian actual, double meanTolerance, double covarianceTolerance)
    {
        int p = expected.Dimension;
        for (int i = 0; i < p; i++)
        {
            double sd = Math.Sqrt(expected.Covariance[i, i]);
            Assert.True(Math.Abs(expected.Mean[i] - actual.Mean[i]) <= meanTolerance * sd, $"mean {i}: {actual.Mean[i]} vs {expected.Mean[i]} (sd {sd})");
            for (int j = 0; j < p; j++)
            {
                double scale = Math.Sqrt(expected.Covariance[i, i] * expected.Covariance[j, j]);
                Assert.True(Math.Abs(expected.Covariance[i, j] - actual.Covariance[i, j]) <= covarianceTolerance * scale, $"covariance ({i}, {j}): {actual.Covariance[i, j]} vs {expected.Covariance[i, j]}");
            }
        }
    }
}
