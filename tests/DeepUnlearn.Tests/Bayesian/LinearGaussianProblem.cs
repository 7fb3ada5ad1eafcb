using System;
using System.Collections.Generic;
using System.Linq;
using DeepUnlearn.Bayesian;
using TorchSharp;
using static TorchSharp.torch;

namespace DeepUnlearn.Tests.Bayesian;

/// <summary>
/// Bayesian linear regression with a known noise σ and the prior N(0, s² I): the conjugate model whose
/// posteriors the tests know exactly, p(θ | D) = N(μ, Λ⁻¹) with Λ = I/s² + XᵀX/σ² and μ = Λ⁻¹ Xᵀy/σ² (computed
/// here with plain doubles). The erased rows are shifted in x and in y, so removing them moves the posterior.
/// </summary>
internal sealed class LinearGaussianProblem
{
    private LinearGaussianProblem(int p, double[] features, double[] targets, int[] erased, double noiseStd, double priorStd)
    {
        P = p;
        Features = features;
        Targets = targets;
        Erased = erased;
        Remaining = Enumerable.Range(0, targets.Length).Except(erased).ToArray();
        NoiseStd = noiseStd;
        PriorStd = priorStd;
    }

    public int P { get; }

    /// <summary>Row-major N × P; the last column is 1 (the bias).</summary>
    public double[] Features { get; }

    public double[] Targets { get; }

    public int[] Erased { get; }

    public int[] Remaining { get; }

    public double NoiseStd { get; }

    public double PriorStd { get; }

    public int[] All => Enumerable.Range(0, Targets.Length).ToArray();

    /// <summary>
    /// <paramref name="remaining"/> rows with inputs N(<paramref name="offset"/>, 1) and <paramref name="erased"/> rows
    /// with inputs N(<paramref name="xShift"/>, 0.5²) whose targets are raised by <paramref name="yShift"/>;
    /// y = xᵀθ* + σε. An offset correlates the slopes with the bias in the posterior.
    /// </summary>
    public static LinearGaussianProblem Create(int p, int remaining, int erased, double noiseStd, double priorStd, double xShift, double yShift, double offset, int seed)
    {
        var random = new Random(seed);
        double Normal() => Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
        int n = remaining + erased;
        var truth = Enumerable.Range(0, p).Select(j => 1.0 - (0.6 * j)).ToArray();
        var features = new double[n * p];
        var targets = new double[n];
        for (int i = 0; i < n; i++)
        {
            bool isErased = i >= remaining;
            double y = 0;
            for (int j = 0; j < p; j++)
            {
                double x = j == p - 1 ? 1.0 : isErased ? xShift + (0.5 * Normal()) : offset + Normal();
                features[(i * p) + j] = x;
                y += x * truth[j];
            }
            targets[i] = y + (noiseStd * Normal()) + (isErased ? yShift : 0);
        }
        return new LinearGaussianProblem(p, features, targets, Enumerable.Range(remaining, erased).ToArray(), noiseStd, priorStd);
    }

    /// <summary>The exact posterior p(θ | rows).</summary>
    public DenseGaussian Posterior(IEnumerable<int> rows)
    {
        var precision = new double[P, P];
        var b = new double[P];
        double noisePrecision = 1 / (NoiseStd * NoiseStd);
        for (int j = 0; j < P; j++)
        {
            precision[j, j] = 1 / (PriorStd * PriorStd);
        }
        foreach (int i in rows)
        {
            for (int a = 0; a < P; a++)
            {
                b[a] += Features[(i * P) + a] * Targets[i] * noisePrecision;
                for (int c = 0; c < P; c++)
                {
                    precision[a, c] += Features[(i * P) + a] * Features[(i * P) + c] * noisePrecision;
                }
            }
        }
        double[,] covariance = Dense.InverseSpd(precision);
        return new DenseGaussian(Dense.MatVec(covariance, b), covariance);
    }

    /// <summary>log p(rows | θ) of the model, written out for the oracles.</summary>
    public double LogLikelihood(IEnumerable<int> rows, ReadOnlySpan<double> theta)
    {
        double sum = 0;
        foreach (int i in rows)
        {
            double prediction = 0;
            for (int j = 0; j < P; j++)
            {
                prediction += Features[(i * P) + j] * theta[j];
            }
            double residual = Targets[i] - prediction;
            sum += (-0.5 * Math.Log(2 * Math.PI * NoiseStd * NoiseStd)) - (residual * residual / (2 * NoiseStd * NoiseStd));
        }
        return sum;
    }

    /// <summary>The library's likelihood of <paramref name="rows"/> (caller disposes).</summary>
    public LinearRegressionLikelihood Likelihood(IEnumerable<int> rows)
    {
        int[] r = rows.ToArray();
        var x = new double[r.Length * P];
        var y = new double[r.Length];
        for (int k = 0; k < r.Length; k++)
        {
            Array.Copy(Features, r[k] * P, x, k * P, P);
            y[k] = Targets[r[k]];
        }
        return new LinearRegressionLikelihood(x, y, P, NoiseStd, ScalarType.Float64, torch.CPU);
    }
}
