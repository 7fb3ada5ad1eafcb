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
/// Variational Bayesian unlearning by the evidence upper bound (Nguyen, Low and Jaillet, NeurIPS 2020:
/// the EUBO and its "adjusted likelihood" trick). Since p(θ | D) = p(D_e | θ) p(θ | D_r) / p(D_e | D_r),
/// KL[q ‖ p(θ | D_r)] = E_q[log p(D_e | θ)] + KL[q ‖ p(θ | D)] − log p(D_e | D_r), so minimising the EUBO
/// U(q) = E_q[log p(D_e | θ)] + KL[q ‖ p(θ | D)] ≥ log p(D_e | D_r) brings q to p(θ | D_r) using only the
/// erased data and the full-data posterior. With VI the exact p(θ | D) is unknown and q(θ | D) stands in for
/// it; the adjusted likelihood p̃(D_e | θ; λ) replaces p(D_e | θ) so the first term only acts where
/// q(θ | D) is plausible:
/// Ũ_λ(q) = E_q[log p̃(D_e | θ; λ)] + KL[q ‖ q(θ | D)].
/// The expectation uses reparameterised samples, the KL its closed form; q starts at q(θ | D). The
/// remaining data D_r is never read.
/// </summary>
/// <remarks>
/// With q(θ | D) = p(θ | D) and λ = 0 the minimiser over a Gaussian family is the KL[q ‖ ·] projection of
/// p(θ | D_r) onto it (tested on conjugate linear regression). At λ &gt; 0 the gradient is the reparameterised one
/// with the region indicator held fixed, as in the authors' code (<c>tf.where</c> in <c>unlearn.py</c>): it omits the
/// term from samples crossing the region's boundary as q moves, so the iteration settles where that estimator
/// vanishes, which is near but not exactly the minimiser of Ũ_λ.
/// </remarks>
public static class EuboUnlearning
{
    /// <summary>Unlearns <paramref name="erased"/> from <paramref name="fullPosterior"/> = q(θ | D).</summary>
    /// <param name="model">The model.</param>
    /// <param name="fullPosterior">q(θ | D) (borrowed, not changed).</param>
    /// <param name="erased">D_e; when empty the objective is KL[q ‖ q(θ | D)] and the result is q(θ | D).</param>
    /// <param name="options">λ, steps, learning rate, samples.</param>
    /// <param name="generator">The only source of randomness.</param>
    /// <param name="initial">Where q starts (default q(θ | D)); must be of the family wanted for the result.</param>
    /// <param name="logger">Progress at Debug level.</param>
    /// <param name="cancellationToken">Checked every step.</param>
    public static VbuOutcome Unlearn(
        IBayesianClassifier model,
        Gaussian fullPosterior,
        ClassificationData erased,
        EuboOptions options,
        Generator generator,
        Gaussian? initial = null,
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
        return Unlearn(likelihood, fullPosterior, options, generator, initial, logger, cancellationToken);
    }

    /// <summary>Unlearns the data whose likelihood is <paramref name="erased"/> from <paramref name="fullPosterior"/> = q(θ | D), for any model.</summary>
    /// <param name="erased">log p(D_e | θ) (borrowed); when it has no rows the result is q(θ | D).</param>
    /// <param name="fullPosterior">q(θ | D) (borrowed, not changed).</param>
    /// <param name="options">λ, steps, learning rate, samples, erased rows per step.</param>
    /// <param name="generator">The only source of randomness.</param>
    /// <param name="initial">Where q starts (default q(θ | D)); must be of the family wanted for the result.</param>
    /// <param name="logger">Progress at Debug level.</param>
    /// <param name="cancellationToken">Checked every step.</param>
    public static VbuOutcome Unlearn(
        IDataLikelihood erased,
        Gaussian fullPosterior,
        EuboOptions options,
        Generator generator,
        Gaussian? initial = null,
        ILogger? logger = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(erased);
        ArgumentNullException.ThrowIfNull(fullPosterior);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(generator);
        if (initial is not null && (initial.Dimension != fullPosterior.Dimension))
        {
            throw new ArgumentException($"the initial posterior has dimension {initial.Dimension}; q(θ | D) has {fullPosterior.Dimension}", nameof(initial));
        }
        logger ??= NullLogger.Instance;
        var clock = Stopwatch.StartNew();
        using var likelihood = new AdjustedLikelihood(erased, fullPosterior, options.Lambda);
        Gaussian q = (initial ?? fullPosterior).Clone(trainable: true);
        try
        {
            using var batches = new MiniBatches((int)likelihood.ErasedCount, options.BatchSize, generator, q.Device);
            using Adam adam = torch.optim.Adam(q.Parameters, lr: options.LearningRate);
            // PyTorch's CosineAnnealingLR(T_max = steps), stepped once per iteration.
            var schedule = torch.optim.lr_scheduler.CosineAnnealingLR(adam, options.Steps);
            double objective = double.NaN;
            double countedSum = 0;
            for (int step = 1; step <= options.Steps; step++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                using var scope = torch.NewDisposeScope();
                Tensor theta = q.Sample(options.Samples, generator);
                // Ũ_λ(q) = E_q[log p̃(D_e | θ; λ)] + KL[q ‖ q(θ | D)]  (VBU, EUBO with adjusted likelihood).
                Tensor? rows = batches.IsFull ? null : batches.Next();
                Tensor expected = likelihood.LogLikelihood(theta, rows, out double counted).mean();
                Tensor eubo = expected.add(q.KlDivergence(likelihood.FullPosterior));
                adam.zero_grad();
                eubo.backward();
                adam.step();
                schedule.step();
                objective = eubo.ToDouble();
                countedSum += counted;
                if (step % Math.Max(1, options.Steps / 10) == 0 && logger.IsEnabled(LogLevel.Debug))
                {
                    BayesianLog.Progress(logger, "EUBO", step, options.Steps, objective);
                }
            }
            q.SetTrainable(false);
            return new VbuOutcome(q, objective, countedSum / options.Steps, null, clock.Elapsed.TotalSeconds);
        }
        catch
        {
            q.Dispose();
            throw;
        }
    }
}
