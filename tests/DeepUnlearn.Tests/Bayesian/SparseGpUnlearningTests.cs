using System.Linq;
using DeepUnlearn.Bayesian;
using DeepUnlearn.Engine;
using TorchSharp;
using static TorchSharp.torch;
using Xunit;

namespace DeepUnlearn.Tests.Bayesian;

public class SparseGpUnlearningTests
{
    public SparseGpUnlearningTests() => TorchRuntime.EnsureInitialized();

    [Fact]
    public void EuboAndReverseKl_OnMoons_MoveTowardRetrainedOnErased()
    {
        using var thread = new SingleThread();
        // The paper's moon experiment in small: a sparse GP with 20 inducing inputs, the rightmost 20% erased.
        ClassificationData data = TwoMoons.Generate(100, 0.2, seed: 0);
        int[] erasedIds = Enumerable.Range(0, data.Count).OrderByDescending(i => data.Features[2 * i]).Take(20).ToArray();
        ClassificationData erased = data.Select(erasedIds);
        ClassificationData remaining = data.Without(erasedIds);
        double[] z = SparseGpClassifier.KMeansInducingPoints(data, 20, seed: 0);
        using var scope = torch.NewDisposeScope();
        using var model = new SparseGpClassifier(torch.tensor(z, [20, 2]), lengthScale: 0.6, variance: 4.0);
        var fit = new VariationalOptions { Posterior = PosteriorKind.Full, Steps = 600, LearningRate = 0.05, Samples = 16 };
        using var g1 = new Generator(1);
        using Gaussian full = VariationalInference.Fit(model, data, fit, g1);
        using var g2 = new Generator(2);
        using Gaussian retrained = VariationalInference.Fit(model, remaining, fit, g2);

        using var g3 = new Generator(3);
        using Gaussian eubo = EuboUnlearning.Unlearn(model, full, erased, new EuboOptions { Lambda = 1e-9, Steps = 400, LearningRate = 0.02, Samples = 16 }, g3).Posterior;
        using var g4 = new Generator(4);
        using Gaussian rkl = ReverseKlUnlearning.Unlearn(model, full, erased, new ReverseKlOptions { Lambda = 1e-9, Steps = 400, LearningRate = 0.02 }, g4).Posterior;

        PredictiveKl fullKl = PredictiveDivergence.Compare(model, retrained, model, full, erased, remaining, 1000, 7);
        PredictiveKl euboKl = PredictiveDivergence.Compare(model, retrained, model, eubo, erased, remaining, 1000, 7);
        PredictiveKl rklKl = PredictiveDivergence.Compare(model, retrained, model, rkl, erased, remaining, 1000, 7);
        Assert.True(euboKl.Erased < 0.2 * fullKl.Erased, $"EUBO {euboKl} vs full {fullKl}");
        Assert.True(rklKl.Erased < 0.75 * fullKl.Erased, $"rKL {rklKl} vs full {fullKl}");
    }
}
