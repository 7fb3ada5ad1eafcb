using System;
using System.Linq;
using DeepUnlearn.Bayesian;
using DeepUnlearn.Engine;
using TorchSharp;
using static TorchSharp.torch;

namespace DeepUnlearn.Tests.Bayesian;

/// <summary>
/// The paper's moon set-up in small: 100 two-moons rows, the 20 with the largest first coordinate erased,
/// a full-covariance Bayesian logistic regression fitted by VI on all rows (q(θ | D)) and retrained on the
/// rest (q(θ | D_r)). Fitted once per test class.
/// </summary>
public sealed class MoonsFixture : IDisposable
{
    private readonly int _threads;

    public MoonsFixture()
    {
        TorchRuntime.EnsureInitialized();
        _threads = torch.get_num_threads();
        torch.set_num_threads(1);
        Data = TwoMoons.Generate(100, 0.2, seed: 0);
        ClassificationData data = Data;
        ErasedIds = Enumerable.Range(0, data.Count).OrderByDescending(i => data.Features[2 * i]).Take(20).ToArray();
        Erased = Data.Select(ErasedIds);
        Remaining = Data.Without(ErasedIds);
        Model = new BayesianLogisticRegression(2, 2, priorStd: 10);
        var options = new VariationalOptions { Posterior = PosteriorKind.Full, Steps = 1000, LearningRate = 0.05, Samples = 16 };
        using var g1 = new Generator(1);
        Full = VariationalInference.Fit(Model, Data, options, g1);
        using var g2 = new Generator(2);
        Retrained = VariationalInference.Fit(Model, Remaining, options, g2);
    }

    public ClassificationData Data { get; }

    public int[] ErasedIds { get; }

    public ClassificationData Erased { get; }

    public ClassificationData Remaining { get; }

    public BayesianLogisticRegression Model { get; }

    public Gaussian Full { get; }

    public Gaussian Retrained { get; }

    public PredictiveKl VersusRetrained(Gaussian candidate) =>
        PredictiveDivergence.Compare(Model, Retrained, Model, candidate, Erased, Remaining, samples: 1000, seed: 7);

    public void Dispose()
    {
        Full.Dispose();
        Retrained.Dispose();
        Model.Dispose();
        torch.set_num_threads(_threads);
    }
}
