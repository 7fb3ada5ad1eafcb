using System;
using System.Collections.Generic;
using System.Linq;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace DeepUnlearn.Bayesian;

/// <summary>
/// A multivariate Gaussian N(μ, Σ = L Lᵀ) over a flat parameter vector θ ∈ ℝᴾ, used both as a variational
/// posterior (its tensors are trainable leaves) and as a fixed prior. Every density, sample and divergence is
/// a differentiable function of the parameters, so objectives built from them train with autograd; sampling
/// is reparameterised (θ = μ + L ε, ε ~ N(0, I)). The object owns its tensors; dispose it. The tensors that define
/// the distribution are TorchSharp <see cref="Parameter"/>s (trainable or not), so an optimizer takes them as they are.
/// </summary>
public abstract class Gaussian : IDisposable
{
    private static readonly double s_logTwoPi = Math.Log(2 * Math.PI);
    private bool _disposed;

    /// <summary>Wraps <paramref name="mean"/> (taken: the instance disposes it).</summary>
    private protected Gaussian(Tensor mean)
    {
        ArgumentNullException.ThrowIfNull(mean);
        if (mean.dim() != 1 || mean.size(0) == 0)
        {
            throw new ArgumentException($"the mean must be a non-empty vector; got shape [{string.Join(", ", mean.shape)}]", nameof(mean));
        }
        Dimension = (int)mean.size(0);
        Mean = Own(mean);
    }

    /// <summary>The mean μ, [P].</summary>
    public Parameter Mean { get; }

    /// <summary>The dimension P.</summary>
    public int Dimension { get; }

    /// <summary>The floating-point type of every tensor.</summary>
    public ScalarType DType => Mean.dtype;

    /// <summary>The device of every tensor.</summary>
    public Device Device => Mean.device;

    /// <summary>The family.</summary>
    public abstract PosteriorKind Kind { get; }

    /// <summary>The leaves an optimizer updates (borrowed).</summary>
    public abstract IReadOnlyList<Parameter> Parameters { get; }

    /// <summary>The tensors that define the distribution, by stable name, for saving (borrowed).</summary>
    public abstract IReadOnlyDictionary<string, Tensor> NamedTensors { get; }

    /// <summary>The lower-triangular scale L with Σ = L Lᵀ and a positive diagonal, [P, P].</summary>
    public abstract Tensor ScaleTril();

    /// <summary>log diag(L), [P]; its sum is ½ log det Σ.</summary>
    public abstract Tensor LogScaleDiagonal();

    /// <summary>Maps standard-normal rows ε [S, P] to θ = μ + L ε, [S, P].</summary>
    protected abstract Tensor Transform(Tensor epsilon);

    /// <summary>The whitened residuals z = L⁻¹(θ − μ) of rows of <paramref name="theta"/>, [S, P].</summary>
    protected abstract Tensor Whiten(Tensor theta);

    /// <summary>A copy with the same values; its tensors are trainable leaves when <paramref name="trainable"/>.</summary>
    public abstract Gaussian Clone(bool trainable = false);

    /// <summary>
    /// <paramref name="count"/> reparameterised draws θ = μ + L ε, [count, P]: differentiable in the
    /// distribution's parameters, random through <paramref name="generator"/> only.
    /// </summary>
    public Tensor Sample(long count, Generator? generator)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        using var scope = torch.NewDisposeScope();
        // Drawn on the CPU (where the generator lives) and moved, so a seed gives the same θ on every device.
        Tensor epsilon = torch.randn([count, Dimension], DType, torch.CPU, generator: generator).to(Device);
        return Transform(epsilon).MoveToOuterDisposeScope();
    }

    /// <summary>log q(θ) for each row of <paramref name="theta"/> [S, P], as [S].</summary>
    public Tensor LogProb(Tensor theta)
    {
        ArgumentNullException.ThrowIfNull(theta);
        if (theta.dim() != 2 || theta.size(1) != Dimension)
        {
            throw new ArgumentException($"expected samples of shape [S, {Dimension}]; got [{string.Join(", ", theta.shape)}]", nameof(theta));
        }
        using var scope = torch.NewDisposeScope();
        Tensor z = Whiten(theta);
        Tensor quadratic = z.square().sum(1).mul(-0.5);
        Tensor constant = LogScaleDiagonal().sum().add(0.5 * Dimension * s_logTwoPi);
        return quadratic.sub(constant).MoveToOuterDisposeScope();
    }

    /// <summary>log max_θ q(θ) = log q(μ) = −½ P log 2π − ½ log det Σ, a scalar.</summary>
    public Tensor LogMaxDensity()
    {
        using var scope = torch.NewDisposeScope();
        return LogScaleDiagonal().sum().add(0.5 * Dimension * s_logTwoPi).neg().MoveToOuterDisposeScope();
    }

    /// <summary>The dense covariance Σ = L Lᵀ, [P, P].</summary>
    public Tensor Covariance()
    {
        using var scope = torch.NewDisposeScope();
        Tensor l = ScaleTril();
        return l.mm(l.t()).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// KL[this ‖ other] in closed form, a scalar differentiable in this distribution's parameters:
    /// ½ [tr(Σ₂⁻¹Σ₁) + (μ₂ − μ₁)ᵀ Σ₂⁻¹ (μ₂ − μ₁) − P + log det Σ₂ − log det Σ₁].
    /// </summary>
    public Tensor KlDivergence(Gaussian other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (other.Dimension != Dimension)
        {
            throw new ArgumentException($"cannot compare Gaussians of dimension {Dimension} and {other.Dimension}", nameof(other));
        }
        using var scope = torch.NewDisposeScope();
        Tensor logDet1 = LogScaleDiagonal().sum();
        Tensor logDet2 = other.LogScaleDiagonal().sum();
        Tensor diff = other.Mean.sub(Mean);
        Tensor trace;
        Tensor mahalanobis;
        if (other is DiagonalGaussian otherDiag)
        {
            Tensor invStd2 = otherDiag.LogStd.neg().exp();
            if (this is DiagonalGaussian thisDiag)
            {
                trace = thisDiag.LogStd.exp().mul(invStd2).square().sum();
            }
            else
            {
                trace = ScaleTril().mul(invStd2.unsqueeze(1)).square().sum();
            }
            mahalanobis = diff.mul(invStd2).square().sum();
        }
        else
        {
            Tensor l2 = other.ScaleTril();
            trace = torch.linalg.solve(l2, ScaleTril()).square().sum();
            mahalanobis = torch.linalg.solve(l2, diff.unsqueeze(1)).square().sum();
        }
        Tensor kl = trace.add(mahalanobis).sub(Dimension).mul(0.5).add(logDet2).sub(logDet1);
        return kl.MoveToOuterDisposeScope();
    }

    /// <summary>
    /// This distribution as family <paramref name="kind"/> (a copy): the same family is cloned; a diagonal
    /// Gaussian becomes the full one with the same (diagonal) covariance; a full Gaussian becomes the
    /// diagonal one with the same marginal variances.
    /// </summary>
    public Gaussian Convert(PosteriorKind kind, bool trainable = false)
    {
        if (kind == Kind)
        {
            return Clone(trainable);
        }
        using var noGrad = torch.no_grad();
        using var scope = torch.NewDisposeScope();
        return FromMoments(kind, Mean, Covariance(), trainable);
    }

    /// <summary>
    /// A Gaussian of family <paramref name="kind"/> with the given <paramref name="mean"/> [P] and
    /// <paramref name="covariance"/> [P, P] (symmetric positive definite; the diagonal family keeps only its
    /// diagonal). The inputs are copied.
    /// </summary>
    public static Gaussian FromMoments(PosteriorKind kind, Tensor mean, Tensor covariance, bool trainable = false)
    {
        ArgumentNullException.ThrowIfNull(mean);
        ArgumentNullException.ThrowIfNull(covariance);
        long p = mean.size(0);
        if (covariance.dim() != 2 || covariance.size(0) != p || covariance.size(1) != p)
        {
            throw new ArgumentException($"the covariance must be [{p}, {p}]; got [{string.Join(", ", covariance.shape)}]", nameof(covariance));
        }
        using var noGrad = torch.no_grad();
        using var scope = torch.NewDisposeScope();
        Tensor mu = mean.detach().clone();
        Gaussian result = kind switch
        {
            PosteriorKind.Diagonal => new DiagonalGaussian(mu, covariance.detach().diagonal().log().mul(0.5)),
            PosteriorKind.Full => FullFromCholesky(mu, torch.linalg.cholesky(covariance.detach())),
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "valid posterior kinds: Diagonal, Full"),
        };
        result.SetTrainable(trainable);
        return result;
    }

    /// <summary>N(<paramref name="mean"/>·1, <paramref name="std"/>²·I) of family <paramref name="kind"/>.</summary>
    public static Gaussian Isotropic(PosteriorKind kind, int dimension, double mean, double std, ScalarType dtype, Device device, bool trainable = false)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(dimension);
        if (!(std > 0) || double.IsInfinity(std))
        {
            throw new ArgumentOutOfRangeException(nameof(std), std, "the standard deviation must be a positive finite number");
        }
        using var scope = torch.NewDisposeScope();
        Tensor mu = torch.full([dimension], mean, dtype, device);
        Tensor logScale = torch.full([dimension], Math.Log(std), dtype, device);
        Gaussian result = kind switch
        {
            PosteriorKind.Diagonal => new DiagonalGaussian(mu, logScale),
            PosteriorKind.Full => new FullCovarianceGaussian(mu, logScale, torch.zeros([dimension, dimension], dtype, device)),
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "valid posterior kinds: Diagonal, Full"),
        };
        result.SetTrainable(trainable);
        return result;
    }

    /// <summary>The Gaussian stored as <see cref="NamedTensors"/> (copied), as written by <see cref="PosteriorFile"/>.</summary>
    /// <exception cref="ArgumentException">A tensor the family needs is missing or has the wrong shape.</exception>
    public static Gaussian FromNamedTensors(PosteriorKind kind, IReadOnlyDictionary<string, Tensor> tensors, ScalarType dtype, Device device)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        using var noGrad = torch.no_grad();
        using var scope = torch.NewDisposeScope();
        Tensor Get(string name)
        {
            if (!tensors.TryGetValue(name, out Tensor? t))
            {
                throw new ArgumentException($"a {KindName(kind)} Gaussian needs tensor '{name}'; present: {string.Join(", ", tensors.Keys)}", nameof(tensors));
            }
            return t.to(dtype, device, copy: true);
        }
        Tensor mean = Get("mean");
        long p = mean.dim() == 1 ? mean.size(0) : -1;
        void Check(Tensor t, string name, params long[] shape)
        {
            if (p <= 0 || !t.shape.SequenceEqual(shape))
            {
                throw new ArgumentException($"tensor '{name}' has shape [{string.Join(", ", t.shape)}]; expected [{string.Join(", ", shape)}]", nameof(tensors));
            }
        }
        switch (kind)
        {
            case PosteriorKind.Diagonal:
            {
                Tensor logStd = Get("log_std");
                Check(logStd, "log_std", p);
                return new DiagonalGaussian(mean, logStd);
            }
            case PosteriorKind.Full:
            {
                Tensor logDiagonal = Get("log_diagonal");
                Tensor lower = Get("lower");
                Check(logDiagonal, "log_diagonal", p);
                Check(lower, "lower", p, p);
                return new FullCovarianceGaussian(mean, logDiagonal, lower);
            }
            default:
                throw new ArgumentOutOfRangeException(nameof(kind), kind, "valid posterior kinds: Diagonal, Full");
        }
    }

    /// <summary>The CLI and file name of a family: <c>diag</c> or <c>full</c>.</summary>
    public static string KindName(PosteriorKind kind) => kind switch
    {
        PosteriorKind.Diagonal => "diag",
        PosteriorKind.Full => "full",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "valid posterior kinds: Diagonal, Full"),
    };

    /// <summary>Parses <c>diag</c> or <c>full</c> (case-insensitive).</summary>
    /// <exception cref="ArgumentException">Any other name; the message lists the valid ones.</exception>
    public static PosteriorKind ParseKind(string name) => name?.Trim().ToLowerInvariant() switch
    {
        "diag" or "diagonal" => PosteriorKind.Diagonal,
        "full" => PosteriorKind.Full,
        _ => throw new ArgumentException($"unknown posterior '{name}'; valid: diag, full", nameof(name)),
    };

    /// <summary>Turns gradients of every parameter on (an optimizer will update them) or off, and drops any gradient.</summary>
    public void SetTrainable(bool trainable)
    {
        foreach (Parameter p in Parameters)
        {
            p.grad = null;
            p.requires_grad = trainable;
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Disposes the owned tensors.</summary>
    protected virtual void Dispose(bool disposing)
    {
        if (_disposed)
        {
            return;
        }
        _disposed = true;
        if (disposing)
        {
            Mean.Dispose();
        }
    }

    /// <summary>
    /// <paramref name="tensor"/> as a <see cref="Parameter"/> owned by this object: the handle moves into the parameter
    /// (the argument is left empty) with its requires_grad unchanged, and leaves every dispose scope.
    /// </summary>
    private protected static Parameter Own(Tensor tensor)
    {
        var parameter = tensor as Parameter ?? new Parameter(tensor, tensor.requires_grad);
        parameter.DetachFromDisposeScope();
        return parameter;
    }

    private static FullCovarianceGaussian FullFromCholesky(Tensor mean, Tensor l)
    {
        Tensor logDiagonal = l.diagonal().log();
        return new FullCovarianceGaussian(mean, logDiagonal, l.clone());
    }
}
