using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using DeepUnlearn.Data;
using DeepUnlearn.Engine;
using DeepUnlearn.Models;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using DataLoader = DeepUnlearn.Data.DataLoader;

namespace DeepUnlearn.Unlearning.Methods.Ssd;

/// <summary>
/// Selective Synaptic Dampening, SSD (Foster, Schoepf and Brintrup, "Fast Machine Unlearning Without
/// Retraining Through Selective Synaptic Dampening", AAAI 2024; code: github.com/if-loops/selective-synaptic-dampening,
/// <c>ssd.py</c>): no training, one pass to measure how much each parameter matters to the forget set
/// compared with the whole training set, then shrink the parameters that matter disproportionately to D_f.
/// <code>
/// I_S  = (1/|batches|)·Σ_{batches b of S} (∂L_CE(b)/∂θ)²      (diagonal importance, eq. 1; S = D_f or D)
/// select  θ_i  where  I_f,i &gt; α·I_D,i                          (eq. 3)
/// θ_i ← β_i·θ_i,   β_i = min(λ·I_D,i / I_f,i, 1)                   (eq. 4)
/// </code>
/// As in the authors' <c>calc_importance</c>, each term is the square of the gradient of a batch's mean
/// cross-entropy (not of per-sample gradients), averaged over the batches, with the model in evaluation mode;
/// D is the full training set (D_r followed by D_f, unshuffled, as their <c>full_train_dl</c>) and neither pass
/// is augmented. Every parameter (BatchNorm's included) is eligible; buffers are untouched.
/// Diagnostics: <c>dampened_parameters</c> (count) and <c>dampened_fraction</c>.
/// </summary>
public sealed class SsdMethod(SsdOptions options) : IUnlearningMethod
{
    /// <inheritdoc />
    public string Name => "ssd";

    /// <summary>The options in force.</summary>
    public SsdOptions Options { get; } = options;

    /// <summary>
    /// Applies SSD's dampening rule to one parameter in place: where I_f &gt; α·I_D, θ ← min(λ·I_D/I_f, 1)·θ;
    /// elsewhere θ is untouched. Returns the number of parameters selected. With α = ∞ nothing is selected.
    /// </summary>
    public static long Dampen(Tensor parameter, Tensor importanceFull, Tensor importanceForget, double alpha, double lambda)
    {
        ArgumentNullException.ThrowIfNull(parameter);
        ArgumentNullException.ThrowIfNull(importanceFull);
        ArgumentNullException.ThrowIfNull(importanceForget);
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        Tensor selected = importanceForget.gt(importanceFull.mul(alpha)); // I_f > α·I_D   (eq. 3)
        long count = selected.sum().ToInt64();
        if (count == 0)
        {
            return 0;
        }
        // β = min(λ·I_D / I_f, 1) on the selected entries (I_f > 0 there), 1 elsewhere   (eq. 4)
        Tensor beta = importanceFull.mul(lambda).div(importanceForget).clamp(max: 1.0);
        Tensor scale = torch.where(selected, beta, torch.ones(Array.Empty<long>(), parameter.dtype, parameter.device));
        parameter.mul_(scale);
        return count;
    }

    /// <inheritdoc />
    public UnlearningOutcome Run(UnlearningContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        Options.Validate();
        var clock = Stopwatch.StartNew();
        ClassifierModel model = context.CopyOriginal();
        List<Tensor>? forgetImportance = null;
        List<Tensor>? fullImportance = null;
        try
        {
            model.eval();
            List<Parameter> parameters = model.TrainableParameters().ToList();
            using (DataLoader forget = context.ForgetLoader(Options.BatchSize, shuffle: false, augment: false))
            {
                forgetImportance = Importance(context, model, parameters, forget, "importance D_f", cancellationToken);
            }
            using (DataLoader full = context.Loader([.. context.RetainIds, .. context.ForgetIds], Options.BatchSize, shuffle: false, augment: false))
            {
                fullImportance = Importance(context, model, parameters, full, "importance D", cancellationToken);
            }
            long dampened = 0;
            long total = 0;
            for (int i = 0; i < parameters.Count; i++)
            {
                dampened += Dampen(parameters[i], fullImportance[i], forgetImportance[i], Options.Alpha, Options.Lambda);
                total += parameters[i].numel();
            }
            model.zero_grad();
            model.train();
            return new UnlearningOutcome(model, clock.Elapsed.TotalSeconds, new Dictionary<string, double>
            {
                ["dampened_parameters"] = dampened,
                ["dampened_fraction"] = total == 0 ? 0 : (double)dampened / total,
            });
        }
        catch
        {
            model.Dispose();
            throw;
        }
        finally
        {
            foreach (Tensor t in (forgetImportance ?? []).Concat(fullImportance ?? []))
            {
                t.Dispose();
            }
        }
    }

    /// <summary>I = (1/|batches|)·Σ_b (∇_θ mean-CE(b))², per parameter (eq. 1, as <c>calc_importance</c>).</summary>
    private List<Tensor> Importance(UnlearningContext context, ClassifierModel model, List<Parameter> parameters, DataLoader loader, string phase, CancellationToken cancellationToken)
    {
        var importance = new List<Tensor>(parameters.Count);
        try
        {
            using (torch.no_grad())
            {
                foreach (Parameter p in parameters)
                {
                    importance.Add(torch.zeros(p.shape, p.dtype, p.device).DetachFromDisposeScope());
                }
            }
            int batches = 0;
            MixedPrecision amp = context.Precision.ForGradientMeasurement().Start();
            foreach (Batch batch in loader.Epoch(0, cancellationToken))
            {
                using var scope = torch.NewDisposeScope();
                model.zero_grad();
                Tensor loss = torch.nn.functional.cross_entropy(amp.Forward(model, batch.Images), batch.Labels);
                loss.backward();
                using (torch.no_grad())
                {
                    for (int i = 0; i < parameters.Count; i++)
                    {
                        if (parameters[i].grad is Tensor g)
                        {
                            importance[i].addcmul_(g, g, 1); // += (∂L/∂θ)²
                        }
                    }
                }
                batches++;
                if (batches % 20 == 0)
                {
                    context.Report(Name, phase, batches, loader.BatchCount, double.NaN);
                }
            }
            using (torch.no_grad())
            {
                foreach (Tensor imp in importance)
                {
                    imp.div_(Math.Max(batches, 1));
                }
            }
            return importance;
        }
        catch
        {
            foreach (Tensor t in importance)
            {
                t.Dispose();
            }
            throw;
        }
    }
}
