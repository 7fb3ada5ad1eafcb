using System;
using System.IO;
using DeepUnlearn.Bayesian;
using DeepUnlearn.Engine;
using TorchSharp;
using static TorchSharp.torch;
using Xunit;

namespace DeepUnlearn.Tests.Bayesian;

public class ModelTests
{
    [Fact]
    public void LogisticRegression_Logits_AreAffineWithReferenceClassLast()
    {
        using var model = new BayesianLogisticRegression(featureCount: 2, classCount: 3, priorStd: 1);
        Assert.Equal(6, model.ParameterCount);
        double[] theta = [1, 2, 0.5, -1, 0, 3];
        double[] x = [0.2, -0.4, 1.0, 2.0];
        using var scope = torch.NewDisposeScope();
        double[] logits = model.Logits(torch.tensor(theta, [1, 6]), torch.tensor(x, [2, 2])).flatten().data<double>().ToArray();
        double[] expected =
        [
            (1 * 0.2) + (2 * -0.4) + 0.5, (-1 * 0.2) + (0 * -0.4) + 3, 0,
            (1 * 1.0) + (2 * 2.0) + 0.5, (-1 * 1.0) + (0 * 2.0) + 3, 0,
        ];
        Assert.Equal(expected, logits, (a, b) => Math.Abs(a - b) < 1e-12);
    }

    public ModelTests() => TorchRuntime.EnsureInitialized();

    [Fact]
    public void SparseGp_Logits_AreTheConditionalMeanAndInterpolateAtInducingInputs()
    {
        double[] z = [0, 0, 1, 0, 0, 1];
        using var scope = torch.NewDisposeScope();
        using var model = new SparseGpClassifier(torch.tensor(z, [3, 2]), lengthScale: 0.7, variance: 2.0, jitter: 0);
        double[] u = [0.5, -1.0, 2.0];
        double[] x = [0.3, 0.4];
        double[] logits = model.Logits(torch.tensor(u, [1, 3]), torch.tensor(x, [1, 2])).flatten().data<double>().ToArray();
        // k(x, Z) K_ZZ⁻¹ u by hand.
        double K(double ax, double ay, double bx, double by) => 2.0 * Math.Exp(-(((ax - bx) * (ax - bx)) + ((ay - by) * (ay - by))) / (2 * 0.49));
        var kzz = new double[9];
        for (int i = 0; i < 3; i++)
        {
            for (int j = 0; j < 3; j++)
            {
                kzz[(i * 3) + j] = K(z[2 * i], z[(2 * i) + 1], z[2 * j], z[(2 * j) + 1]);
            }
        }
        double[] alpha = Solve3(kzz, u);
        double f = 0;
        for (int i = 0; i < 3; i++)
        {
            f += K(x[0], x[1], z[2 * i], z[(2 * i) + 1]) * alpha[i];
        }
        Assert.Equal(0, logits[0], 12);
        Assert.Equal(f, logits[1], 10);
        double[] atInducing = model.Logits(torch.tensor(u, [1, 3]), torch.tensor(z, [3, 2])).flatten().data<double>().ToArray();
        Assert.Equal(u, [atInducing[1], atInducing[3], atInducing[5]], (a, b) => Math.Abs(a - b) < 1e-9);
        // The prior is the GP at Z: its covariance is K_ZZ.
        double[] prior = model.Prior.Covariance().flatten().data<double>().ToArray();
        Assert.Equal(kzz, prior, (a, b) => Math.Abs(a - b) < 1e-12);
    }

    [Fact]
    public void KMeansInducingPoints_AreSeededAndDistinct()
    {
        ClassificationData data = TwoMoons.Generate(200, 0.1, seed: 1);
        double[] a = SparseGpClassifier.KMeansInducingPoints(data, 10, seed: 4);
        double[] b = SparseGpClassifier.KMeansInducingPoints(data, 10, seed: 4);
        Assert.Equal(a, b);
        Assert.Equal(20, a.Length);
        Assert.Throws<ArgumentException>(() => SparseGpClassifier.KMeansInducingPoints(data, 201, seed: 0));
    }

    [Theory]
    [InlineData("logistic-regression", PosteriorKind.Diagonal)]
    [InlineData("logistic-regression", PosteriorKind.Full)]
    [InlineData("sparse-gp", PosteriorKind.Full)]
    [InlineData("sparse-gp", PosteriorKind.Diagonal)]
    public void PosteriorFile_RoundTrip_PredictsTheSame(string name, PosteriorKind kind)
    {
        ClassificationData data = TwoMoons.Generate(40, 0.2, seed: 2);
        using IBayesianClassifier model = name == "sparse-gp" ? MakeGp(data) : new BayesianLogisticRegression(2, 2, 3.5);
        using var generator = new Generator(3);
        using Gaussian posterior = VariationalInference.Fit(model, data, new VariationalOptions { Posterior = kind, Steps = 30, LearningRate = 0.05 }, generator);
        string path = Path.Combine(Path.GetTempPath(), $"vbu-{Guid.NewGuid():N}.safetensors");
        try
        {
            PosteriorFile.Save(path, model, posterior, new System.Collections.Generic.Dictionary<string, string> { ["data"] = "moons" });
            using LoadedPosterior loaded = PosteriorFile.Load(path);
            Assert.Equal(model.Name, loaded.Model.Name);
            Assert.Equal(kind, loaded.Posterior.Kind);
            Assert.Equal("moons", loaded.Metadata["data"]);
            Assert.Equal(model.Configuration, loaded.Model.Configuration);
            foreach (var (key, tensor) in posterior.NamedTensors)
            {
                Assert.Equal(tensor.data<double>().ToArray(), loaded.Posterior.NamedTensors[key].data<double>().ToArray());
            }
            double[] before = PredictiveDivergence.Probabilities(model, posterior, data, 50, 1);
            double[] after = PredictiveDivergence.Probabilities(loaded.Model, loaded.Posterior, data, 50, 1);
            Assert.Equal(before, after);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void PosteriorFile_Load_RejectsForeignSafetensors()
    {
        string path = Path.Combine(Path.GetTempPath(), $"vbu-{Guid.NewGuid():N}.safetensors");
        try
        {
            using (var scope = torch.NewDisposeScope())
            {
                SafeTensors.Save(path, [new("w", torch.zeros([2]))]);
            }
            var e = Assert.Throws<InvalidDataException>(() => PosteriorFile.Load(path));
            Assert.Contains("not a DeepUnlearn posterior file", e.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Registry_UnknownName_ListsValidNames()
    {
        var e = Assert.Throws<ArgumentException>(() => BayesianClassifiers.Create("svm", new System.Collections.Generic.Dictionary<string, string>(), new System.Collections.Generic.Dictionary<string, Tensor>()));
        Assert.Contains("logistic-regression, sparse-gp", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MeanKl_MatchesClosedForm()
    {
        double[] p = [0.5, 0.5, 1.0, 0.0];
        double[] q = [0.25, 0.75, 0.5, 0.5];
        double expected = ((0.5 * Math.Log(2)) + (0.5 * Math.Log(0.5 / 0.75)) + Math.Log(2)) / 2;
        Assert.Equal(expected, PredictiveDivergence.MeanKl(p, q, 2), 12);
        Assert.Equal(0, PredictiveDivergence.MeanKl(p, p, 2), 12);
    }

    [Fact]
    public void VariationalInference_SparseGp_FitsTheMoons()
    {
        using var thread = new SingleThread();
        ClassificationData data = TwoMoons.Generate(100, 0.1, seed: 0);
        using IBayesianClassifier model = MakeGp(data);
        using var generator = new Generator(1);
        using Gaussian q = VariationalInference.Fit(model, data, new VariationalOptions { Posterior = PosteriorKind.Full, Steps = 400, LearningRate = 0.05 }, generator);
        double[] probabilities = PredictiveDivergence.Probabilities(model, q, data, 200, 2);
        Assert.True(PredictiveDivergence.Accuracy(probabilities, data, 2) > 0.95);
    }

    private static SparseGpClassifier MakeGp(ClassificationData data)
    {
        double[] z = SparseGpClassifier.KMeansInducingPoints(data, 8, seed: 0);
        using var scope = torch.NewDisposeScope();
        return new SparseGpClassifier(torch.tensor(z, [8, 2]), lengthScale: 0.6, variance: 4.0);
    }

    private static double[] Solve3(double[] a, double[] b)
    {
        double[] m = (double[])a.Clone();
        double[] v = (double[])b.Clone();
        for (int c = 0; c < 3; c++)
        {
            for (int r = c + 1; r < 3; r++)
            {
                double factor = m[(r * 3) + c] / m[(c * 3) + c];
                for (int k = c; k < 3; k++)
                {
                    m[(r * 3) + k] -= factor * m[(c * 3) + k];
                }
                v[r] -= factor * v[c];
            }
        }
        var x = new double[3];
        for (int r = 2; r >= 0; r--)
        {
            double sum = v[r];
            for (int k = r + 1; k < 3; k++)
            {
                sum -= m[(r * 3) + k] * x[k];
            }
            x[r] = sum / m[(r * 3) + r];
        }
        return x;
    }
}
