using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using DeepUnlearn.Configuration;
using DeepUnlearn.Data;
using DeepUnlearn.Models;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using DataLoader = DeepUnlearn.Data.DataLoader;
using DeepUnlearn.Training;

namespace DeepUnlearn.Unlearning.Methods;

/// <summary>
/// Stops an unlearning method whose optimisation has run away (gradient ascent is unbounded, so this is a
/// normal failure mode, not a bug): a NaN or infinite loss, or non-finite weights at the end, become a
/// <see cref="TrainingDivergedException"/> that says which setting to lower. The one shared place for this guard:
/// methods call <see cref="CheckLoss"/> where they read a loss, and every registered method's outcome passes
/// <see cref="CheckOutcome"/> (through the registry), so a model with NaN/Inf weights, buffers or outputs is never
/// evaluated, reported as "perfect forgetting" or written.
/// </summary>
internal static class DivergenceGuard
{
    /// <summary>Throws when <paramref name="loss"/> (the loss of the step about to be taken) is not finite.</summary>
    public static void CheckLoss(string method, string what, double loss, int epoch, int step, string hint)
    {
        if (!double.IsFinite(loss))
        {
            throw new TrainingDivergedException(string.Create(CultureInfo.InvariantCulture,
                $"{method} diverged: the {what} is {loss} at epoch {epoch + 1}, step {step + 1}; {hint}"));
        }
    }

    /// <summary>Throws when any parameter of <paramref name="model"/> is NaN or infinite.</summary>
    public static void CheckWeights(string method, ClassifierModel model, string hint)
    {
        foreach ((string name, Parameter parameter) in model.named_parameters())
        {
            using var scope = torch.NewDisposeScope();
            if (!parameter.isfinite().all().item<bool>())
            {
                throw new TrainingDivergedException($"{method} diverged: parameter '{name}' has non-finite values; {hint}");
            }
        }
    }

    /// <summary>
    /// Checks a finished method's model: every parameter and buffer (BatchNorm's running statistics overflow first)
    /// finite, and its logits on a few forget (or retain) samples finite in evaluation mode. Weights of 1e30 are finite
    /// but their logits are not, and an evaluation of such a model reports 100% forgetting.
    /// </summary>
    /// <exception cref="TrainingDivergedException">Something is NaN or infinite; the message names the method, what
    /// was found, the steps taken and the setting to change.</exception>
    public static void CheckOutcome(string method, IMethodOptions options, UnlearningOutcome outcome, UnlearningContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        ArgumentNullException.ThrowIfNull(context);
        string? problem = null;
        foreach ((string name, Tensor tensor) in outcome.Model.state_dict())
        {
            using var scope = torch.NewDisposeScope();
            if (tensor.is_floating_point() && !tensor.isfinite().all().item<bool>())
            {
                problem = $"'{name}' has non-finite values";
                break;
            }
        }
        problem ??= CheckLogits(outcome.Model, context, cancellationToken);
        if (problem is null)
        {
            return;
        }
        string steps = outcome.Diagnostics.TryGetValue("steps", out double n)
            ? string.Create(CultureInfo.InvariantCulture, $" after {n:G} steps")
            : string.Empty;
        throw new TrainingDivergedException($"{method} diverged: {problem}{steps}; {Hint(method, options)}; the model was not kept");
    }

    /// <summary>What to change: the method's learning rate(s) when it has one, else its settings.</summary>
    public static string Hint(string method, IMethodOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        SortedDictionary<string, object?> settings = SettingsBinder.Describe(options);
        string[] rates = settings.Where(kv => kv.Key.Contains("learning_rate", StringComparison.Ordinal) || kv.Key is "lr")
            .Select(kv => string.Create(CultureInfo.InvariantCulture, $"{method}.{kv.Key} (now {kv.Value})")).ToArray();
        return rates.Length > 0
            ? $"lower {string.Join(" or ", rates)}"
            : $"check the {method} settings ({SettingsBinder.Format(options)})";
    }

    private static string? CheckLogits(ClassifierModel model, UnlearningContext context, CancellationToken cancellationToken)
    {
        int[] ids = context.ForgetIds.Take(ProbeSamples).Concat(context.RetainIds.Take(ProbeSamples)).Take(ProbeSamples).ToArray();
        if (ids.Length == 0)
        {
            return null;
        }
        bool training = model.training;
        try
        {
            model.eval();
            using DataLoader loader = context.Loader(ids, ids.Length, shuffle: false, augment: false);
            using var noGrad = torch.no_grad();
            foreach (Batch batch in loader.Epoch(0, cancellationToken))
            {
                using var scope = torch.NewDisposeScope();
                if (!model.call(batch.Images).isfinite().all().item<bool>())
                {
                    return string.Create(CultureInfo.InvariantCulture, $"its outputs (logits) on {ids.Length} training samples are NaN or infinite");
                }
            }
            return null;
        }
        finally
        {
            model.train(training);
        }
    }

    /// <summary>Samples whose logits the outcome check computes (one small batch).</summary>
    private const int ProbeSamples = 32;
}
