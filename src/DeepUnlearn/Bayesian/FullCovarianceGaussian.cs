using System.Collections.Generic;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace DeepUnlearn.Bayesian;

/// <summary>
/// The full-covariance Gaussian N(μ, L Lᵀ) with a Cholesky factor L = tril(W, −1) + diag(exp(d)): the
/// strictly lower part of a free matrix W and a positive diagonal through exp, so every unconstrained
/// value of (μ, d, W) is a valid distribution. Entries of W on and above the diagonal are ignored.
/// </summary>
public sealed class FullCovarianceGaussian : Gaussian
{
    private readonly Parameter[] _parameters;
    private readonly Dictionary<string, Tensor> _named;

    /// <summary>Takes ownership of <paramref name="mean"/> [P], <paramref name="logDiagonal"/> [P] and <paramref name="lower"/> [P, P].</summary>
    public FullCovarianceGaussian(Tensor mean, Tensor logDiagonal, Tensor lower)
        : base(mean)
    {
        System.ArgumentNullException.ThrowIfNull(logDiagonal);
        System.ArgumentNullException.ThrowIfNull(lower);
        if (logDiagonal.dim() != 1 || logDiagonal.size(0) != Dimension)
        {
            throw new System.ArgumentException($"log_diagonal must be [{Dimension}]; got [{string.Join(", ", logDiagonal.shape)}]", nameof(logDiagonal));
        }
        if (lower.dim() != 2 || lower.size(0) != Dimension || lower.size(1) != Dimension)
        {
            throw new System.ArgumentException($"lower must be [{Dimension}, {Dimension}]; got [{string.Join(", ", lower.shape)}]", nameof(lower));
        }
        LogDiagonal = Own(logDiagonal);
        Lower = Own(lower);
        _parameters = [Mean, LogDiagonal, Lower];
        _named = new Dictionary<string, Tensor> { ["mean"] = Mean, ["log_diagonal"] = LogDiagonal, ["lower"] = Lower };
    }

    /// <summary>d = log diag(L), [P].</summary>
    public Parameter LogDiagonal { get; }

    /// <summary>W, whose strictly lower part is the strictly lower part of L, [P, P].</summary>
    public Parameter Lower { get; }

    /// <inheritdoc />
    public override PosteriorKind Kind => PosteriorKind.Full;

    /// <inheritdoc />
    public override IReadOnlyList<Parameter> Parameters => _parameters;

    /// <inheritdoc />
    public override IReadOnlyDictionary<string, Tensor> NamedTensors => _named;

    /// <inheritdoc />
    public override Tensor ScaleTril()
    {
        using var scope = torch.NewDisposeScope();
        return Lower.tril(-1).add(LogDiagonal.exp().diag()).MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    public override Tensor LogScaleDiagonal() => LogDiagonal.mul(1.0);

    /// <inheritdoc />
    public override Gaussian Clone(bool trainable = false)
    {
        using var noGrad = torch.no_grad();
        using var scope = torch.NewDisposeScope();
        var copy = new FullCovarianceGaussian(Mean.detach().clone(), LogDiagonal.detach().clone(), Lower.detach().clone());
        copy.SetTrainable(trainable);
        return copy;
    }

    /// <inheritdoc />
    protected override Tensor Transform(Tensor epsilon)
    {
        using var scope = torch.NewDisposeScope();
        return epsilon.mm(ScaleTril().t()).add(Mean).MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    protected override Tensor Whiten(Tensor theta)
    {
        using var scope = torch.NewDisposeScope();
        // z = L⁻¹ (θ − μ) for every row: solve L Z = (θ − μ)ᵀ.
        Tensor residuals = theta.sub(Mean).t();
        return torch.linalg.solve(ScaleTril(), residuals).t().MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            LogDiagonal.Dispose();
            Lower.Dispose();
        }
        base.Dispose(disposing);
    }
}
