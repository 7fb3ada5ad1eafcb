using System.Collections.Generic;

namespace DeepUnlearn.Torch.Optim;

/// <summary>
/// Adam with decoupled weight decay (Loshchilov and Hutter, "Decoupled Weight Decay Regularization",
/// ICLR 2019), exactly as <c>torch.optim.AdamW</c>: before the Adam update each parameter is scaled,
/// p ← p · (1 − lr · weight_decay), and the gradient itself is not penalised. Everything else, options
/// and state included, is <see cref="Adam"/>'s.
/// </summary>
public sealed class AdamW : Adam
{
    /// <summary>AdamW over <paramref name="parameters"/> (one group).</summary>
    /// <param name="parameters">The parameters to optimise (borrowed).</param>
    /// <param name="lr">Learning rate, &gt;= 0.</param>
    /// <param name="beta1">Decay of the first-moment average, in [0, 1).</param>
    /// <param name="beta2">Decay of the second-moment average, in [0, 1).</param>
    /// <param name="eps">Added to the denominator for stability, &gt;= 0.</param>
    /// <param name="weightDecay">Decoupled weight decay, &gt;= 0 (PyTorch's default 0.01).</param>
    /// <param name="amsgrad">Use the running maximum of the second moment.</param>
    /// <param name="maximize">Ascend the objective instead of descending.</param>
    public AdamW(IEnumerable<Tensor> parameters, double lr = 1e-3, double beta1 = 0.9, double beta2 = 0.999, double eps = 1e-8, double weightDecay = 1e-2, bool amsgrad = false, bool maximize = false)
        : this([new ParameterGroup(parameters)], lr, beta1, beta2, eps, weightDecay, amsgrad, maximize)
    {
    }

    /// <summary>AdamW over several groups; the arguments are the defaults for options a group does not set.</summary>
    /// <param name="groups">The parameter groups.</param>
    /// <param name="lr">Learning rate, &gt;= 0.</param>
    /// <param name="beta1">Decay of the first-moment average, in [0, 1).</param>
    /// <param name="beta2">Decay of the second-moment average, in [0, 1).</param>
    /// <param name="eps">Added to the denominator for stability, &gt;= 0.</param>
    /// <param name="weightDecay">Decoupled weight decay, &gt;= 0 (PyTorch's default 0.01).</param>
    /// <param name="amsgrad">Use the running maximum of the second moment.</param>
    /// <param name="maximize">Ascend the objective instead of descending.</param>
    public AdamW(IEnumerable<ParameterGroup> groups, double lr = 1e-3, double beta1 = 0.9, double beta2 = 0.999, double eps = 1e-8, double weightDecay = 1e-2, bool amsgrad = false, bool maximize = false)
        : base(groups, lr, beta1, beta2, eps, weightDecay, amsgrad, maximize, decoupledWeightDecay: true)
    {
    }
}
