using System;
using System.Collections.Generic;
using System.Globalization;
using DeepUnlearn.Engine;
using TorchSharp;
using static TorchSharp.torch;

namespace DeepUnlearn.Bayesian;

/// <summary>
/// Bayesian multinomial logistic regression (binary when K = 2): logits f_k(x) = w_kᵀx + b_k for the
/// first K − 1 classes and 0 for the last (the reference class that makes θ identifiable), so for K = 2 it
/// is ordinary logistic regression with p(y = 0 | x) = σ(w₀ᵀx + b₀). θ = (w₀, b₀, ..., w_{K−2}, b_{K−2}),
/// P = (K − 1)(D + 1), with the prior N(0, s² I). This is the logistic-regression model of the VBU paper
/// (Nguyen, Low and Jaillet, NeurIPS 2020, experiments).
/// </summary>
public sealed class BayesianLogisticRegression : IBayesianClassifier
{
    /// <summary>The registry name.</summary>
    public const string RegistryName = "logistic-regression";

    private readonly Dictionary<string, string> _configuration;
    private readonly Dictionary<string, Tensor> _tensors = new();

    /// <summary>A model for <paramref name="featureCount"/> inputs and <paramref name="classCount"/> classes.</summary>
    /// <param name="featureCount">D ≥ 1.</param>
    /// <param name="classCount">K ≥ 2.</param>
    /// <param name="priorStd">The prior standard deviation s &gt; 0 of every weight and bias.</param>
    /// <param name="dtype">Floating-point type of the prior (float64 recommended).</param>
    /// <param name="device">Device of the prior.</param>
    public BayesianLogisticRegression(int featureCount, int classCount, double priorStd = 10, ScalarType dtype = ScalarType.Float64, Device? device = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(featureCount);
        if (classCount < 2)
        {
            throw new ArgumentOutOfRangeException(nameof(classCount), classCount, "a classifier needs at least 2 classes");
        }
        FeatureCount = featureCount;
        ClassCount = classCount;
        PriorStd = priorStd;
        ParameterCount = (classCount - 1) * (featureCount + 1);
        Prior = Gaussian.Isotropic(PosteriorKind.Diagonal, ParameterCount, 0, priorStd, dtype, device ?? torch.CPU);
        _configuration = new Dictionary<string, string>
        {
            ["features"] = featureCount.ToString(CultureInfo.InvariantCulture),
            ["classes"] = classCount.ToString(CultureInfo.InvariantCulture),
            ["prior_std"] = priorStd.ToString("R", CultureInfo.InvariantCulture),
        };
    }

    /// <inheritdoc />
    public string Name => RegistryName;

    /// <inheritdoc />
    public int FeatureCount { get; }

    /// <inheritdoc />
    public int ClassCount { get; }

    /// <inheritdoc />
    public int ParameterCount { get; }

    /// <summary>The prior standard deviation s.</summary>
    public double PriorStd { get; }

    /// <inheritdoc />
    public Gaussian Prior { get; }

    /// <inheritdoc />
    public IReadOnlyDictionary<string, string> Configuration => _configuration;

    /// <inheritdoc />
    public IReadOnlyDictionary<string, Tensor> Tensors => _tensors;

    /// <inheritdoc />
    public Tensor Logits(Tensor theta, Tensor features)
    {
        ArgumentNullException.ThrowIfNull(theta);
        ArgumentNullException.ThrowIfNull(features);
        if (theta.dim() != 2 || theta.size(1) != ParameterCount)
        {
            throw new ArgumentException($"expected parameters [S, {ParameterCount}]; got [{string.Join(", ", theta.shape)}]", nameof(theta));
        }
        if (features.dim() != 2 || features.size(1) != FeatureCount)
        {
            throw new ArgumentException($"expected features [N, {FeatureCount}]; got [{string.Join(", ", features.shape)}]", nameof(features));
        }
        using var scope = torch.NewDisposeScope();
        long s = theta.size(0);
        long n = features.size(0);
        Tensor w = theta.view(s, ClassCount - 1, FeatureCount + 1);
        Tensor weights = w.narrow(2, 0, FeatureCount);
        Tensor bias = w.narrow(2, FeatureCount, 1).transpose(1, 2);
        // [N, D] @ [S, D, K − 1] broadcasts to [S, N, K − 1] (matmul through the guard: its native call has no try/catch).
        Tensor free = NativeGuards.MatMul(features, weights.transpose(1, 2)).add(bias);
        Tensor reference = torch.zeros([s, n, 1], free.dtype, free.device);
        return torch.cat([free, reference], 2).MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    public void Dispose() => Prior.Dispose();
}
