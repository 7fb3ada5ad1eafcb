using System;
using TorchSharp;
using static TorchSharp.torch;

namespace DeepUnlearn.Bayesian;

/// <summary>
/// The likelihood of Bayesian linear regression with known noise: yₙ = xₙᵀθ + εₙ, εₙ ~ N(0, σ²), so
/// log p(D | θ) = Σₙ [−½ log(2πσ²) − (yₙ − xₙᵀθ)² / (2σ²)] (a bias is a constant column of x). With a Gaussian
/// prior every posterior p(θ | D), p(θ | D_r) is Gaussian in closed form (the conjugate case), so this is the
/// model on which VBU's unlearning can be checked against the exact answer: with q(θ | D) = p(θ | D) and λ = 0
/// the EUBO's minimiser is p(θ | D_r) (Nguyen, Low and Jaillet 2020, the EUBO's derivation).
/// </summary>
public sealed class LinearRegressionLikelihood : IDataLikelihood
{
    private static readonly double s_logTwoPi = Math.Log(2 * Math.PI);
    private readonly Tensor _features;
    private readonly Tensor _targets;

    /// <summary>N rows of <paramref name="featureCount"/> inputs (row-major <paramref name="features"/>) with targets <paramref name="targets"/>.</summary>
    /// <param name="features">N × P finite values, row after row (copied).</param>
    /// <param name="targets">N finite targets (copied).</param>
    /// <param name="featureCount">P ≥ 1, the parameter dimension.</param>
    /// <param name="noiseStd">σ &gt; 0.</param>
    /// <param name="dtype">Floating-point type (float64 recommended).</param>
    /// <param name="device">Device of the tensors.</param>
    public LinearRegressionLikelihood(double[] features, double[] targets, int featureCount, double noiseStd, ScalarType dtype = ScalarType.Float64, Device? device = null)
    {
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(targets);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(featureCount);
        if (features.LongLength != (long)targets.Length * featureCount)
        {
            throw new ArgumentException($"{features.Length} feature values do not make {targets.Length} rows of {featureCount}", nameof(features));
        }
        if (!(noiseStd > 0) || double.IsInfinity(noiseStd))
        {
            throw new ArgumentOutOfRangeException(nameof(noiseStd), noiseStd, "the noise standard deviation must be a positive finite number");
        }
        if (Array.Exists(features, v => !double.IsFinite(v)) || Array.Exists(targets, v => !double.IsFinite(v)))
        {
            throw new ArgumentException("features and targets must be finite numbers", nameof(features));
        }
        ParameterCount = featureCount;
        Count = targets.Length;
        NoiseStd = noiseStd;
        Device d = device ?? torch.CPU;
        using var scope = torch.NewDisposeScope();
        _features = torch.tensor(features, [Count, featureCount], dtype, d).DetachFromDisposeScope();
        _targets = torch.tensor(targets, [Count], dtype, d).DetachFromDisposeScope();
    }

    /// <inheritdoc />
    public int ParameterCount { get; }

    /// <inheritdoc />
    public int Count { get; }

    /// <summary>σ.</summary>
    public double NoiseStd { get; }

    /// <inheritdoc />
    public Tensor LogLikelihood(Tensor theta, Tensor? rows = null)
    {
        ArgumentNullException.ThrowIfNull(theta);
        if (theta.dim() != 2 || theta.size(1) != ParameterCount)
        {
            throw new ArgumentException($"expected parameters [S, {ParameterCount}]; got [{string.Join(", ", theta.shape)}]", nameof(theta));
        }
        using var scope = torch.NewDisposeScope();
        Tensor x = rows is null ? _features : _features.index_select(0, rows);
        Tensor y = rows is null ? _targets : _targets.index_select(0, rows);
        long n = x.size(0);
        if (n == 0)
        {
            return torch.zeros([theta.size(0)], theta.dtype, theta.device).MoveToOuterDisposeScope();
        }
        // [S, N] residuals yₙ − xₙᵀθ_s.
        Tensor residuals = y.unsqueeze(0).sub(theta.mm(x.t()));
        double constant = -0.5 * n * (s_logTwoPi + (2 * Math.Log(NoiseStd)));
        return residuals.square().sum(1).mul(-0.5 / (NoiseStd * NoiseStd)).add(constant).MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _features.Dispose();
        _targets.Dispose();
    }
}
