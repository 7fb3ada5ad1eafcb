using System;
using System.Collections.Generic;
using DeepUnlearn.Torch;
using DeepUnlearn.Torch.Nn;

namespace DeepUnlearn.Unlearning.Methods.Pgu;

/// <summary>
/// A layer PGU projects: a convolution (groups = 1) or a linear layer, named as in the state dict. Its weight,
/// viewed as [out, <see cref="Inputs"/>], multiplies one input vector per output position: a linear layer's input
/// row, or a convolution's input patch unfolded channel-major (c, i, j) with the convolution's own kernel size,
/// stride, padding and dilation, the order of <c>weight.reshape(out, −1)</c>.
/// </summary>
public sealed class PguLayer
{
    private PguLayer(string name, Module module, Tensor weight, long inputs)
    {
        Name = name;
        Module = module;
        Weight = weight;
        Inputs = inputs;
    }

    /// <summary>The module's dotted name (<c>layer1.0.conv1</c>).</summary>
    public string Name { get; }

    /// <summary>The <see cref="Conv2d"/> or <see cref="Linear"/>.</summary>
    public Module Module { get; }

    /// <summary>The weight PGU updates.</summary>
    public Tensor Weight { get; }

    /// <summary>The length of one input vector: in·k·k for a convolution, in_features for a linear layer.</summary>
    public long Inputs { get; }

    /// <summary>
    /// The projected layers of <paramref name="model"/> in module order. Grouped convolutions (none in the built-in
    /// models) are not returned: their weights do not multiply the whole unfolded patch, so they keep θ0's values;
    /// their names are reported through <paramref name="skipped"/>.
    /// </summary>
    public static IReadOnlyList<PguLayer> Find(Module model, Action<string, long>? skipped = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        var layers = new List<PguLayer>();
        foreach (var (name, module) in model.NamedModules())
        {
            switch (module)
            {
                case Conv2d { Groups: 1 } conv:
                    layers.Add(new PguLayer(name, conv, conv.Weight, conv.InChannels * conv.KernelSize * conv.KernelSize));
                    break;
                case Conv2d conv:
                    skipped?.Invoke(name, conv.Groups);
                    break;
                case Linear linear:
                    layers.Add(new PguLayer(name, linear, linear.Weight, linear.InFeatures));
                    break;
            }
        }
        return layers;
    }

    /// <summary>
    /// The input vectors this layer's weight multiplies in a forward pass on <paramref name="input"/>, as rows
    /// [N·L, <see cref="Inputs"/>] (L output positions per sample for a convolution, 1 for a linear layer).
    /// </summary>
    public Tensor InputRows(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (Module is Conv2d conv)
        {
            using var scope = TensorScope.Begin();
            Tensor patches = Functional.Unfold(input, conv.KernelSize, conv.Dilation, conv.Padding, conv.Stride); // [N, C·k·k, L]
            return scope.Keep(patches.Transpose(1, 2).Reshape(-1, Inputs));
        }
        return input.Reshape(-1, Inputs);
    }

    /// <summary>Sets (or, with null, clears) the hook that receives this layer's input at every forward pass.</summary>
    public void SetInputHook(Action<Tensor>? hook)
    {
        switch (Module)
        {
            case Conv2d conv:
                conv.ForwardPreHook = hook;
                break;
            case Linear linear:
                linear.ForwardPreHook = hook;
                break;
        }
    }
}
