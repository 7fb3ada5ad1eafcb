using System;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace DeepUnlearn.Engine;

/// <summary>
/// Channels-last (NHWC) memory layout, PyTorch's <c>memory_format=torch.channels_last</c>, which TorchSharp 0.107 does
/// not expose. A 4-D tensor keeps its logical [N, C, H, W] shape and only its strides change to those of an NHWC array,
/// (H·W·C, 1, W·C, C); <c>x.permute(0, 2, 3, 1).contiguous().permute(0, 3, 1, 2)</c> produces exactly that, and
/// libtorch's convolution back ends (cuDNN on CUDA, oneDNN on the CPU) read the strides and pick their NHWC kernels,
/// whose outputs stay channels-last through the network. Results equal the NCHW computation up to the reordering of
/// floating-point sums inside the kernels.
/// </summary>
public static class MemoryLayout
{
    /// <summary>
    /// <paramref name="tensor"/> with channels-last strides (a new tensor in the current dispose scope; no copy when it
    /// already has them). Tensors that are not 4-D are returned as a new handle on the same data, unchanged.
    /// </summary>
    public static Tensor ToChannelsLast(Tensor tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        if (tensor.dim() != 4)
        {
            return tensor.alias();
        }
        using var scope = torch.NewDisposeScope();
        return tensor.permute(0, 2, 3, 1).contiguous().permute(0, 3, 1, 2).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Whether <paramref name="tensor"/> is 4-D with channels-last strides: C varies fastest, then W, then H, then N
    /// (dimensions of size 1 may have any stride, as in <c>c10::is_channels_last_strides_2d</c>).
    /// </summary>
    public static bool IsChannelsLast(Tensor tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        if (tensor.dim() != 4)
        {
            return false;
        }
        long[] shape = tensor.shape;
        long[] strides = tensor.stride();
        long expected = 1;
        foreach (int d in (ReadOnlySpan<int>)[1, 3, 2, 0])
        {
            if (shape[d] != 1 && strides[d] != expected)
            {
                return false;
            }
            expected *= shape[d];
        }
        return true;
    }

    /// <summary>
    /// Converts every 4-D parameter (convolution weights) and 4-D buffer of <paramref name="module"/> to channels-last in
    /// place, as PyTorch's <c>module.to(memory_format=torch.channels_last)</c>: each keeps its Parameter object (the data
    /// is swapped with <c>set_</c> under <c>no_grad</c>), so optimizers, hooks and stored parameter lists made before stay
    /// valid (unlike TorchSharp's <c>Module.to()</c>, see <see cref="ModelPlacement"/>). A gradient already present is
    /// converted too. Returns how many tensors changed layout.
    /// </summary>
    public static int ToChannelsLast(nn.Module module)
    {
        ArgumentNullException.ThrowIfNull(module);
        int converted = 0;
        using var noGrad = torch.no_grad();
        foreach ((string _, Parameter parameter) in module.named_parameters())
        {
            converted += ConvertInPlace(parameter) ? 1 : 0;
            using var gradScope = torch.NewDisposeScope();
            if (parameter.grad is Tensor grad)
            {
                ConvertInPlace(grad);
            }
        }
        foreach ((string _, Tensor buffer) in module.named_buffers())
        {
            converted += ConvertInPlace(buffer) ? 1 : 0;
        }
        return converted;
    }

    private static bool ConvertInPlace(Tensor tensor)
    {
        if (tensor.dim() != 4 || IsChannelsLast(tensor))
        {
            return false;
        }
        using var scope = torch.NewDisposeScope();
        tensor.set_(ToChannelsLast(tensor));
        return true;
    }
}
