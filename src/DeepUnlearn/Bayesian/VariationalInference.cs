using System;
using System.Threading;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace DeepUnlearn.Bayesian;

/// <summary>
/// Variational inference for an <see cref="IBayesianClassifier"/>: maximise the evidence lower bound
/// ELBO(q) = E_q[log p(D | θ)] − KL[q ‖ p(θ)] over a Gaussian q with Adam, the expectation by reparameterised
/// Monte-Carlo samples and the KL in closed form. This gives q(θ | D) from the full data and the retrained
/// baseline q(θ | D_r) from the remaining data.
/// </summary>
public static class VariationalInference
{
    /// <summary>Fits q(θ | <paramref name="data"/>) from N(0, s² I) or from <paramref name="initial"/>; the caller owns the result.</summary>
    /// <param name="model">The model (prior and likelihood).</param>
    /// <param name="data">The training rows; at least one.</param>
    /// <param name="options">Steps, learning rate, samples, family.</param>
    /// <param name="generator">The only source of randomness (samples and minibatches).</param>
    /// <param name="initial">Where q starts (a warm start, e.g. a diagonal fit of the same data before a full one),
    /// converted to <see cref="VariationalOptions.Posterior"/>; default N(0, s² I).</param>
    /// <param name="logger">Progress every tenth of the run, at Debug level.</param>
    /// <param name="cancellationToken">Checked every step.</param>
    public static Gaussian Fit(IBayesianClassifier model, ClassificationData data, VariationalOptions options, Generator generator, Gaussian? initial = null, ILogger? logger = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(generator);
        RequireCompatible(model, data);
        if (data.Count == 0)
        {
            throw new ArgumentException("variational inference needs at least one training row", nameof(data));
        }
        logger ??= NullLogger.Instance;
        ScalarType dtype = model.Prior.DType;
        Device device = model.Prior.Device;
        if (initial is not null && initial.Dimension != model.ParameterCount)
        {
            throw new ArgumentException($"the initial posterior has dimension {initial.Dimension}; the {model.Name} model has {model.ParameterCount} parameters", nameof(initial));
        }
        Gaussian q = initial is null
            ? Gaussian.Isotropic(options.Posterior, model.ParameterCount, 0, options.InitialStd, dtype, device, trainable: true)
            : initial.Convert(options.Posterior, trainable: true);
        try
        {
            using Tensor x = data.FeaturesTensor(dtype, device).DetachFromDisposeScope();
            using Tensor y = data.LabelsTensor(device).DetachFromDisposeScope();
            using var batches = new MiniBatches(data.Count, options.BatchSize, generator, device);
            using Adam adam = torch.optim.Adam(q.Parameters, lr: options.LearningRate);
            // PyTorch's CosineAnnealingLR(T_max = steps), stepped once per iteration.
            var schedule = torch.optim.lr_scheduler.CosineAnnealingLR(adam, options.Steps);
            double scale = (double)data.Count / batches.BatchSize;
            for (int step = 1; step <= options.Steps; step++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                using var scope = torch.NewDisposeScope();
                Tensor xb = x;
                Tensor yb = y;
                if (!batches.IsFull)
                {
                    Tensor index = batches.Next();
                    xb = x.index_select(0, index);
                    yb = y.index_select(0, index);
                }
                // ELBO: E_q[log p(D | θ)] − KL[q ‖ p(θ)].
                Tensor theta = q.Sample(options.Samples, generator);
                Tensor expectedLogLikelihood = ClassifierLikelihood.LogLikelihood(model, theta, xb, yb).mean().mul(scale);
                Tensor loss = q.KlDivergence(model.Prior).sub(expectedLogLikelihood);
                adam.zero_grad();
                loss.backward();
                adam.step();
                schedule.step();
                if (step % Math.Max(1, options.Steps / 10) == 0 && logger.IsEnabled(LogLevel.Debug))
                {
                    BayesianLog.Progress(logger, "ELBO", step, options.Steps, -loss.ToDouble());
                }
            }
            foreach (Parameter p in q.Parameters)
            {
                p.grad = null;
            }
            return q;
        }
        catch
        {
            q.Dispose();
            throw;
        }
    }

    /// <summary>A Monte-Carlo estimate of ELBO(q) on <paramref name="data"/> with <paramref name="samples"/> draws (no gradients).</summary>
    public static double Elbo(IBayesianClassifier model, Gaussian q, ClassificationData data, int samples, Generator generator)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(q);
        ArgumentNullException.ThrowIfNull(data);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(samples);
        RequireCompatible(model, data);
        using var noGrad = torch.no_grad();
        using var scope = torch.NewDisposeScope();
        Tensor x = data.FeaturesTensor(q.DType, q.Device);
        Tensor y = data.LabelsTensor(q.Device);
        Tensor theta = q.Sample(samples, generator);
        double logLikelihood = ClassifierLikelihood.LogLikelihoodChunked(model, theta, x, y).mean().ToDouble();
        return logLikelihood - q.KlDivergence(model.Prior).ToDouble();
    }

    internal static void RequireCompatible(IBayesianClassifier model, ClassificationData data)
    {
        if (data.FeatureCount != model.FeatureCount)
        {
            throw new ArgumentException($"the data has {data.FeatureCount} features; the {model.Name} model expects {model.FeatureCount}");
        }
        if (data.ClassCount > model.ClassCount)
        {
            throw new ArgumentException($"the data has {data.ClassCount} classes; the {model.Name} model has {model.ClassCount}");
        }
    }
}
