using System.Collections.Generic;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace DeepUnlearn.Bayesian;

/// <summary>
/// The mean-field Gaussian q(θ) = Π N(μ_i, σ_i²), parameterised by μ and log σ (so σ = exp(log σ) stays
/// positive without constraints).
/// </summary>
public sealed class DiagonalGaussian : Gaussian
{
    private readonly Parameter[] _parameters;
    private readonly Dictionary<string, Tensor> _named;

    /// <summary>Takes ownership of <paramref name="mean"/> [P] and <paramref name="logStd"/> [P].</summary>
    public DiagonalGaussian(Tensor mean, Tensor logStd)
        : base(mean)
    {
        System.ArgumentNullException.ThrowIfNull(logStd);
        if (logStd.dim() != 1 || logStd.size(0) != Dimension)
        {
            throw new System.ArgumentException($"log_std must be [{Dimension}]; got [{string.Join(", ", logStd.shape)}]", nameof(logStd));
        }
        LogStd = Own(logStd);
        _parameters = [Mean, LogStd];
        _named = new Dictionary<string, Tensor> { ["mean"] = Mean, ["log_std"] = LogStd };
    }

    /// <summary>log σ, [P].</summary>
    public Parameter LogStd { get; }

    /// <inheritdoc />
    public override PosteriorKind Kind => PosteriorKind.Diagonal;

    /// <inheritdoc />
    public override IReadOnlyList<Parameter> Parameters => _parameters;

    /// <inheritdoc />
    public override IReadOnlyDictionary<string, Tensor> NamedTensors => _named;

    /// <inheritdoc />
    public override Tensor ScaleTril()
    {
        using var scope = torch.NewDisposeScope();
        return LogStd.exp().diag().MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    public override Tensor LogScaleDiagonal() => LogStd.mul(1.0);

    /// <inheritdoc />
    public override Gaussian Clone(bool trainable = false)
    {
        using var noGrad = torch.no_grad();
        using var scope = torch.NewDisposeScope();
        var copy = new DiagonalGaussian(Mean.detach().clone(), LogStd.detach().clone());
        copy.SetTrainable(trainable);
        return copy;
    }

    /// <inheritdoc />
    protected override Tensor Transform(Tensor epsilon)
    {
        using var scope = torch.NewDisposeScope();
        return epsilon.mul(LogStd.exp()).add(Mean).MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    protected override Tensor Whiten(Tensor theta)
    {
        using var scope = torch.NewDisposeScope();
        return theta.sub(Mean).mul(LogStd.neg().exp()).MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            LogStd.Dispose();
        }
        base.Dispose(disposing);
    }
}
