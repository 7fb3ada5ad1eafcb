using System;
using System.Collections.Generic;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace DeepUnlearn.Unlearning.Methods.Pgu;

/// <summary>
/// A layer PGU projects: a convolution (groups = 1) or a linear layer, named as in the state dict. Its weight,
/// viewed as [out, <see cref="Inputs"/>], multiplies one input vector per output position: a linear layer's input
/// row, or a convolution's input patch unfolded channel-major (c, i, j) with the convolution's own kernel size,
/// stride, padding and dilation, the order of <c>weight.reshape(out, −1)</c>.
/// </summary>
public sealed class PguLayer
{
    private PguLayer(string name, nn.Module module, Tensor weight, long inputs)
    {
        Name = name;
        Module = module;
        Weight = weight;
        Inputs = inputs;
    }

    /// <summary>The module's dotted name (<c>layer1.0.conv1</c>).</summary>
    public string Name { get; }

    /// <summary>The <see cref="Conv2d"/> or <see cref="Linear"/>.</summary>
    public nn.Module Module { get; }

    /// <summary>The weight PGU updates.</summary>
    public Tensor Weight { get; }

    /// <summary>The length of one input vector: in·k·k for a convolution, in_features for a linear layer.</summary>
    public long Inputs { get; }

    /// <summary>
    /// The projected layers of <paramref name="model"/> in module order. Grouped convolutions (none in the built-in
    /// models) are not returned: their weights do not multiply the whole unfolded patch, so they keep θ0's values;
    /// their names are reported through <paramref name="skipped"/>.
    /// </summary>
    public static IReadOnlyList<PguLayer> Find(nn.Module model, Action<string, long>? skipped = null)
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
    /// [N·L, <see cref="Inputs"/>] (L output positions per sample for a convolution, 1 for a linear layer): the
    /// transpose of <see cref="InputColumns"/>.
    /// </summary>
    public Tensor InputRows(Tensor input) => InputColumns(input).T();

    /// <summary>
    /// The input vectors as columns [<see cref="Inputs"/>, N·L]. A convolution's patches are cut from the
    /// zero-padded input as k·k shifted (strided, dilated) slices, stacked channel-major (c, i, j), the order of
    /// <c>weight.reshape(out, −1)</c>; libtorch's <c>unfold</c> gives the same matrix but its CPU kernel was 20× slower
    /// here than these copies.
    /// </summary>
    public Tensor InputColumns(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (nn.Module is not Conv2d conv)
        {
            return input.reshape(-1, Inputs).T();
        }
        if (input.dim() != 4)
        {
            throw new ArgumentException($"{Name} expects [N, C, H, W] inputs, got [{string.Join(", ", input.shape)}]", nameof(input));
        }
        using var scope = torch.NewDisposeScope();
        long k = conv.KernelSize;
        long stride = conv.Stride;
        long padding = conv.Padding;
        long dilation = conv.Dilation;
        long outH = ((input.size(2) + (2 * padding) - (dilation * (k - 1)) - 1) / stride) + 1;
        long outW = ((input.size(3) + (2 * padding) - (dilation * (k - 1)) - 1) / stride) + 1;
        Tensor padded = padding > 0 ? input.Pad([padding, padding, padding, padding]) : input;
        var slices = new Tensor[k * k];
        for (long i = 0; i < k; i++)
        {
            for (long j = 0; j < k; j++)
            {
                slices[(i * k) + j] = stride == 1
                    ? padded.narrow(2, i * dilation, outH).narrow(3, j * dilation, outW)
                    : padded.index_select(2, torch.arange(i * dilation, (i * dilation) + (stride * (outH - 1)) + 1, stride, ScalarType.Int64, input.Device))
                        .index_select(3, torch.arange(j * dilation, (j * dilation) + (stride * (outW - 1)) + 1, stride, ScalarType.Int64, input.Device));
            }
        }
        Tensor stacked = torch.stack(slices, 2); // [N, C, k·k, H', W']
        return scope.Keep(stacked.permute(1, 2, 0, 3, 4).reshape(Inputs, -1));
    }

    /// <summary>Sets (or, with null, clears) the hook that receives this layer's input at every forward pass.</summary>
    public void SetInputHook(Action<Tensor>? hook)
    {
        switch (nn.Module)
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
