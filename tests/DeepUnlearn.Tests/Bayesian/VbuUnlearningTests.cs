using System;
using System.Linq;
using DeepUnlearn.Bayesian;
using TorchSharp;
using static TorchSharp.torch;
using Xunit;

namespace DeepUnlearn.Tests.Bayesian;

public class VbuUnlearningTests : IClassFixture<MoonsFixture>
{
    private readonly MoonsFixture _moons;

    public VbuUnlearningTests(MoonsFixture moons)
    {
        _moons = moons;
    }

    [Fact]
    public void Eubo_SmallLambda_MovesTowardRetrainedOnErased()
    {
        using var generator = new Generator(3);
        VbuOutcome outcome = EuboUnlearning.Unlearn(_moons.Model, _moons.Full, _moons.Erased, new EuboOptions { Lambda = 1e-3, Steps = 400, LearningRate = 0.02, Samples = 16 }, generator);
        using Gaussian unlearned = outcome.Posterior;
        PredictiveKl full = _moons.VersusRetrained(_moons.Full);
        PredictiveKl eubo = _moons.VersusRetrained(unlearned);
        Assert.True(eubo.Erased < 0.5 * full.Erased, $"EUBO: KL on D_e {eubo.Erased} vs full {full.Erased}");
        Assert.True(eubo.Remaining < full.Remaining, $"EUBO: KL on D_r {eubo.Remaining} vs full {full.Remaining}");
        Assert.InRange(outcome.CountedFraction, 0.01, 1.0);
    }

    [Fact]
    public void Eubo_Minibatches_MovesTowardRetrainedOnErased()
    {
        using var generator = new Generator(3);
        VbuOutcome outcome = EuboUnlearning.Unlearn(_moons.Model, _moons.Full, _moons.Erased, new EuboOptions { Lambda = 1e-3, Steps = 400, LearningRate = 0.02, Samples = 16, BatchSize = 5 }, generator);
        using Gaussian unlearned = outcome.Posterior;
        PredictiveKl full = _moons.VersusRetrained(_moons.Full);
        PredictiveKl eubo = _moons.VersusRetrained(unlearned);
        Assert.True(eubo.Erased < 0.5 * full.Erased, $"EUBO with minibatches of 5: KL on D_e {eubo.Erased} vs full {full.Erased}");
    }

    [Fact]
    public void ReverseKl_SmallLambda_MovesTowardRetrainedOnErased()
    {
        using var generator = new Generator(4);
        VbuOutcome outcome = ReverseKlUnlearning.Unlearn(_moons.Model, _moons.Full, _moons.Erased, new ReverseKlOptions { Lambda = 1e-3, Steps = 400, LearningRate = 0.02 }, generator);
        using Gaussian unlearned = outcome.Posterior;
        PredictiveKl full = _moons.VersusRetrained(_moons.Full);
        PredictiveKl rkl = _moons.VersusRetrained(unlearned);
        Assert.True(rkl.Erased < 0.5 * full.Erased, $"rKL: KL on D_e {rkl.Erased} vs full {full.Erased}");
        Assert.NotNull(outcome.EffectiveSampleSize);
        Assert.InRange(outcome.EffectiveSampleSize!.Value, 1.0, 256.0);
    }

    [Fact]
    public void Eubo_EmptyErasedSet_ReturnsFullPosterior()
    {
        ClassificationData none = _moons.Data.Select([]);
        using var generator = new Generator(5);
        VbuOutcome outcome = EuboUnlearning.Unlearn(_moons.Model, _moons.Full, none, new EuboOptions { Steps = 50 }, generator);
        using Gaussian unlearned = outcome.Posterior;
        // Starting at q(θ | D), KL[q ‖ q(θ | D)] has zero gradient up to rounding; Adam's normalised steps
        // turn rounding into small oscillations about the optimum, so the posterior stays to tolerance.
        AssertUnchanged(_moons.Full, unlearned);
    }

    [Fact]
    public void Eubo_EmptyErasedSet_FromElsewhere_ConvergesToFullPosterior()
    {
        ClassificationData none = _moons.Data.Select([]);
        using Gaussian start = Gaussian.Isotropic(PosteriorKind.Full, _moons.Model.ParameterCount, 0.5, 1.0, ScalarType.Float64, torch.CPU);
        using var generator = new Generator(6);
        VbuOutcome outcome = EuboUnlearning.Unlearn(_moons.Model, _moons.Full, none, new EuboOptions { Steps = 1500, LearningRate = 0.05 }, generator, initial: start);
        using Gaussian unlearned = outcome.Posterior;
        using Tensor kl = unlearned.KlDivergence(_moons.Full);
        Assert.True(kl.ToDouble() < 1e-4, $"KL to q(θ|D) after minimising the EUBO with D_e empty: {kl.ToDouble()}");
        Assert.Equal(0.0, outcome.Objective, 3);
    }

    [Fact]
    public void ReverseKl_Adam_ConvergesToWeightedMoments()
    {
        // Five erased rows keep the importance weights well spread; one fixed pool of samples.
        ClassificationData erased = _moons.Data.Select(_moons.ErasedIds.Take(5));
        var options = new ReverseKlOptions { Lambda = 0, Samples = 400, ResampleEachStep = false, Steps = 3000, LearningRate = 0.02 };
        using var generator = new Generator(11);
        VbuOutcome outcome = ReverseKlUnlearning.Unlearn(_moons.Model, _moons.Full, erased, options, generator);
        using Gaussian fitted = outcome.Posterior;

        // Independent closed form: the same pool (same seed), weights ∝ 1 / p(D_e | θ) by hand, weighted moments.
        (double[] mean, double[] cov) = ManualWeightedMoments(erased, seed: 11, count: 400);
        double[] fittedMean = fitted.Mean.data<double>().ToArray();
        using Tensor fittedCovTensor = fitted.Covariance();
        double[] fittedCov = fittedCovTensor.flatten().data<double>().ToArray();
        for (int i = 0; i < mean.Length; i++)
        {
            Assert.True(Math.Abs(mean[i] - fittedMean[i]) < 1e-3 * (1 + Math.Abs(mean[i])), $"mean {i}: {fittedMean[i]} vs {mean[i]}");
        }
        for (int i = 0; i < cov.Length; i++)
        {
            Assert.True(Math.Abs(cov[i] - fittedCov[i]) < 2e-3 * (1 + Math.Abs(cov[i])), $"covariance {i}: {fittedCov[i]} vs {cov[i]}");
        }
    }

    [Fact]
    public void ReverseKl_MomentMatching_EqualsWeightedMoments()
    {
        ClassificationData erased = _moons.Data.Select(_moons.ErasedIds.Take(5));
        using var generator = new Generator(11);
        VbuOutcome outcome = ReverseKlUnlearning.Unlearn(_moons.Model, _moons.Full, erased, new ReverseKlOptions { Samples = 400, MomentMatching = true }, generator);
        using Gaussian matched = outcome.Posterior;
        (double[] mean, double[] cov) = ManualWeightedMoments(erased, seed: 11, count: 400);
        Assert.Equal(mean, matched.Mean.data<double>().ToArray(), (a, b) => Math.Abs(a - b) < 1e-10);
        using Tensor covariance = matched.Covariance();
        using Tensor flat = covariance.flatten();
        Assert.Equal(cov, flat.data<double>().ToArray(), (a, b) => Math.Abs(a - b) < 1e-10);
    }

    [Theory]
    [InlineData(-0.1)]
    [InlineData(1.5)]
    [InlineData(double.NaN)]
    public void Lambda_OutsideUnitInterval_IsRejected(double lambda)
    {
        var eubo = Assert.Throws<ArgumentOutOfRangeException>(() => new EuboOptions { Lambda = lambda });
        Assert.Contains("[0, 1]", eubo.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => new ReverseKlOptions { Lambda = lambda });
        Assert.Throws<ArgumentOutOfRangeException>(() => new AdjustedLikelihood(_moons.Model, _moons.Full, _moons.Erased, lambda));
    }

    [Fact]
    public void LambdaOne_CountsNothing_SoNothingIsUnlearned()
    {
        using var generator = new Generator(8);
        VbuOutcome outcome = EuboUnlearning.Unlearn(_moons.Model, _moons.Full, _moons.Erased, new EuboOptions { Lambda = 1, Steps = 30 }, generator);
        using Gaussian unlearned = outcome.Posterior;
        Assert.Equal(0, outcome.CountedFraction);
        AssertUnchanged(_moons.Full, unlearned);
    }

    [Fact]
    public void Unlearning_LeaksNoTensors()
    {
        // Tensors made on this thread minus those disposed on it: one left to the finalizer stays counted.
        long before = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        using (var generator = new Generator(9))
        {
            EuboUnlearning.Unlearn(_moons.Model, _moons.Full, _moons.Erased, new EuboOptions { Lambda = 1e-3, Steps = 20 }, generator).Posterior.Dispose();
            ReverseKlUnlearning.Unlearn(_moons.Model, _moons.Full, _moons.Erased, new ReverseKlOptions { Steps = 20 }, generator).Posterior.Dispose();
            ReverseKlUnlearning.Unlearn(_moons.Model, _moons.Full, _moons.Erased, new ReverseKlOptions { Steps = 20, ResampleEachStep = false }, generator).Posterior.Dispose();
            ReverseKlUnlearning.Unlearn(_moons.Model, _moons.Full, _moons.Erased, new ReverseKlOptions { MomentMatching = true }, generator).Posterior.Dispose();
            VariationalInference.Fit(_moons.Model, _moons.Remaining, new VariationalOptions { Steps = 20, BatchSize = 16 }, generator).Dispose();
            PredictiveDivergence.Compare(_moons.Model, _moons.Retrained, _moons.Model, _moons.Full, _moons.Erased, _moons.Remaining, 10, 1);
        }
        Assert.Equal(before, DisposeScopeManager.Statistics.ThreadTotalLiveCount);
    }

    private (double[] Mean, double[] Covariance) ManualWeightedMoments(ClassificationData erased, ulong seed, int count)
    {
        double[] samples;
        using (var generator = new Generator(seed))
        using (var scope = torch.NewDisposeScope())
        using (torch.no_grad())
        {
            samples = _moons.Full.Sample(count, generator).flatten().data<double>().ToArray();
        }
        int p = _moons.Model.ParameterCount;
        // Binary logistic regression with the reference class last: p(y = 0 | x) = σ(w·x + b).
        var logInverse = new double[count];
        for (int s = 0; s < count; s++)
        {
            double logLikelihood = 0;
            for (int i = 0; i < erased.Count; i++)
            {
                double f = (samples[(s * p) + 0] * erased.Features[2 * i]) + (samples[(s * p) + 1] * erased.Features[(2 * i) + 1]) + samples[(s * p) + 2];
                double logP0 = -Math.Log(1 + Math.Exp(-f));
                double logP1 = -Math.Log(1 + Math.Exp(f));
                logLikelihood += erased.Labels[i] == 0 ? logP0 : logP1;
            }
            logInverse[s] = -logLikelihood;
        }
        double max = logInverse.Max();
        double[] w = logInverse.Select(v => Math.Exp(v - max)).ToArray();
        double total = w.Sum();
        var mean = new double[p];
        for (int s = 0; s < count; s++)
        {
            for (int j = 0; j < p; j++)
            {
                mean[j] += w[s] / total * samples[(s * p) + j];
            }
        }
        var cov = new double[p * p];
        for (int s = 0; s < count; s++)
        {
            for (int a = 0; a < p; a++)
            {
                for (int b = 0; b < p; b++)
                {
                    cov[(a * p) + b] += w[s] / total * (samples[(s * p) + a] - mean[a]) * (samples[(s * p) + b] - mean[b]);
                }
            }
        }
        return (mean, cov);
    }

    private void AssertUnchanged(Gaussian full, Gaussian unlearned)
    {
        AssertClose(full, unlearned, 1e-2);
        using Tensor kl = unlearned.KlDivergence(full);
        Assert.True(kl.ToDouble() < 1e-5, $"KL[unlearned ‖ q(θ|D)] = {kl.ToDouble()}");
        PredictiveKl predictive = PredictiveDivergence.Compare(_moons.Model, full, _moons.Model, unlearned, _moons.Erased, _moons.Remaining, 1000, 3);
        Assert.True(predictive.Erased < 1e-5 && predictive.Remaining < 1e-5, $"predictive KL to q(θ|D): {predictive}");
    }

    private static void AssertClose(Gaussian expected, Gaussian actual, double tolerance)
    {
        Assert.Equal(expected.Kind, actual.Kind);
        foreach (var (name, tensor) in expected.NamedTensors)
        {
            double[] e = tensor.data<double>().ToArray();
            double[] a = actual.NamedTensors[name].data<double>().ToArray();
            Assert.Equal(e, a, (x, y) => Math.Abs(x - y) <= tolerance);
        }
    }
}
