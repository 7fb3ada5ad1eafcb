using System.Globalization;
using DeepUnlearn.Models;
using TorchSharp;
using TorchSharp.Modules;
using DeepUnlearn.Training;

namespace DeepUnlearn.Unlearning.Methods;

/// <summary>
/// Stops an unlearning method whose optimisation has run away (gradient ascent is unbounded, so this is a
/// normal failure mode, not a bug): a NaN or infinite loss, or non-finite weights at the end, become a
/// <see cref="TrainingDivergedException"/> that says which setting to lower.
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
}
