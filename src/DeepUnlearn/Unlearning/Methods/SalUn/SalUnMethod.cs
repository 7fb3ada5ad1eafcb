using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Threading;
using DeepUnlearn.Engine;
using DeepUnlearn.Models;
using TorchSharp;
using TorchSharp.Modules;
using DataLoader = DeepUnlearn.Data.DataLoader;
using static TorchSharp.torch;
using DeepUnlearn.Unlearning.Methods.RandomLabel;

namespace DeepUnlearn.Unlearning.Methods.SalUn;

/// <summary>
/// SalUn ("SalUn: Empowering Machine Unlearning via Gradient-based Weight Saliency", Fan et al., ICLR 2024):
/// (1) the weight saliency map m_S of the forget loss at θ_o (<see cref="SaliencyMask"/>, eq. 5); (2) random-label
/// unlearning (<see cref="RandomLabelMethod"/>'s loop, RL.py's CIFAR-10 or CIFAR-100 form) in which only salient weights move,
/// θ_u = m_S ⊙ (Δθ + θ_o) + (1 − m_S) ⊙ θ_o (eq. 6): every step multiplies each parameter's gradient by its mask.
/// </summary>
/// <remarks>
/// The mask is applied after the weight decay is added to the gradient (and SGD itself runs without weight
/// decay), so weights outside the mask stay bit-identical to θ_o, as eq. 6 states. Unlearn-Saliency's first
/// RL.py masked the gradient before SGD added the decay, which let non-salient weights shrink slightly; its
/// later revision restores them to θ_o after every step, which this matches. BatchNorm running statistics are
/// buffers, not weights, and are updated by the training-mode forward passes as in the reference.
/// </remarks>
public sealed class SalUnMethod(SalUnOptions options) : IUnlearningMethod
{
    /// <inheritdoc />
    public string Name => "salun";

    /// <summary>The options in force.</summary>
    public SalUnOptions Options { get; } = options;

    /// <inheritdoc />
    public UnlearningOutcome Run(UnlearningContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var clock = Stopwatch.StartNew();
        ClassifierModel model = context.CopyOriginal();
        try
        {
            context.Report(Name, "saliency", 0, 1, double.NaN);
            using SaliencyMask mask = ComputeMask(context, model, Options, cancellationToken);
            context.Report(Name, "saliency", 1, 1, double.NaN);
            (string Name, Parameter Parameter)[] parameters = model.named_parameters().Where(p => mask.Masks.ContainsKey(p.name)).ToArray();
            double weightDecay = Options.WeightDecay;
            using var optimizer = new SgdOptimizer([.. parameters.Select(p => p.Parameter)], Options.LearningRate, Options.Momentum);
            string hint = string.Create(CultureInfo.InvariantCulture, $"lower {Name}.learning_rate (now {Options.LearningRate})");
            RandomLabelRun run = RandomLabelMethod.Train(context, model, optimizer, Name, Options.Training, hint, MaskGradients, cancellationToken);
            Dictionary<string, double> diagnostics = run.Diagnostics(Options.Epochs);
            diagnostics["salient_fraction"] = mask.Fraction;
            diagnostics["salient_weights"] = mask.Kept;
            return new UnlearningOutcome(model, clock.Elapsed.TotalSeconds, diagnostics);

            // g ← m_S ⊙ (g + λ·θ): weight decay first, then the mask, so masked weights get an exact zero update.
            void MaskGradients()
            {
                using var noGrad = torch.no_grad();
                foreach ((string name, Parameter parameter) in parameters)
                {
                    using var scope = torch.NewDisposeScope();
                    Tensor? grad = parameter.grad;
                    if (grad is null)
                    {
                        continue;
                    }
                    if (weightDecay != 0)
                    {
                        grad.add_(parameter, weightDecay);
                    }
                    mask.Apply(name, grad);
                }
            }
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    /// <summary>The saliency mask SalUn uses for <paramref name="model"/> (the copy of θ_o): forget set in order, no augmentation.</summary>
    internal static SaliencyMask ComputeMask(UnlearningContext context, ClassifierModel model, SalUnOptions options, CancellationToken cancellationToken)
    {
        using DataLoader forget = context.ForgetLoader(options.BatchSize, shuffle: false, augment: false);
        return SaliencyMask.Compute(model, forget, options.MaskRatio, cancellationToken, context.Precision.ForGradientMeasurement().Start());
    }
}
