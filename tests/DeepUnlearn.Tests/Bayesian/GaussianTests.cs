using System;
using DeepUnlearn.Bayesian;
using DeepUnlearn.Engine;
using TorchSharp;
using static TorchSharp.torch;
using Xunit;

namespace DeepUnlearn.Tests.Bayesian;

public class GaussianTests
{
    // A fixed SPD covariance and mean, and a second pair, for closed-form checks.
    private static readonly double[] s_mean1 = [0.3, -1.2, 2.0];
    private static readonly double[] s_cov1 = [2.0, 0.3, -0.4, 0.3, 1.0, 0.2, -0.4, 0.2, 0.5];
    private static readonly double[] s_mean2 = [-0.5, 0.1, 1.0];
    private static readonly double[] s_cov2 = [1.5, -0.2, 0.1, -0.2, 0.8, 0.0, 0.1, 0.0, 2.5];

    public GaussianTests() => TorchRuntime.EnsureInitialized();

    [Theory]
    [InlineData(PosteriorKind.Full)]
    [InlineData(PosteriorKind.Diagonal)]
    public void LogProb_MatchesDenseFormula(PosteriorKind kind)
    {
        using Gaussian q = Make(kind, s_mean1, s_cov1);
        double[] cov = kind == PosteriorKind.Full ? s_cov1 : DiagonalOnly(s_cov1);
        double[] point = [1.0, 0.5, -0.3];
        using Tensor theta = torch.tensor(point, [1, 3]);
        using Tensor logProb = q.LogProb(theta);
        Assert.Equal(DenseLogDensity(point, s_mean1, cov), logProb.ToDouble(), 10);
        using Tensor max = q.LogMaxDensity();
        Assert.Equal(DenseLogDensity(s_mean1, s_mean1, cov), max.ToDouble(), 10);
    }

    [Theory]
    [InlineData(PosteriorKind.Full, PosteriorKind.Full)]
    [InlineData(PosteriorKind.Full, PosteriorKind.Diagonal)]
    [InlineData(PosteriorKind.Diagonal, PosteriorKind.Full)]
    [InlineData(PosteriorKind.Diagonal, PosteriorKind.Diagonal)]
    public void KlDivergence_MatchesDenseFormula(PosteriorKind first, PosteriorKind second)
    {
        using Gaussian p = Make(first, s_mean1, s_cov1);
        using Gaussian q = Make(second, s_mean2, s_cov2);
        double[] c1 = first == PosteriorKind.Full ? s_cov1 : DiagonalOnly(s_cov1);
        double[] c2 = second == PosteriorKind.Full ? s_cov2 : DiagonalOnly(s_cov2);
        using Tensor kl = p.KlDivergence(q);
        Assert.Equal(DenseKl(s_mean1, c1, s_mean2, c2), kl.ToDouble(), 10);
        using Tensor self = p.KlDivergence(p);
        Assert.Equal(0, self.ToDouble(), 10);
    }

    [Fact]
    public void Sample_HasTheMeanAndCovariance()
    {
        using Gaussian q = Make(PosteriorKind.Full, s_mean1, s_cov1);
        using var generator = new Generator(5);
        using var scope = torch.NewDisposeScope();
        Tensor samples = q.Sample(200_000, generator);
        double[] mean = samples.mean([0]).data<double>().ToArray();
        Tensor centred = samples.sub(samples.mean([0]));
        double[] cov = centred.t().mm(centred).div(200_000).flatten().data<double>().ToArray();
        for (int i = 0; i < 3; i++)
        {
            Assert.Equal(s_mean1[i], mean[i], 1);
        }
        for (int i = 0; i < 9; i++)
        {
            Assert.True(Math.Abs(s_cov1[i] - cov[i]) < 0.02, $"covariance entry {i}: {cov[i]} vs {s_cov1[i]}");
        }
    }

    [Fact]
    public void Sample_SameSeed_SameDraws()
    {
        using Gaussian q = Make(PosteriorKind.Diagonal, s_mean1, s_cov1);
        using var g1 = new Generator(9);
        using var g2 = new Generator(9);
        using var scope = torch.NewDisposeScope();
        Assert.Equal(q.Sample(4, g1).data<double>().ToArray(), q.Sample(4, g2).data<double>().ToArray());
    }

    [Fact]
    public void Sample_IsDifferentiableInTheParameters()
    {
        using Gaussian q = Gaussian.Isotropic(PosteriorKind.Full, 3, 0.5, 2.0, ScalarType.Float64, torch.CPU, trainable: true);
        using Gaussian target = q.Clone();
        using var generator = new Generator(1);
        using var scope = torch.NewDisposeScope();
        Tensor loss = q.Sample(8, generator).square().sum().add(q.KlDivergence(target));
        loss.backward();
        foreach (Tensor p in q.Parameters)
        {
            Assert.NotNull(p.grad);
        }
    }

    [Fact]
    public void FromMoments_RoundTripsTheCovariance()
    {
        using Gaussian q = Make(PosteriorKind.Full, s_mean1, s_cov1);
        using Tensor cov = q.Covariance();
        double[] actual = cov.flatten().data<double>().ToArray();
        for (int i = 0; i < 9; i++)
        {
            Assert.Equal(s_cov1[i], actual[i], 12);
        }
    }

    [Fact]
    public void Convert_KeepsMeanAndDiagonalOrWholeCovariance()
    {
        using Gaussian full = Make(PosteriorKind.Full, s_mean1, s_cov1);
        using Gaussian diag = full.Convert(PosteriorKind.Diagonal);
        using Gaussian back = diag.Convert(PosteriorKind.Full, trainable: true);
        Assert.Equal(PosteriorKind.Diagonal, diag.Kind);
        Assert.Equal(PosteriorKind.Full, back.Kind);
        Assert.True(back.Mean.requires_grad);
        Assert.Equal(s_mean1, back.Mean.data<double>().ToArray(), (a, b) => Math.Abs(a - b) < 1e-12);
        using Tensor cov = back.Covariance();
        Assert.Equal(DiagonalOnly(s_cov1), cov.flatten().data<double>().ToArray(), (a, b) => Math.Abs(a - b) < 1e-12);
    }

    [Fact]
    public void Fit_FromInitial_StartsThere()
    {
        ClassificationData data = TwoMoons.Generate(20, 0.2, seed: 1);
        using var model = new BayesianLogisticRegression(2, 2);
        using Gaussian initial = Make(PosteriorKind.Diagonal, s_mean1, s_cov1);
        using var generator = new Generator(2);
        using Gaussian fitted = VariationalInference.Fit(model, data, new VariationalOptions { Posterior = PosteriorKind.Full, Steps = 1, LearningRate = 1e-12 }, generator, initial);
        Assert.Equal(PosteriorKind.Full, fitted.Kind);
        Assert.Equal(s_mean1, fitted.Mean.data<double>().ToArray(), (a, b) => Math.Abs(a - b) < 1e-9);
        using Gaussian other = Gaussian.Isotropic(PosteriorKind.Diagonal, 4, 0, 1, ScalarType.Float64, torch.CPU);
        Assert.Throws<ArgumentException>(() => VariationalInference.Fit(model, data, new VariationalOptions { Steps = 1 }, generator, other));
    }

    [Fact]
    public void ParseKind_Unknown_ListsValidNames()
    {
        var e = Assert.Throws<ArgumentException>(() => Gaussian.ParseKind("spherical"));
        Assert.Contains("diag, full", e.Message, StringComparison.Ordinal);
        Assert.Equal(PosteriorKind.Full, Gaussian.ParseKind("FULL"));
    }

    internal static Gaussian Make(PosteriorKind kind, double[] mean, double[] cov)
    {
        int p = mean.Length;
        using var scope = torch.NewDisposeScope();
        return Gaussian.FromMoments(kind, torch.tensor(mean, [p]), torch.tensor(cov, [p, p]));
    }

    private static double[] DiagonalOnly(double[] cov)
    {
        int p = (int)Math.Sqrt(cov.Length);
        var d = new double[cov.Length];
        for (int i = 0; i < p; i++)
        {
            d[(i * p) + i] = cov[(i * p) + i];
        }
        return d;
    }

    private static double DenseLogDensity(double[] x, double[] mean, double[] cov)
    {
        int p = mean.Length;
        double[] inverse = Invert3(cov);
        double quad = 0;
        for (int i = 0; i < p; i++)
        {
            for (int j = 0; j < p; j++)
            {
                quad += (x[i] - mean[i]) * inverse[(i * p) + j] * (x[j] - mean[j]);
            }
        }
        return -0.5 * quad - 0.5 * Math.Log(Det3(cov)) - 0.5 * p * Math.Log(2 * Math.PI);
    }

    private static double DenseKl(double[] m1, double[] c1, double[] m2, double[] c2)
    {
        const int P = 3;
        double[] inv2 = Invert3(c2);
        double trace = 0;
        for (int i = 0; i < P; i++)
        {
            for (int k = 0; k < P; k++)
            {
                trace += inv2[(i * P) + k] * c1[(k * P) + i];
            }
        }
        double quad = 0;
        for (int i = 0; i < P; i++)
        {
            for (int j = 0; j < P; j++)
            {
                quad += (m2[i] - m1[i]) * inv2[(i * P) + j] * (m2[j] - m1[j]);
            }
        }
        return 0.5 * (trace + quad - P + Math.Log(Det3(c2)) - Math.Log(Det3(c1)));
    }

    private static double Det3(double[] a) =>
        (a[0] * ((a[4] * a[8]) - (a[5] * a[7]))) - (a[1] * ((a[3] * a[8]) - (a[5] * a[6]))) + (a[2] * ((a[3] * a[7]) - (a[4] * a[6])));

    private static double[] Invert3(double[] a)
    {
        double det = Det3(a);
        return
        [
            ((a[4] * a[8]) - (a[5] * a[7])) / det, ((a[2] * a[7]) - (a[1] * a[8])) / det, ((a[1] * a[5]) - (a[2] * a[4])) / det,
            ((a[5] * a[6]) - (a[3] * a[8])) / det, ((a[0] * a[8]) - (a[2] * a[6])) / det, ((a[2] * a[3]) - (a[0] * a[5])) / det,
            ((a[3] * a[7]) - (a[4] * a[6])) / det, ((a[1] * a[6]) - (a[0] * a[7])) / det, ((a[0] * a[4]) - (a[1] * a[3])) / det,
        ];
    }
}
