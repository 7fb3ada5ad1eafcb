using System;
using TorchSharp;
using static TorchSharp.torch;

namespace DeepUnlearn.Bayesian;

/// <summary>
/// The adjusted likelihood of the erased data (Nguyen, Low and Jaillet 2020, the "adjusted likelihood" trick):
/// p̃(D_e | θ; λ) = p(D_e | θ) where q(θ | D) &gt; λ · max_θ' q(θ' | D), and 1 elsewhere. Only parameters the
/// full-data posterior finds plausible let the erased data's likelihood count, so unlearning cannot run
/// off into regions q(θ | D) never supported. λ = 0 keeps the plain likelihood everywhere (the density is
/// positive); λ = 1 nowhere (no θ has density above the maximum), so unlearning does nothing.
/// </summary>
/// <remarks>
/// For a Gaussian q(θ | D) = N(μ, L Lᵀ), log q(θ) − log max q = −½ ‖L⁻¹(θ − μ)‖², so the region is the
/// ellipsoid ‖L⁻¹(θ − μ)‖² &lt; −2 log λ and a draw of q(θ | D) falls inside with probability F_χ²_P(−2 log λ).
/// The threshold is log λ + log max q as in the authors' code (their <c>log_threshold = mode_lprob + log λ</c>).
/// </remarks>
public sealed class AdjustedLikelihood : IDisposable
{
    private readonly IDataLikelihood _erased;
    private readonly bool _ownsErased;
    private readonly Gaussian _full;

    /// <summary>The adjusted likelihood of <paramref name="erased"/> under <paramref name="model"/> with threshold λ = <paramref name="lambda"/>.</summary>
    /// <param name="model">The model.</param>
    /// <param name="fullPosterior">q(θ | D), the posterior from all data (borrowed; copied without gradients).</param>
    /// <param name="erased">D_e, the rows to unlearn (may be empty).</param>
    /// <param name="lambda">λ ∈ [0, 1].</param>
    public AdjustedLikelihood(IBayesianClassifier model, Gaussian fullPosterior, ClassificationData erased, double lambda)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(fullPosterior);
        ArgumentNullException.ThrowIfNull(erased);
        Lambda = ValidateLambda(lambda);
        if (fullPosterior.Dimension != model.ParameterCount)
        {
            throw new ArgumentException($"the posterior has dimension {fullPosterior.Dimension}; the {model.Name} model has {model.ParameterCount} parameters", nameof(fullPosterior));
        }
        _erased = new ClassifierDataLikelihood(model, erased, fullPosterior.DType, fullPosterior.Device);
        _ownsErased = true;
        _full = fullPosterior.Clone(trainable: false);
        LogThreshold = Threshold(_full, lambda);
    }

    /// <summary>The adjusted likelihood of the erased data's likelihood <paramref name="erased"/> (borrowed) with threshold λ = <paramref name="lambda"/>.</summary>
    /// <param name="erased">log p(D_e | θ) (borrowed: the caller disposes it after this object).</param>
    /// <param name="fullPosterior">q(θ | D), the posterior from all data (borrowed; copied without gradients).</param>
    /// <param name="lambda">λ ∈ [0, 1].</param>
    public AdjustedLikelihood(IDataLikelihood erased, Gaussian fullPosterior, double lambda)
    {
        ArgumentNullException.ThrowIfNull(erased);
        ArgumentNullException.ThrowIfNull(fullPosterior);
        Lambda = ValidateLambda(lambda);
        if (fullPosterior.Dimension != erased.ParameterCount)
        {
            throw new ArgumentException($"the posterior has dimension {fullPosterior.Dimension}; the likelihood has {erased.ParameterCount} parameters", nameof(fullPosterior));
        }
        _erased = erased;
        _ownsErased = false;
        _full = fullPosterior.Clone(trainable: false);
        LogThreshold = Threshold(_full, lambda);
    }

    /// <summary>λ.</summary>
    public double Lambda { get; }

    /// <summary>log λ + log max q(θ | D) (−∞ when λ = 0).</summary>
    public double LogThreshold { get; }

    /// <summary>|D_e|.</summary>
    public long ErasedCount => _erased.Count;

    /// <summary>The copy of q(θ | D) the threshold is measured against (borrowed).</summary>
    public Gaussian FullPosterior => _full;

    /// <summary>
    /// log p̃(D_e | θ; λ) for each row of <paramref name="theta"/> [S, P], as [S]; differentiable in θ where the
    /// likelihood counts (the region indicator is piecewise constant, so it carries no gradient).
    /// </summary>
    /// <param name="theta">Parameter samples.</param>
    /// <param name="counted">The fraction of rows of θ inside the region q(θ | D) &gt; λ max q.</param>
    public Tensor LogLikelihood(Tensor theta, out double counted) => LogLikelihood(theta, null, out counted);

    /// <summary>
    /// <see cref="LogLikelihood(Tensor, out double)"/> estimated from the erased rows <paramref name="rows"/>
    /// (int64 indices into D_e) scaled by |D_e| / |rows|: unbiased, because the region depends on θ only.
    /// </summary>
    /// <param name="theta">Parameter samples.</param>
    /// <param name="rows">A minibatch of erased rows, or null for all of them.</param>
    /// <param name="counted">The fraction of rows of θ inside the region q(θ | D) &gt; λ max q.</param>
    public Tensor LogLikelihood(Tensor theta, Tensor? rows, out double counted)
    {
        ArgumentNullException.ThrowIfNull(theta);
        using var scope = torch.NewDisposeScope();
        Tensor logLikelihood = _erased.LogLikelihood(theta, rows);
        if (rows is not null && rows.size(0) > 0)
        {
            logLikelihood = logLikelihood.mul((double)ErasedCount / rows.size(0));
        }
        Tensor? inside = Inside(theta);
        if (inside is null)
        {
            counted = 1;
            return logLikelihood.MoveToOuterDisposeScope();
        }
        counted = inside.to(ScalarType.Float64).mean().ToDouble();
        return torch.where(inside, logLikelihood, logLikelihood.zeros_like()).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Which rows of <paramref name="theta"/> [S, P] lie in the region q(θ | D) &gt; λ · max q where the erased data
    /// counts, as a boolean [S] (no gradients); every row when λ = 0. This is the test the unlearning uses.
    /// </summary>
    public Tensor InRegion(Tensor theta)
    {
        ArgumentNullException.ThrowIfNull(theta);
        using var scope = torch.NewDisposeScope();
        Tensor? inside = Inside(theta);
        return (inside ?? torch.ones([theta.size(0)], ScalarType.Bool, theta.device)).MoveToOuterDisposeScope();
    }

    /// <summary>Checks λ ∈ [0, 1] and returns it.</summary>
    /// <exception cref="ArgumentOutOfRangeException">λ is outside [0, 1] or not a number.</exception>
    public static double ValidateLambda(double lambda) =>
        lambda >= 0 && lambda <= 1
            ? lambda
            : throw new ArgumentOutOfRangeException(nameof(lambda), lambda,
                $"lambda must be in [0, 1] (0: the erased data's likelihood counts everywhere, the plain EUBO; 1: nowhere, no unlearning); got {lambda}");

    /// <inheritdoc />
    public void Dispose()
    {
        _full.Dispose();
        if (_ownsErased)
        {
            _erased.Dispose();
        }
    }

    /// <summary>The boolean [S] region test, or null when λ = 0 (everything counts).</summary>
    private Tensor? Inside(Tensor theta)
    {
        if (double.IsNegativeInfinity(LogThreshold))
        {
            return null;
        }
        using var noGrad = torch.no_grad();
        // VBU's adjusted likelihood: count p(D_e | θ) where log q(θ | D) > log λ + log max q(θ | D).
        return _full.LogProb(theta.detach()).gt(LogThreshold);
    }

    private static double Threshold(Gaussian full, double lambda)
    {
        if (lambda == 0)
        {
            return double.NegativeInfinity;
        }
        using var noGrad = torch.no_grad();
        using var scope = torch.NewDisposeScope();
        return Math.Log(lambda) + full.LogMaxDensity().ToDouble();
    }
}
