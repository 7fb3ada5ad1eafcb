using System;
using TorchSharp;
using static TorchSharp.torch;

namespace DeepUnlearn.Bayesian;

/// <summary>
/// Monte-Carlo predictive distributions of a variational posterior and the KL divergence between two of
/// them, the evaluation of the VBU paper (its experiments): q(y = k | x) ≈ (1/S) Σ_s softmax(f_{θ_s}(x))_k with
/// θ_s ~ q, and the mean over rows of Σ_k p_k log(p_k / q_k).
/// </summary>
public static class PredictiveDivergence
{
    /// <summary>The predictive class probabilities of every row of <paramref name="data"/>, row-major N × K.</summary>
    /// <param name="model">The model.</param>
    /// <param name="posterior">The posterior q(θ).</param>
    /// <param name="data">The rows.</param>
    /// <param name="samples">Monte-Carlo draws θ_s ~ q, ≥ 1.</param>
    /// <param name="seed">Seed of the draws (the same seed for two posteriors gives common random numbers).</param>
    public static double[] Probabilities(IBayesianClassifier model, Gaussian posterior, ClassificationData data, int samples, ulong seed)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(posterior);
        ArgumentNullException.ThrowIfNull(data);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(samples);
        VariationalInference.RequireCompatible(model, data);
        int k = model.ClassCount;
        var result = new double[(long)data.Count * k];
        if (data.Count == 0)
        {
            return result;
        }
        using var noGrad = torch.no_grad();
        using var outer = torch.NewDisposeScope();
        using var generator = new Generator(seed);
        Tensor theta = posterior.Sample(samples, generator);
        Tensor x = data.FeaturesTensor(posterior.DType, posterior.Device);
        long n = data.Count;
        long chunk = Math.Max(1, (4L << 20) / ((long)samples * k));
        for (long start = 0; start < n; start += chunk)
        {
            using var scope = torch.NewDisposeScope();
            long length = Math.Min(chunk, n - start);
            Tensor probabilities = model.Logits(theta, x.narrow(0, start, length)).softmax(2).mean([0]);
            Tensor cpu = probabilities.to(ScalarType.Float64, torch.CPU).contiguous();
            cpu.data<double>().CopyTo(result.AsSpan((int)(start * k), (int)(length * k)));
        }
        return result;
    }

    /// <summary>
    /// The mean over rows of KL(p ‖ q) = Σ_k p_k log(p_k / q_k) between row-major N × K probability matrices
    /// (terms with p_k = 0 are 0; q_k is floored at 1e-300 so a zero cannot make it infinite). NaN when N = 0.
    /// </summary>
    public static double MeanKl(ReadOnlySpan<double> p, ReadOnlySpan<double> q, int classCount)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(classCount, 1);
        if (p.Length != q.Length || p.Length % classCount != 0)
        {
            throw new ArgumentException($"probability matrices of {p.Length} and {q.Length} values are not matching rows of {classCount}");
        }
        int n = p.Length / classCount;
        if (n == 0)
        {
            return double.NaN;
        }
        double total = 0;
        for (int i = 0; i < p.Length; i++)
        {
            if (p[i] > 0)
            {
                total += p[i] * Math.Log(p[i] / Math.Max(q[i], 1e-300));
            }
        }
        return total / n;
    }

    /// <summary>The share of rows whose most probable class is the label.</summary>
    public static double Accuracy(ReadOnlySpan<double> probabilities, ClassificationData data, int classCount)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (probabilities.Length != (long)data.Count * classCount)
        {
            throw new ArgumentException($"{probabilities.Length} probabilities are not {data.Count} rows of {classCount}", nameof(probabilities));
        }
        if (data.Count == 0)
        {
            return double.NaN;
        }
        int correct = 0;
        for (int i = 0; i < data.Count; i++)
        {
            ReadOnlySpan<double> row = probabilities.Slice(i * classCount, classCount);
            int best = 0;
            for (int c = 1; c < classCount; c++)
            {
                if (row[c] > row[best])
                {
                    best = c;
                }
            }
            correct += best == data.Labels[i] ? 1 : 0;
        }
        return (double)correct / data.Count;
    }

    /// <summary>
    /// The paper's metric for one posterior: the mean KL from the retrained posterior's predictive
    /// distribution to <paramref name="candidate"/>'s, on the erased and on the remaining rows.
    /// </summary>
    public static PredictiveKl Compare(
        IBayesianClassifier retrainedModel,
        Gaussian retrained,
        IBayesianClassifier candidateModel,
        Gaussian candidate,
        ClassificationData erased,
        ClassificationData remaining,
        int samples,
        ulong seed)
    {
        ArgumentNullException.ThrowIfNull(retrainedModel);
        ArgumentNullException.ThrowIfNull(candidateModel);
        if (retrainedModel.ClassCount != candidateModel.ClassCount)
        {
            throw new ArgumentException($"the retrained model has {retrainedModel.ClassCount} classes, the compared one {candidateModel.ClassCount}");
        }
        int k = retrainedModel.ClassCount;
        double onErased = MeanKl(
            Probabilities(retrainedModel, retrained, erased, samples, seed),
            Probabilities(candidateModel, candidate, erased, samples, seed),
            k);
        double onRemaining = MeanKl(
            Probabilities(retrainedModel, retrained, remaining, samples, seed),
            Probabilities(candidateModel, candidate, remaining, samples, seed),
            k);
        return new PredictiveKl(onErased, onRemaining);
    }
}
