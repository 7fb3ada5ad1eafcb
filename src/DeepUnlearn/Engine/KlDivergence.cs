using System;
using TorchSharp;

namespace DeepUnlearn.Engine;

/// <summary>
/// KL(p ‖ q) as PyTorch's <c>F.kl_div(input = log q, target = p)</c> computes it, with the target's form stated
/// explicitly. TorchSharp's <c>functional.kl_div</c> and <c>KLDivLoss</c> default to <c>log_target = true</c> where
/// PyTorch defaults to <c>false</c>, so a call ported from PyTorch that passes probabilities as the target silently
/// computes Σ exp(p)·(p − log q) instead; and their default reduction (element mean) is not a KL divergence.
/// Here neither has a default.
/// </summary>
public static class KlDivergence
{
    /// <summary>
    /// The KL divergence Σ p·(log p − log q) between the target distribution p and the model's q.
    /// </summary>
    /// <param name="inputLogProbabilities">log q, e.g. <c>logits.log_softmax(1)</c>.</param>
    /// <param name="target">p as probabilities (<paramref name="targetIsLog"/> false) or as log-probabilities (true).</param>
    /// <param name="targetIsLog">Whether <paramref name="target"/> holds log p; PyTorch's <c>log_target</c>.</param>
    /// <param name="reduction">How to reduce; <see cref="KlReduction.BatchMean"/> is the per-sample mean KL.</param>
    public static torch.Tensor Loss(torch.Tensor inputLogProbabilities, torch.Tensor target, bool targetIsLog, KlReduction reduction)
    {
        ArgumentNullException.ThrowIfNull(inputLogProbabilities);
        ArgumentNullException.ThrowIfNull(target);
        switch (reduction)
        {
            case KlReduction.BatchMean:
                {
                    if (inputLogProbabilities.dim() == 0)
                    {
                        throw new ArgumentException("batchmean needs a batch dimension (dim 0); the input is a 0-d tensor", nameof(inputLogProbabilities));
                    }
                    using torch.Tensor sum = torch.nn.functional.kl_div(inputLogProbabilities, target, targetIsLog, torch.nn.Reduction.Sum);
                    return sum / inputLogProbabilities.shape[0];
                }
            case KlReduction.Sum:
                return torch.nn.functional.kl_div(inputLogProbabilities, target, targetIsLog, torch.nn.Reduction.Sum);
            case KlReduction.ElementMean:
                return torch.nn.functional.kl_div(inputLogProbabilities, target, targetIsLog, torch.nn.Reduction.Mean);
            case KlReduction.None:
                return torch.nn.functional.kl_div(inputLogProbabilities, target, targetIsLog, torch.nn.Reduction.None);
            default:
                throw new ArgumentOutOfRangeException(nameof(reduction), reduction, "valid reductions: BatchMean, Sum, ElementMean, None");
        }
    }
}
