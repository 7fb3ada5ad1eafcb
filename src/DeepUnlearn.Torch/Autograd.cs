using System;
using DeepUnlearn.Torch.Interop;

namespace DeepUnlearn.Torch;

/// <summary>Reverse-mode differentiation beyond <see cref="Tensor.Backward"/>.</summary>
public static class Autograd
{
    /// <summary>
    /// The gradients of <paramref name="outputs"/> (weighted by <paramref name="gradOutputs"/>, ones when
    /// null) with respect to <paramref name="inputs"/>, without touching their <c>.Grad</c>. With
    /// <paramref name="createGraph"/> the results are differentiable, which is how Hessian-vector products
    /// are computed. An input the outputs do not depend on yields null when <paramref name="allowUnused"/>.
    /// </summary>
    public static Tensor?[] Grad(
        ReadOnlySpan<Tensor> outputs,
        ReadOnlySpan<Tensor> inputs,
        ReadOnlySpan<Tensor> gradOutputs = default,
        bool retainGraph = false,
        bool createGraph = false,
        bool allowUnused = false)
    {
        if (!gradOutputs.IsEmpty && gradOutputs.Length != outputs.Length)
        {
            throw new ArgumentException(
                $"gradOutputs has {gradOutputs.Length} tensors; it must be empty or match the {outputs.Length} outputs",
                nameof(gradOutputs));
        }
        IntPtr[] outputPointers = Tensor.Pointers(outputs);
        IntPtr[] inputPointers = Tensor.Pointers(inputs);
        IntPtr[] gradPointers = Tensor.Pointers(gradOutputs);
        int status;
        unsafe
        {
            fixed (IntPtr* grads = gradPointers)
            {
                status = NativeMethods.du_autograd_grad(
                    outputPointers, outputPointers.Length, inputPointers, inputPointers.Length,
                    gradPointers.Length == 0 ? IntPtr.Zero : (IntPtr)grads,
                    retainGraph ? 1 : 0, createGraph ? 1 : 0, allowUnused ? 1 : 0, out IntPtr items, out int count);
                return Tensor.WrapList(status, items, count);
            }
        }
    }

    /// <summary>Gradient of a scalar <paramref name="output"/> with respect to each input (all used).</summary>
    public static Tensor[] Grad(Tensor output, ReadOnlySpan<Tensor> inputs, bool retainGraph = false, bool createGraph = false)
    {
        Tensor?[] grads = Grad([output], inputs, default, retainGraph, createGraph, allowUnused: false);
        var result = new Tensor[grads.Length];
        for (int i = 0; i < grads.Length; i++)
        {
            result[i] = grads[i] ?? throw new InvalidOperationException($"input {i} does not affect the output");
        }
        return result;
    }
}
