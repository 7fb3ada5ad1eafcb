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
public sealed class AdjustedLikelihood : IDisposable
{
    private readonly IBayesianClassifier _model;
    private readonly Gaussian _full;
    private readonly Tensor _features;
    private readonly Tensor _labels;

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
        VariationalInference.RequireCompatible(model, erased);
        _model = model;
        _full = fullPosterior.clone(trainable: false);
        _features = erased.FeaturesTensor(_full.dtype, _full.Device).DetachFromDisposeScope();
        _labels = erased.LabelsTensor(_full.Device).DetachFromDisposeScope();
        using var noGrad = torch.no_grad();
        using var scope = torch.NewDisposeScope();
        LogThreshold = lambda == 0 ? double.NegativeInfinity : Math.Log(lambda) + _full.LogMaxDensity().ToDouble();
    }

    /// <summary>λ.</summary>
    public double Lambda { get; }

    /// <summary>log λ + log max q(θ | D) (−∞ when λ = 0).</summary>
    public double LogThreshold { get; }

    /// <summary>|D_e|.</summary>
    public long ErasedCount => _labels.size(0);

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
        Tensor features = rows is null ? _features : _features.index_select(0, rows);
        Tensor labels = rows is null ? _labels : _labels.index_select(0, rows);
        Tensor logLikelihood = torch.is_grad_enabled() && theta.requires_grad
            ? ClassifierLikelihood.LogLikelihood(_model, theta, features, labels)
            : ClassifierLikelihood.LogLikelihoodChunked(_model, theta, features, labels);
        if (rows is not null && rows.size(0) > 0)
        {
            logLikelihood = logLikelihood.mul((double)ErasedCount / rows.size(0));
        }
        if (double.IsNegativeInfinity(LogThreshold))
        {
            counted = 1;
            return logLikelihood.MoveToOuterDisposeScope();
        }
        Tensor inside;
        using (torch.no_grad())
        {
            inside = _full.LogProb(theta.detach()).gt(LogThreshold);
        }
        counted = inside.to(ScalarType.Float64).mean().ToDouble();
        return (torch.where(inside, logLikelihood, logLikelihood.zeros_like())).MoveToOuterDisposeScope();
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
        _features.Dispose();
        _labels.Dispose();
    }
}
