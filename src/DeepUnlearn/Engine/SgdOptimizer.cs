using System;
using System.Collections.Generic;
using TorchSharp;
using TorchSharp.Modules;

namespace DeepUnlearn.Engine;

/// <summary>
/// SGD (momentum, dampening, Nesterov, weight decay) with PyTorch's <c>maximize</c>. TorchSharp's SGD adds the weight
/// decay to the raw gradient and then steps uphill along the sum, so with <c>maximize</c> the decay term pushes the
/// weights away from zero (p += lr·(g + λp)). PyTorch negates the gradient first (d = −g + λp; p −= lr·d), which keeps
/// the decay shrinking the weights while ascending. This optimizer negates the gradients, runs TorchSharp's update
/// as a minimiser and restores them, which is PyTorch's order step for step (momentum buffers included). Without
/// <c>maximize</c> it is TorchSharp's SGD unchanged. Use it wherever an SGD is made (gradient-ascent unlearning
/// maximises the forget loss, often with weight decay).
/// </summary>
public sealed class SgdOptimizer : SGD
{
    /// <summary>Creates the optimizer over <paramref name="parameters"/>, with PyTorch's defaults and meaning.</summary>
    /// <param name="parameters">The parameters to update (read them after the model was moved: see <see cref="ModelPlacement"/>).</param>
    /// <param name="lr">Learning rate.</param>
    /// <param name="momentum">Momentum factor.</param>
    /// <param name="dampening">Dampening of the momentum.</param>
    /// <param name="weightDecay">L2 penalty λ (its gradient λp is added to the loss gradient).</param>
    /// <param name="nesterov">Nesterov momentum.</param>
    /// <param name="maximize">Ascend the objective instead of descending it.</param>
    public SgdOptimizer(IEnumerable<Parameter> parameters, double lr, double momentum = 0, double dampening = 0, double weightDecay = 0, bool nesterov = false, bool maximize = false)
        : base(parameters, lr, momentum, dampening, weightDecay, nesterov, maximize: false)
    {
        Maximize = maximize;
    }

    /// <summary>
    /// Creates the optimizer over parameter groups; <paramref name="maximize"/> applies to all. Make each group as
    /// <c>new SGD.ParamGroup(parameters, new SGD.Options { LearningRate = …, weight_decay = … })</c>: options left null
    /// inherit this optimizer's values, as in PyTorch, whereas TorchSharp's convenience constructor
    /// <c>SGD.ParamGroup(parameters, lr: …)</c> sets every option it does not name to 0 or false (no momentum).
    /// </summary>
    public SgdOptimizer(IEnumerable<ParamGroup> groups, double lr, double momentum = 0, double dampening = 0, double weightDecay = 0, bool nesterov = false, bool maximize = false)
        : base(groups, lr, momentum, dampening, weightDecay, nesterov, maximize: false)
    {
        foreach (ParamGroup group in groups)
        {
            if (group.Options?.maximize == true)
            {
                throw new ArgumentException("a parameter group sets maximize, which TorchSharp's update applies with the wrong weight-decay sign; pass maximize to SgdOptimizer instead", nameof(groups));
            }
        }
        Maximize = maximize;
    }

    /// <summary>Whether the optimizer ascends its objective.</summary>
    public bool Maximize { get; }

    /// <inheritdoc />
    public override torch.Tensor step(Func<torch.Tensor>? closure = null)
    {
        if (!Maximize)
        {
            return base.step(closure);
        }
        torch.Tensor? loss = null;
        if (closure is not null)
        {
            using (torch.enable_grad())
            {
                loss = closure();
            }
        }
        NegateGradients();
        try
        {
            base.step();
        }
        finally
        {
            NegateGradients();
        }
        return loss!;
    }

    private void NegateGradients()
    {
        using var noGrad = torch.no_grad();
        // grad returns a new handle per call; the scope releases the handles (not the gradients).
        using var scope = torch.NewDisposeScope();
        foreach (Parameter parameter in parameters())
        {
            parameter.grad?.neg_();
        }
    }
}
