using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Threading;
using TorchSharp;
using static TorchSharp.torch;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace DeepUnlearn.Bayesian;

/// <summary>
/// The VBU paper's experiment for one seed (Nguyen, Low and Jaillet 2020, experiments; the authors' <c>run.py</c>):
/// fit q(θ | D) on all rows and the retrained q(θ | D_r) on the remaining ones by variational inference, unlearn D_e
/// from q(θ | D) with EUBO and with reverse KL at every λ, and compare every posterior with the retrained one
/// (<see cref="VbuSweepRow"/>). Unlearning reads only q(θ | D) and D_e; D_r is used to retrain and to evaluate.
/// </summary>
public static class VbuSweep
{
    /// <summary>Runs the sweep with seed <paramref name="seed"/>; rows come in the order full, retrained, then per λ EUBO and rKL.</summary>
    /// <param name="model">The model (its prior is shared by every fit).</param>
    /// <param name="data">All rows D.</param>
    /// <param name="erasedIds">The ids of D_e, a non-empty proper subset of <paramref name="data"/>'s ids.</param>
    /// <param name="options">What to run.</param>
    /// <param name="seed">Seeds every fit, unlearning and evaluation of this run.</param>
    /// <param name="logger">One line per finished posterior, at Information level.</param>
    /// <param name="cancellationToken">Checked between and inside the optimisations.</param>
    public static IReadOnlyList<VbuSweepRow> Run(
        IBayesianClassifier model,
        ClassificationData data,
        IReadOnlyCollection<int> erasedIds,
        VbuSweepOptions options,
        ulong seed,
        ILogger? logger = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(erasedIds);
        ArgumentNullException.ThrowIfNull(options);
        logger ??= NullLogger.Instance;
        ClassificationData erased = data.Select(erasedIds);
        ClassificationData remaining = data.Without(erasedIds);
        if (erased.Count == 0 || remaining.Count == 0)
        {
            throw new ArgumentException($"the erase set must be a non-empty proper subset of the {data.Count} rows; it has {erased.Count}", nameof(erasedIds));
        }
        var rows = new List<VbuSweepRow>();
        int stream = 0;
        Generator NextGenerator() => new(unchecked((seed * 1_000_003UL) + (ulong)stream++));

        var clock = Stopwatch.StartNew();
        using Generator fitGenerator = NextGenerator();
        using Gaussian full = VariationalInference.Fit(model, data, options.Fit, fitGenerator, logger: logger, cancellationToken: cancellationToken);
        double fullSeconds = clock.Elapsed.TotalSeconds;
        clock.Restart();
        using Generator retrainGenerator = NextGenerator();
        using Gaussian retrained = VariationalInference.Fit(model, remaining, options.Fit, retrainGenerator, options.RetrainFromFull ? full : null, logger, cancellationToken);
        double retrainSeconds = clock.Elapsed.TotalSeconds;

        // Common random numbers: every posterior's predictive distribution uses draws from the same seed.
        ulong evaluationSeed = unchecked(seed + 0x5EEDUL);
        double[] referenceErased = PredictiveDivergence.Probabilities(model, retrained, erased, options.EvaluationSamples, evaluationSeed);
        double[] referenceRemaining = PredictiveDivergence.Probabilities(model, retrained, remaining, options.EvaluationSamples, evaluationSeed);
        int k = model.ClassCount;

        VbuSweepRow Compare(string method, double? lambda, Gaussian q, double? counted, double? ess, double seconds)
        {
            double[] onErased = PredictiveDivergence.Probabilities(model, q, erased, options.EvaluationSamples, evaluationSeed);
            double[] onRemaining = PredictiveDivergence.Probabilities(model, q, remaining, options.EvaluationSamples, evaluationSeed);
            double posteriorKl;
            using (torch.no_grad())
            using (Tensor kl = q.KlDivergence(retrained))
            {
                posteriorKl = kl.ToDouble();
            }
            var row = new VbuSweepRow(
                seed,
                method,
                lambda,
                PredictiveDivergence.MeanKl(referenceErased, onErased, k),
                PredictiveDivergence.MeanKl(referenceRemaining, onRemaining, k),
                posteriorKl,
                PredictiveDivergence.Accuracy(onErased, erased, k),
                PredictiveDivergence.Accuracy(onRemaining, remaining, k),
                counted,
                ess,
                seconds);
            if (logger.IsEnabled(LogLevel.Information))
            {
                SweepLog.Row(logger, seed, method, lambda?.ToString("G", System.Globalization.CultureInfo.InvariantCulture) ?? "—", row.KlErased, row.KlRemaining, row.KlPosterior, seconds);
            }
            return row;
        }

        rows.Add(Compare("full", null, full, null, null, fullSeconds));
        rows.Add(Compare("retrained", null, retrained, null, null, retrainSeconds));
        foreach (double lambda in options.Lambdas)
        {
            if (options.Eubo)
            {
                cancellationToken.ThrowIfCancellationRequested();
                using Generator generator = NextGenerator();
                VbuOutcome outcome = EuboUnlearning.Unlearn(model, full, erased, options.EuboSettings with { Lambda = lambda }, generator, logger: logger, cancellationToken: cancellationToken);
                using Gaussian unlearned = outcome.Posterior;
                rows.Add(Compare("eubo", lambda, unlearned, outcome.CountedFraction, null, outcome.Seconds));
            }
            if (options.ReverseKl)
            {
                cancellationToken.ThrowIfCancellationRequested();
                using Generator generator = NextGenerator();
                VbuOutcome outcome = ReverseKlUnlearning.Unlearn(model, full, erased, options.ReverseKlSettings with { Lambda = lambda }, generator, logger, cancellationToken);
                using Gaussian unlearned = outcome.Posterior;
                rows.Add(Compare("rkl", lambda, unlearned, outcome.CountedFraction, outcome.EffectiveSampleSize, outcome.Seconds));
            }
        }
        return rows;
    }
}
