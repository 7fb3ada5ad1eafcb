using System;
using System.Diagnostics;
using System.Threading;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace DeepUnlearn.Bayesian;

/// <summary>
/// Variational Bayesian unlearning by the reverse KL (Nguyen, Low and Jaillet, NeurIPS 2020: the "reverse KL" trick).
/// The target p̃(θ | D_r; λ) ∝ q(θ | D) / p̃(D_e | θ; λ) is what Bayes' rule gives when q(θ | D) stands in for
/// p(θ | D); instead of KL[q ‖ p̃] (the EUBO) it minimises KL[p̃(θ | D_r; λ) ‖ q], which equals, up to a
/// constant, −E_{p̃}[log q(θ)]. With θ_s ~ q(θ | D) and self-normalised importance weights
/// w_s = p̃(D_e | θ_s; λ)⁻¹ / Σ_t p̃(D_e | θ_t; λ)⁻¹ the objective is −Σ_s w_s log q(θ_s), minimised by Adam.
/// For a Gaussian q its minimiser over a fixed pool is the weighted mean Σ w_s θ_s and covariance
/// Σ w_s (θ_s − μ)(θ_s − μ)ᵀ (<see cref="MomentMatch"/>). The remaining data D_r is never read.
/// </summary>
public static class ReverseKlUnlearning
{
    /// <summary>Unlearns <paramref name="erased"/> from <paramref name="fullPosterior"/> = q(θ | D); the result has the same family.</summary>
    /// <param name="model">The model.</param>
    /// <param name="fullPosterior">q(θ | D) (borrowed, not changed).</param>
    /// <param name="erased">D_e; when empty every weight is equal and the result is q(θ | D) up to Monte-Carlo error.</param>
    /// <param name="options">λ, steps, learning rate, samples, solver.</param>
    /// <param name="generator">The only source of randomness.</param>
    /// <param name="logger">Progress at Debug level.</param>
    /// <param name="cancellationToken">Checked every step.</param>
    public static VbuOutcome Unlearn(
        IBayesianClassifier model,
        Gaussian fullPosterior,
        ClassificationData erased,
        ReverseKlOptions options,
        Generator generator,
        ILogger? logger = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(fullPosterior);
        ArgumentNullException.ThrowIfNull(erased);
        if (fullPosterior.Dimension != model.ParameterCount)
        {
            throw new ArgumentException($"the posterior has dimension {fullPosterior.Dimension}; the {model.Name} model has {model.ParameterCount} parameters", nameof(fullPosterior));
        }
        using var likelihood = new ClassifierDataLikelihood(model, erased, fullPosterior.DType, fullPosterior.Device);
        return Unlearn(likelihood, fullPosterior, options, generator, logger, cancellationToken);
    }

    /// <summary>Unlearns the data whose likelihood is <paramref name="erased"/> from <paramref name="fullPosterior"/> = q(θ | D), for any model; the result has the same family.</summary>
    /// <param name="erased">log p(D_e | θ) (borrowed); when it has no rows every weight is equal.</param>
    /// <param name="fullPosterior">q(θ | D) (borrowed, not changed).</param>
    /// <param name="options">λ, steps, learning rate, samples, solver.</param>
    /// <param name="generator">The only source of randomness.</param>
    /// <param name="logger">Progress at Debug level.</param>
    /// <param name="cancellationToken">Checked every step.</param>
    public static VbuOutcome Unlearn(
        IDataLikelihood erased,
        Gaussian fullPosterior,
        ReverseKlOptions options,
        Generator generator,
        ILogger? logger = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(erased);
        ArgumentNullException.ThrowIfNull(fullPosterior);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(generator);
        logger ??= NullLogger.Instance;
        var clock = Stopwatch.StartNew();
        using var likelihood = new AdjustedLikelihood(erased, fullPosterior, options.Lambda);
        Gaussian full = likelihood.FullPosterior;

        if (options.MomentMatching)
        {
            using var scope = torch.NewDisposeScope();
            Tensor samples = SampleWithoutGrad(full, options.Samples, generator);
            Tensor logWeights = LogImportanceWeights(likelihood, samples, out double counted);
            double ess = EffectiveSampleSize(logWeights);
            Gaussian matched = MomentMatch(full.Kind, samples, logWeights);
            double objective = WeightedNegativeLogDensity(matched, samples, logWeights);
            return new VbuOutcome(matched, objective, counted, ess, clock.Elapsed.TotalSeconds);
        }

        Gaussian q = full.Clone(trainable: true);
        try
        {
            using Adam adam = torch.optim.Adam(q.Parameters, lr: options.LearningRate);
            // PyTorch's CosineAnnealingLR(T_max = steps), stepped once per iteration.
            var schedule = torch.optim.lr_scheduler.CosineAnnealingLR(adam, options.Steps);
            Tensor? pool = null;
            Tensor? poolWeights = null;
            double poolCounted = 0;
            double countedSum = 0;
            double essSum = 0;
            double objective = double.NaN;
            try
            {
                for (int step = 1; step <= options.Steps; step++)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    using var scope = torch.NewDisposeScope();
                    Tensor samples;
                    Tensor logWeights;
                    double counted;
                    if (options.ResampleEachStep || pool is null)
                    {
                        samples = SampleWithoutGrad(full, options.Samples, generator);
                        logWeights = LogImportanceWeights(likelihood, samples, out counted);
                        if (!options.ResampleEachStep)
                        {
                            pool = samples.DetachFromDisposeScope();
                            poolWeights = logWeights.DetachFromDisposeScope();
                            poolCounted = counted;
                        }
                    }
                    else
                    {
                        samples = pool;
                        logWeights = poolWeights!;
                        counted = poolCounted;
                    }
                    countedSum += counted;
                    essSum += EffectiveSampleSize(logWeights);
                    // KL[p̃(θ | D_r; λ) ‖ q] = const − Σ_s w_s log q(θ_s)  (VBU, reverse KL).
                    Tensor loss = logWeights.exp().mul(q.LogProb(samples)).sum().neg();
                    adam.zero_grad();
                    loss.backward();
                    adam.step();
                    schedule.step();
                    objective = loss.ToDouble();
                    if (step % Math.Max(1, options.Steps / 10) == 0 && logger.IsEnabled(LogLevel.Debug))
                    {
                        BayesianLog.Progress(logger, "reverse KL", step, options.Steps, objective);
                    }
                }
            }
            finally
            {
                pool?.Dispose();
                poolWeights?.Dispose();
            }
            q.SetTrainable(false);
            return new VbuOutcome(q, objective, countedSum / options.Steps, essSum / options.Steps, clock.Elapsed.TotalSeconds);
        }
        catch
        {
            q.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Self-normalised log importance weights log w_s = −log p̃(D_e | θ_s; λ) − log Σ_t exp(−log p̃(D_e | θ_t; λ))
    /// of samples θ_s ~ q(θ | D), as [S].
    /// </summary>
    public static Tensor LogImportanceWeights(AdjustedLikelihood likelihood, Tensor samples, out double counted)
    {
        ArgumentNullException.ThrowIfNull(likelihood);
        ArgumentNullException.ThrowIfNull(samples);
        using var noGrad = torch.no_grad();
        using var scope = torch.NewDisposeScope();
        Tensor inverse = likelihood.LogLikelihood(samples, out counted).neg();
        return (inverse.sub(inverse.logsumexp(0))).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The Gaussian of family <paramref name="kind"/> that maximises Σ_s w_s log q(θ_s): the weighted mean
    /// μ = Σ w_s θ_s and covariance Σ = Σ w_s (θ_s − μ)(θ_s − μ)ᵀ (its diagonal for the diagonal family).
    /// </summary>
    /// <param name="kind">The family.</param>
    /// <param name="samples">θ_s, [S, P].</param>
    /// <param name="logWeights">log w_s, [S]; normalised here.</param>
    /// <exception cref="InvalidOperationException">The weighted covariance is singular (too few effective samples for P).</exception>
    public static Gaussian MomentMatch(PosteriorKind kind, Tensor samples, Tensor logWeights)
    {
        ArgumentNullException.ThrowIfNull(samples);
        ArgumentNullException.ThrowIfNull(logWeights);
        using var noGrad = torch.no_grad();
        using var scope = torch.NewDisposeScope();
        Tensor w = logWeights.sub(logWeights.logsumexp(0)).exp().unsqueeze(1);
        // dim: named, because TorchSharp binds a literal 0 to sum(ScalarType? type), the sum of everything.
        Tensor mean = samples.mul(w).sum(dim: 0);
        Tensor centred = samples.sub(mean);
        if (kind == PosteriorKind.Diagonal)
        {
            Tensor variance = centred.square().mul(w).sum(dim: 0);
            if (variance.le(0).any().ToBoolean())
            {
                throw Degenerate(samples, logWeights);
            }
            return new DiagonalGaussian(mean, variance.log().mul(0.5));
        }
        Tensor covariance = centred.mul(w).t().mm(centred);
        // Only a covariance that is not positive definite is the degenerate case; other libtorch errors propagate.
        (_, Tensor info) = torch.linalg.cholesky_ex(covariance);
        if (info.ToInt64() != 0)
        {
            throw Degenerate(samples, logWeights);
        }
        return Gaussian.FromMoments(PosteriorKind.Full, mean, covariance);
    }

    /// <summary>The effective sample size 1 / Σ w_s² of normalised log weights.</summary>
    public static double EffectiveSampleSize(Tensor logWeights)
    {
        ArgumentNullException.ThrowIfNull(logWeights);
        using var noGrad = torch.no_grad();
        using var scope = torch.NewDisposeScope();
        return 1.0 / logWeights.mul(2).exp().sum().ToDouble();
    }

    private static Tensor SampleWithoutGrad(Gaussian q, int count, Generator generator)
    {
        using var noGrad = torch.no_grad();
        return q.Sample(count, generator);
    }

    private static double WeightedNegativeLogDensity(Gaussian q, Tensor samples, Tensor logWeights)
    {
        using var noGrad = torch.no_grad();
        using var scope = torch.NewDisposeScope();
        return logWeights.exp().mul(q.LogProb(samples)).sum().neg().ToDouble();
    }

    private static InvalidOperationException Degenerate(Tensor samples, Tensor logWeights) => new(
        $"the importance-weighted covariance is singular: the effective sample size is {EffectiveSampleSize(logWeights):G3} for {samples.size(1)} parameters " +
        "(1/p(D_e|θ) weights concentrate on few samples); use more samples, a larger lambda, or the gradient solver");
}
