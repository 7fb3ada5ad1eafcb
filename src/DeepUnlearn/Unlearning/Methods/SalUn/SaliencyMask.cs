using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using DeepUnlearn.Data;
using DeepUnlearn.Engine;
using DeepUnlearn.Models;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using DataLoader = DeepUnlearn.Data.DataLoader;

namespace DeepUnlearn.Unlearning.Methods.SalUn;

/// <summary>
/// SalUn's weight saliency map (Fan et al., ICLR 2024, eq. 5): m_S = 1(|∇_θ ℓ_f(θ; D_f)|_{θ=θ_o} ≥ γ), the
/// hard-thresholded magnitude of the forget-loss gradient at the original weights, with the threshold γ
/// set globally (over all trainable parameters together) so that the top <c>ratio</c> fraction of weights is
/// salient, as OPTML-Group/Unlearn-Saliency <c>generate_mask.py</c> does (rank all |g| together; keep the
/// first ⌊N·ratio⌋; ties broken by the sort). Holds one 0/1 tensor per parameter name, shaped and placed like
/// the parameter; owns them.
/// </summary>
public sealed class SaliencyMask : IDisposable
{
    private readonly Dictionary<string, Tensor> _masks;

    private SaliencyMask(Dictionary<string, Tensor> masks, long kept, long total)
    {
        _masks = masks;
        Kept = kept;
        Total = total;
    }

    /// <summary>The 0/1 mask of each trainable parameter, by state-dict name (1 = salient, may change).</summary>
    public IReadOnlyDictionary<string, Tensor> Masks => _masks;

    /// <summary>Salient weights (ones in the mask): ⌊<see cref="Total"/> · ratio⌋.</summary>
    public long Kept { get; }

    /// <summary>All trainable weights.</summary>
    public long Total { get; }

    /// <summary>The salient share, <see cref="Kept"/> / <see cref="Total"/>.</summary>
    public double Fraction => Total == 0 ? 0 : (double)Kept / Total;

    /// <summary>
    /// Computes the mask of <paramref name="model"/>'s trainable parameters from the gradient of the summed
    /// cross-entropy over every batch of <paramref name="forget"/>, taken in evaluation mode (as generate_mask.py)
    /// at the current weights, which are not changed. Gradients of the model are cleared before and after;
    /// its training flag is restored. The forward passes run under <paramref name="precision"/> (float32 when null;
    /// callers pass a policy without loss scaling, <see cref="PrecisionPolicy.ForGradientMeasurement"/>).
    /// </summary>
    /// <remarks>
    /// generate_mask.py sums per-batch mean gradients (equal up to the weight of a short last batch, which
    /// does not change the ranking otherwise) and, in its released form, also takes an optimizer step after
    /// each batch; here the gradient is the exact one of the paper's equation, at θ_o.
    /// </remarks>
    public static SaliencyMask Compute(ClassifierModel model, DataLoader forget, double ratio, CancellationToken cancellationToken = default, MixedPrecision? precision = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(forget);
        if (!(ratio is > 0 and <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(ratio), ratio, "the salient fraction must be in (0, 1]");
        }
        (string Name, Parameter Parameter)[] parameters = model.named_parameters().Where(p => p.parameter.requires_grad).ToArray();
        if (parameters.Length == 0)
        {
            throw new ArgumentException("the model has no trainable parameters to rank", nameof(model));
        }
        bool wasTraining = model.training;
        model.zero_grad();
        model.eval();
        try
        {
            foreach (Batch batch in forget.Epoch(0, cancellationToken))
            {
                using var scope = torch.NewDisposeScope();
                // Backward accumulates into .grad across batches: after the loop it holds ∇ Σ_{D_f} ℓ.
                torch.nn.functional.cross_entropy(precision?.Forward(model, batch.Images) ?? model.call(batch.Images), batch.Labels, reduction: nn.Reduction.Sum).backward();
            }
            return FromGradients(parameters, ratio);
        }
        finally
        {
            model.zero_grad();
            model.train(wasTraining);
        }
    }

    /// <summary>The mask applied to a gradient in place: g ← g ⊙ m for every parameter in the mask.</summary>
    internal void Apply(string name, Tensor gradient) => gradient.mul_(_masks[name]);

    /// <summary>Releases the mask tensors.</summary>
    public void Dispose()
    {
        foreach (Tensor mask in _masks.Values)
        {
            mask.Dispose();
        }
        _masks.Clear();
    }

    private static SaliencyMask FromGradients((string Name, Parameter Parameter)[] parameters, double ratio)
    {
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        var magnitudes = new Tensor[parameters.Length];
        for (int i = 0; i < parameters.Length; i++)
        {
            Tensor p = parameters[i].Parameter;
            // A parameter the forget loss does not reach has no gradient: zero saliency.
            magnitudes[i] = p.grad?.abs().flatten() ?? p.zeros_like().flatten();
        }
        Tensor all = torch.cat(magnitudes);
        long total = all.numel();
        long kept = (long)Math.Floor(total * ratio);
        Tensor flat = all.zeros_like();
        if (kept == total)
        {
            flat.fill_(1);
        }
        else if (kept > 0)
        {
            // topk takes an int k: a model would need over 2³¹ weights for this to overflow (checked).
            Tensor top = all.topk(checked((int)kept)).indexes;
            flat.index_fill_(0, top, 1.0);
        }
        var masks = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        long offset = 0;
        foreach ((string name, Parameter p) in parameters)
        {
            // The masks outlive the scope: the SaliencyMask owns and disposes them.
            masks[name] = flat.narrow(0, offset, p.numel()).reshape(p.shape).DetachFromDisposeScope();
            offset += p.numel();
        }
        return new SaliencyMask(masks, kept, total);
    }
}
