using System;
using System.Linq;
using DeepUnlearn.Evaluation;
using Xunit;

namespace DeepUnlearn.Tests.Evaluation;

/// <summary>
/// The logistic-regression probe against its stationary-point equations (sklearn's objective ½‖w‖² + C Σ log-loss,
/// intercept unpenalised), and the ROC AUC against a brute-force count over all positive/negative pairs.
/// </summary>
public class LinearProbeTests
{
    [Theory]
    [InlineData(1.0)]
    [InlineData(0.05)]
    public void Train_OverlappingGaussians_GradientOfTheObjectiveIsZero(double c)
    {
        const int n = 120;
        const int dim = 5;
        var (features, positive) = Gaussians(n, dim, shift: 0.8, seed: 3);
        int[] rows = Enumerable.Range(0, n).ToArray();
        var (w, b, mean, scale) = LinearProbe.Train(features, dim, positive, rows, c);

        // ∂/∂w: w/C + Σ (σ(s) − y) z = 0 and ∂/∂b: Σ (σ(s) − y) = 0, with z the standardised features; recomputed here
        // in plain doubles, independently of the solver.
        var gradient = new double[dim];
        double gradientB = 0;
        for (int i = 0; i < n; i++)
        {
            double[] z = Enumerable.Range(0, dim).Select(j => (features[(i * dim) + j] - mean[j]) / scale[j]).ToArray();
            double s = b + z.Select((v, j) => v * w[j]).Sum();
            double residual = (1 / (1 + Math.Exp(-s))) - (positive[i] ? 1 : 0);
            gradientB += residual;
            for (int j = 0; j < dim; j++)
            {
                gradient[j] += residual * z[j];
            }
        }
        for (int j = 0; j < dim; j++)
        {
            Assert.Equal(0, (w[j] / c) + gradient[j], 8);
        }
        Assert.Equal(0, gradientB, 8);
        // The standardisation is the training rows' own (population std, as sklearn's StandardScaler).
        double mean0 = Enumerable.Range(0, n).Average(i => (double)features[i * dim]);
        Assert.Equal(mean0, mean[0], 6);
        // A smaller C shrinks the weights: the fixture really exercises the penalty.
        Assert.True(w.Max(Math.Abs) > 1e-3);
    }

    [Fact]
    public void Train_SeparableData_StaysFinite()
    {
        // Perfectly separable data has no unpenalised optimum; the L2 penalty gives it one, and Newton must reach it.
        var (features, positive) = Gaussians(60, 3, shift: 20, seed: 4);
        var (w, b, _, _) = LinearProbe.Train(features, 3, positive, Enumerable.Range(0, 60).ToArray());
        Assert.All(w, v => Assert.True(double.IsFinite(v)));
        Assert.True(double.IsFinite(b));
    }

    [Fact]
    public void Fit_HeldOutRows_AccuracyAndAucOnTheHeldOutRowsOnly()
    {
        var (features, positive) = Gaussians(200, 4, shift: 3, seed: 5);
        int[] train = Enumerable.Range(0, 100).ToArray();
        int[] eval = Enumerable.Range(100, 100).ToArray();
        ProbeResult result = LinearProbe.Fit(features, 4, positive, train, eval);
        Assert.Equal(100, result.TrainCount);
        Assert.Equal(100, result.EvalCount);
        // Means 3 apart per dimension over 4 dimensions: the Bayes error is Φ(−3) ≈ 0.1%.
        Assert.InRange(result.AccuracyPercent, 95, 100);
        Assert.InRange(result.Auc, 0.98, 1);
    }

    [Fact]
    public void Fit_OneClassAmongTrainingRows_ThrowsSayingSo()
    {
        var (features, positive) = Gaussians(20, 2, shift: 1, seed: 6);
        int[] onlyPositive = Enumerable.Range(0, 20).Where(i => positive[i]).ToArray();
        var error = Assert.Throws<ArgumentException>(() => LinearProbe.Fit(features, 2, positive, onlyPositive, onlyPositive));
        Assert.Contains("both classes", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RocAuc_ScoresWithTies_EqualsThePairwiseCount()
    {
        var random = new Random(11);
        double[] scores = Enumerable.Range(0, 300).Select(_ => (double)random.Next(0, 20)).ToArray();
        bool[] positive = scores.Select(s => random.NextDouble() < 0.3 + (s / 40)).ToArray();
        double pairs = 0;
        double wins = 0;
        for (int i = 0; i < scores.Length; i++)
        {
            for (int j = 0; j < scores.Length; j++)
            {
                if (positive[i] && !positive[j])
                {
                    pairs++;
                    wins += scores[i] > scores[j] ? 1 : scores[i] == scores[j] ? 0.5 : 0;
                }
            }
        }
        Assert.Equal(wins / pairs, ClassificationMetrics.RocAuc(scores, positive), 12);
        Assert.Equal(1, ClassificationMetrics.RocAuc([0.1, 0.2, 0.9], [false, false, true]), 12);
        Assert.Equal(0.5, ClassificationMetrics.RocAuc([1, 1, 1, 1], [true, false, true, false]), 12);
    }

    /// <summary>Half positives at mean +shift/2, half negatives at −shift/2 in every dimension, unit variance.</summary>
    private static (float[] Features, bool[] Positive) Gaussians(int n, int dim, double shift, int seed)
    {
        var random = new Random(seed);
        var features = new float[n * dim];
        var positive = new bool[n];
        for (int i = 0; i < n; i++)
        {
            positive[i] = i % 2 == 0;
            for (int j = 0; j < dim; j++)
            {
                double u1 = 1 - random.NextDouble();
                double u2 = random.NextDouble();
                double normal = Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
                features[(i * dim) + j] = (float)(normal + ((positive[i] ? 0.5 : -0.5) * shift));
            }
        }
        return (features, positive);
    }
}
