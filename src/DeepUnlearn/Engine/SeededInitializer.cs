using System;
using System.Collections.Generic;
using System.Linq;
using TorchSharp;
using TorchSharp.Modules;

namespace DeepUnlearn.Engine;

/// <summary>
/// Re-initialises every parameter and buffer of a module from one seeded generator, visiting them in ordinal order of
/// their state-dict names: the same seed gives the same weights whatever order the layers were built or registered in,
/// whatever the global RNG did meanwhile, and on any device. TorchSharp's layer constructors draw from the global RNG
/// in construction order, and its <c>named_modules()</c> lists children before grandchildren (PyTorch walks depth
/// first), so neither can define a reproducible initialisation.
/// </summary>
/// <remarks>
/// Values are drawn on the CPU in the parameter's dtype and copied to its device. Layers the rules do not know
/// (anything but convolutions, linear and normalisation layers) that hold parameters or buffers are an error,
/// never left at their constructor's random values.
/// </remarks>
public static class SeededInitializer
{
    /// <summary>Re-initialises <paramref name="module"/> in place under <paramref name="rules"/> from <paramref name="seed"/>.</summary>
    /// <exception cref="NotSupportedException">A layer type the rules do not cover holds parameters or buffers; the message names it.</exception>
    public static void Initialize(torch.nn.Module module, ulong seed, InitRules rules)
    {
        ArgumentNullException.ThrowIfNull(module);
        ArgumentNullException.ThrowIfNull(rules);
        List<Slot> slots = Collect(module);
        using var generator = new torch.Generator(seed);
        using var noGrad = torch.no_grad();
        var done = new HashSet<IntPtr>();
        foreach (Slot slot in slots.OrderBy(s => s.Name, StringComparer.Ordinal))
        {
            // A tensor shared under two names (tied weights) is drawn once, at its first name.
            if (done.Add(slot.Tensor.Handle))
            {
                Fill(slot, rules, generator);
            }
        }
    }

    private static List<Slot> Collect(torch.nn.Module root)
    {
        var slots = new List<Slot>();
        var modules = new List<(string Prefix, torch.nn.Module Module)> { (string.Empty, root) };
        modules.AddRange(root.named_modules().Select(m => (m.name + ".", m.module)));
        foreach (var (prefix, module) in modules)
        {
            foreach (var (name, parameter) in module.named_parameters(recurse: false))
            {
                slots.Add(new Slot(prefix + name, module, name, parameter));
            }
            foreach (var (name, buffer) in module.named_buffers(recurse: false))
            {
                slots.Add(new Slot(prefix + name, module, name, buffer));
            }
        }
        return slots;
    }

    private static void Fill(Slot slot, InitRules rules, torch.Generator generator)
    {
        switch (slot.Module)
        {
            case Convolution when slot.LocalName == "weight":
                if (rules.TorchvisionConvolutions)
                {
                    // torchvision: kaiming_normal_(mode="fan_out", nonlinearity="relu"): std = √2 / √fan_out.
                    Normal(slot.Tensor, Math.Sqrt(2.0) / Math.Sqrt(Fans(slot.Tensor).FanOut), generator);
                }
                else
                {
                    DefaultWeight(slot.Tensor, generator);
                }
                return;
            case Convolution conv when slot.LocalName == "bias":
                if (rules.TorchvisionConvolutions)
                {
                    Constant(slot.Tensor, 0);
                }
                else
                {
                    DefaultBias(slot.Tensor, conv.weight, generator);
                }
                return;
            case Linear when slot.LocalName == "weight":
                if (rules.LinearStd is double std)
                {
                    Normal(slot.Tensor, std, generator);
                }
                else
                {
                    DefaultWeight(slot.Tensor, generator);
                }
                return;
            case Linear linear when slot.LocalName == "bias":
                if (rules.LinearStd is not null)
                {
                    Constant(slot.Tensor, 0);
                }
                else
                {
                    DefaultBias(slot.Tensor, linear.weight, generator);
                }
                return;
            case NormBase or GroupNorm or LayerNorm:
                switch (slot.LocalName)
                {
                    case "weight" or "running_var":
                        Constant(slot.Tensor, 1);
                        return;
                    case "bias" or "running_mean" or "num_batches_tracked":
                        Constant(slot.Tensor, 0);
                        return;
                }
                break;
        }
        throw new NotSupportedException(
            $"cannot initialise '{slot.Name}' ({slot.LocalName} of a {slot.Module.GetType().Name}): seeded initialisation knows convolutions " +
            "(weight, bias), Linear (weight, bias) and BatchNorm/InstanceNorm/GroupNorm/LayerNorm (weight, bias, running statistics)");
    }

    // PyTorch's reset_parameters: kaiming_uniform_(a=√5) = U(±gain·√(3/fan_in)) with gain = √(2/(1+5)), i.e. U(±1/√fan_in).
    private static void DefaultWeight(torch.Tensor weight, torch.Generator generator)
    {
        double bound = 1.0 / Math.Sqrt(Fans(weight).FanIn);
        Uniform(weight, -bound, bound, generator);
    }

    // PyTorch's reset_parameters: bias U(±1/√fan_in) with the weight's fan_in.
    private static void DefaultBias(torch.Tensor bias, torch.Tensor? weight, torch.Generator generator)
    {
        ArgumentNullException.ThrowIfNull(weight);
        long fanIn = Fans(weight).FanIn;
        double bound = fanIn > 0 ? 1.0 / Math.Sqrt(fanIn) : 0;
        Uniform(bias, -bound, bound, generator);
    }

    /// <summary>torch.nn.init._calculate_fan_in_and_fan_out: fan_in = size(1)·receptive field, fan_out = size(0)·receptive field.</summary>
    private static (long FanIn, long FanOut) Fans(torch.Tensor weight)
    {
        long[] shape = weight.shape;
        if (shape.Length < 2)
        {
            throw new ArgumentException($"fans need a weight with at least 2 dimensions, got shape [{string.Join(", ", shape)}]", nameof(weight));
        }
        long receptive = 1;
        for (int d = 2; d < shape.Length; d++)
        {
            receptive *= shape[d];
        }
        return (shape[1] * receptive, shape[0] * receptive);
    }

    private static void Uniform(torch.Tensor target, double low, double high, torch.Generator generator)
    {
        using var draw = torch.empty(target.shape, target.dtype);
        draw.uniform_(low, high, generator);
        target.copy_(draw);
    }

    private static void Normal(torch.Tensor target, double std, torch.Generator generator)
    {
        using var draw = torch.empty(target.shape, target.dtype);
        draw.normal_(0.0, std, generator);
        target.copy_(draw);
    }

    private static void Constant(torch.Tensor target, double value)
    {
        using Scalar scalar = value.ToScalar();
        target.fill_(scalar);
    }

    private readonly record struct Slot(string Name, torch.nn.Module Module, string LocalName, torch.Tensor Tensor);
}
