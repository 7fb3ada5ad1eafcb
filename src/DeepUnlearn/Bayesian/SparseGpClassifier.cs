using System;
using System.Collections.Generic;
using System.Globalization;
using TorchSharp;
using static TorchSharp.torch;

namespace DeepUnlearn.Bayesian;

/// <summary>
/// Sparse Gaussian-process binary classification as in the VBU paper's moon experiment (Nguyen, Low and
/// Jaillet, NeurIPS 2020, synthetic moon experiment): the parameters are the latent function values θ = u = f(Z) at M fixed
/// inducing inputs Z, with the GP prior u ~ N(0, K_ZZ); the latent function elsewhere is the GP's
/// conditional mean f(x) = k(x, Z) K_ZZ⁻¹ u, and p(y = 1 | x, θ) = σ(f(x)). The kernel is the squared
/// exponential k(x, x') = σ_f² exp(−‖x − x'‖² / (2ℓ²)) with fixed hyperparameters. Because θ is a finite
/// vector and p(D | θ) is exact, the EUBO and reverse-KL unlearning apply to it exactly as to logistic
/// regression. Class 1's logit is f(x), class 0's is 0.
/// </summary>
public sealed class SparseGpClassifier : IBayesianClassifier
{
    /// <summary>The registry name.</summary>
    public const string RegistryName = "sparse-gp";

    private readonly Tensor _inducing;
    private readonly Tensor _kzzInverse;
    private readonly Dictionary<string, string> _configuration;
    private readonly Dictionary<string, Tensor> _tensors;

    /// <summary>A model with inducing inputs <paramref name="inducingPoints"/> [M, D] (copied).</summary>
    /// <param name="inducingPoints">The inducing inputs Z, [M, D], M ≥ 1.</param>
    /// <param name="lengthScale">ℓ &gt; 0.</param>
    /// <param name="variance">σ_f² &gt; 0, the prior variance of the latent function.</param>
    /// <param name="jitter">Added to K_ZZ's diagonal for a stable Cholesky factor, ≥ 0.</param>
    /// <param name="dtype">Floating-point type (float64 recommended).</param>
    /// <param name="device">Device.</param>
    public SparseGpClassifier(Tensor inducingPoints, double lengthScale, double variance, double jitter = 1e-6, ScalarType dtype = ScalarType.Float64, Device? device = null)
    {
        ArgumentNullException.ThrowIfNull(inducingPoints);
        if (inducingPoints.dim() != 2 || inducingPoints.size(0) == 0 || inducingPoints.size(1) == 0)
        {
            throw new ArgumentException($"inducing points must be a non-empty [M, D] matrix; got [{string.Join(", ", inducingPoints.shape)}]", nameof(inducingPoints));
        }
        RequirePositive(lengthScale, nameof(lengthScale));
        RequirePositive(variance, nameof(variance));
        if (!(jitter >= 0) || double.IsInfinity(jitter))
        {
            throw new ArgumentOutOfRangeException(nameof(jitter), jitter, "the jitter must be a finite number >= 0");
        }
        LengthScale = lengthScale;
        Variance = variance;
        Jitter = jitter;
        FeatureCount = (int)inducingPoints.size(1);
        ParameterCount = (int)inducingPoints.size(0);
        Device d = device ?? torch.CPU;

        using var noGrad = torch.no_grad();
        using var scope = torch.NewDisposeScope();
        _inducing = inducingPoints.to(dtype, d, copy: true).DetachFromDisposeScope();
        Tensor kzz = Kernel(_inducing, _inducing).add(torch.eye(ParameterCount, dtype: dtype, device: d).mul(jitter));
        Tensor l = torch.linalg.cholesky(kzz);
        _kzzInverse = torch.linalg.inv(kzz).DetachFromDisposeScope();
        Prior = new FullCovarianceGaussian(
            torch.zeros([ParameterCount], dtype, d),
            l.diagonal().log(),
            l.clone());
        _configuration = new Dictionary<string, string>
        {
            ["inducing"] = ParameterCount.ToString(CultureInfo.InvariantCulture),
            ["features"] = FeatureCount.ToString(CultureInfo.InvariantCulture),
            ["length_scale"] = lengthScale.ToString("R", CultureInfo.InvariantCulture),
            ["variance"] = variance.ToString("R", CultureInfo.InvariantCulture),
            ["jitter"] = jitter.ToString("R", CultureInfo.InvariantCulture),
        };
        _tensors = new Dictionary<string, Tensor> { ["inducing_points"] = _inducing };
    }

    /// <inheritdoc />
    public string Name => RegistryName;

    /// <inheritdoc />
    public int FeatureCount { get; }

    /// <inheritdoc />
    public int ClassCount => 2;

    /// <inheritdoc />
    public int ParameterCount { get; }

    /// <summary>The kernel length scale ℓ.</summary>
    public double LengthScale { get; }

    /// <summary>The kernel variance σ_f².</summary>
    public double Variance { get; }

    /// <summary>The jitter added to K_ZZ.</summary>
    public double Jitter { get; }

    /// <summary>The inducing inputs Z, [M, D] (borrowed).</summary>
    public Tensor InducingPoints => _inducing;

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
        // f(x) = k(x, Z) K_ZZ⁻¹ u for every sample u (row of θ): [S, N].
        Tensor projection = Kernel(features, _inducing).mm(_kzzInverse);
        Tensor f = theta.mm(projection.t());
        return (torch.stack([f.zeros_like(), f], 2)).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// <paramref name="count"/> inducing inputs chosen by k-means (k-means++ seeding, then Lloyd iterations)
    /// over the rows of <paramref name="data"/>, seeded: a data-driven, reproducible placement.
    /// </summary>
    public static double[] KMeansInducingPoints(ClassificationData data, int count, int seed, int iterations = 50)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        if (data.Count < count)
        {
            throw new ArgumentException($"cannot place {count} inducing points with k-means on {data.Count} samples; use at most {data.Count}", nameof(count));
        }
        int d = data.FeatureCount;
        ReadOnlySpan<double> x = data.Features;
        var random = new Random(seed);
        var centres = new double[count * d];
        var nearest = new double[data.Count];
        Array.Fill(nearest, double.PositiveInfinity);
        int first = random.Next(data.Count);
        x.Slice(first * d, d).CopyTo(centres.AsSpan(0, d));
        for (int c = 1; c < count; c++)
        {
            double total = 0;
            for (int i = 0; i < data.Count; i++)
            {
                nearest[i] = Math.Min(nearest[i], SquaredDistance(x.Slice(i * d, d), centres.AsSpan((c - 1) * d, d)));
                total += nearest[i];
            }
            double target = random.NextDouble() * total;
            int pick = data.Count - 1;
            for (int i = 0; i < data.Count; i++)
            {
                target -= nearest[i];
                if (target <= 0)
                {
                    pick = i;
                    break;
                }
            }
            x.Slice(pick * d, d).CopyTo(centres.AsSpan(c * d, d));
        }

        var assignment = new int[data.Count];
        var sums = new double[count * d];
        var sizes = new int[count];
        for (int iteration = 0; iteration < iterations; iteration++)
        {
            bool changed = iteration == 0;
            for (int i = 0; i < data.Count; i++)
            {
                int best = 0;
                double bestDistance = double.PositiveInfinity;
                for (int c = 0; c < count; c++)
                {
                    double distance = SquaredDistance(x.Slice(i * d, d), centres.AsSpan(c * d, d));
                    if (distance < bestDistance)
                    {
                        bestDistance = distance;
                        best = c;
                    }
                }
                changed |= assignment[i] != best;
                assignment[i] = best;
            }
            if (!changed)
            {
                break;
            }
            Array.Clear(sums);
            Array.Clear(sizes);
            for (int i = 0; i < data.Count; i++)
            {
                int c = assignment[i];
                sizes[c]++;
                for (int j = 0; j < d; j++)
                {
                    sums[(c * d) + j] += x[(i * d) + j];
                }
            }
            for (int c = 0; c < count; c++)
            {
                if (sizes[c] > 0)
                {
                    for (int j = 0; j < d; j++)
                    {
                        centres[(c * d) + j] = sums[(c * d) + j] / sizes[c];
                    }
                }
            }
        }
        return centres;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Prior.Dispose();
        _inducing.Dispose();
        _kzzInverse.Dispose();
    }

    private Tensor Kernel(Tensor a, Tensor b)
    {
        using var scope = torch.NewDisposeScope();
        Tensor squaredA = a.square().sum(1, keepdim: true);
        Tensor squaredB = b.square().sum(1, keepdim: true).t();
        Tensor squared = squaredA.add(squaredB).sub(a.mm(b.t()).mul(2)).clamp(min: 0);
        return squared.mul(-0.5 / (LengthScale * LengthScale)).exp().mul(Variance).MoveToOuterDisposeScope();
    }

    private static double SquaredDistance(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        double sum = 0;
        for (int i = 0; i < a.Length; i++)
        {
            double diff = a[i] - b[i];
            sum += diff * diff;
        }
        return sum;
    }

    private static void RequirePositive(double value, string name)
    {
        if (!(value > 0) || double.IsInfinity(value))
        {
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be a positive finite number");
        }
    }
}
