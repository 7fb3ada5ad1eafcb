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
/// stride, padding (and padding mode) and dilation, the order of <c>weight.reshape(out, −1)</c>.
/// </summary>
public sealed class PguLayer
{
    private PguLayer(string name, nn.Module<Tensor, Tensor> module, Tensor weight, long inputs)
    {
        Name = name;
        Module = module;
        Weight = weight;
        Inputs = inputs;
    }

    /// <summary>The module's dotted name (<c>layer1.0.conv1</c>; empty when the model itself is the layer).</summary>
    public string Name { get; }

    /// <summary>The <see cref="Conv2d"/> or <see cref="Linear"/>.</summary>
    public nn.Module<Tensor, Tensor> Module { get; }

    /// <summary>The weight PGU updates.</summary>
    public Tensor Weight { get; }

    /// <summary>The length of one input vector: in·kh·kw for a convolution, in_features for a linear layer.</summary>
    public long Inputs { get; }

    /// <summary>
    /// The projected layers of <paramref name="model"/> (the model itself included, under the empty name) in module
    /// order: depth first, each module before its children, as PyTorch's <c>named_modules()</c> lists them (TorchSharp's
    /// lists children before grandchildren). Grouped convolutions (none in the built-in models) are not returned:
    /// their weights do not multiply the whole unfolded patch, so they keep θ0's values; their names are reported
    /// through <paramref name="skipped"/>.
    /// </summary>
    public static IReadOnlyList<PguLayer> Find(nn.Module model, Action<string, long>? skipped = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        var layers = new List<PguLayer>();
        foreach (var (name, module) in DepthFirst(model, string.Empty))
        {
            switch (module)
            {
                case Conv2d { groups: 1 } conv:
                    layers.Add(new PguLayer(name, conv, conv.weight, conv.in_channels * conv.kernel_size[0] * conv.kernel_size[1]));
                    break;
                case Conv2d conv:
                    skipped?.Invoke(name, conv.groups);
                    break;
                case Linear linear:
                    layers.Add(new PguLayer(name, linear, linear.weight, linear.in_features));
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
    public Tensor InputRows(Tensor input)
    {
        using var scope = torch.NewDisposeScope();
        return InputColumns(input).T.MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The input vectors as columns [<see cref="Inputs"/>, N·L]. A convolution's patches are cut from the padded
    /// input (the convolution's padding and padding mode) as kh·kw shifted (strided, dilated) slices, stacked
    /// channel-major (c, i, j), the order of <c>weight.reshape(out, −1)</c>; libtorch's <c>unfold</c> gives the same
    /// matrix but its CPU kernel was 20× slower here than these copies.
    /// </summary>
    public Tensor InputColumns(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (Module is not Conv2d conv)
        {
            using var linearScope = torch.NewDisposeScope();
            return input.reshape(-1, Inputs).T.MoveToOuterDisposeScope();
        }
        if (input.dim() != 4)
        {
            throw new ArgumentException($"{Name} expects [N, C, H, W] inputs, got [{string.Join(", ", input.shape)}]", nameof(input));
        }
        using var scope = torch.NewDisposeScope();
        long kh = conv.kernel_size[0], kw = conv.kernel_size[1];
        long sh = conv.stride[0], sw = conv.stride[1];
        long dh = conv.dilation[0], dw = conv.dilation[1];
        long[] pad = Padding(conv); // [left, right, top, bottom], F.pad's order
        Tensor padded = pad.AsSpan().ContainsAnyExcept(0L)
            ? nn.functional.pad(input, pad, conv.padding_mode)
            : input;
        long outH = ((padded.size(2) - (dh * (kh - 1)) - 1) / sh) + 1;
        long outW = ((padded.size(3) - (dw * (kw - 1)) - 1) / sw) + 1;
        var slices = new Tensor[kh * kw];
        for (long i = 0; i < kh; i++)
        {
            for (long j = 0; j < kw; j++)
            {
                // Views: rows i·dh, i·dh + sh, ... and columns j·dw, j·dw + sw, ... of the padded input.
                slices[(i * kw) + j] = padded
                    .slice(2, i * dh, (i * dh) + (sh * (outH - 1)) + 1, sh)
                    .slice(3, j * dw, (j * dw) + (sw * (outW - 1)) + 1, sw);
            }
        }
        Tensor stacked = torch.stack(slices, 2); // [N, C, kh·kw, H', W']
        return stacked.permute(1, 2, 0, 3, 4).reshape(Inputs, -1).MoveToOuterDisposeScope();
    }

    /// <summary>The padding the convolution applies, in <c>F.pad</c>'s order [left, right, top, bottom].</summary>
    private static long[] Padding(Conv2d conv)
    {
        if (conv.padding is { } p)
        {
            return [p[1], p[1], p[0], p[0]];
        }
        if (conv.padding_type == TorchSharp.Padding.Same)
        {
            // libtorch's "same": total d·(k − 1), the odd one on the right/bottom.
            long th = conv.dilation[0] * (conv.kernel_size[0] - 1);
            long tw = conv.dilation[1] * (conv.kernel_size[1] - 1);
            return [tw / 2, tw - (tw / 2), th / 2, th - (th / 2)];
        }
        return [0, 0, 0, 0];
    }

    private static IEnumerable<(string Name, nn.Module Module)> DepthFirst(nn.Module module, string name)
    {
        yield return (name, module);
        foreach (var (childName, child) in module.named_children())
        {
            foreach (var entry in DepthFirst(child, name.Length == 0 ? childName : name + "." + childName))
            {
                yield return entry;
            }
        }
    }
}
