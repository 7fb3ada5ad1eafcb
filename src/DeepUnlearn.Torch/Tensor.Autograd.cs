using System;
using DeepUnlearn.Torch.Interop;

namespace DeepUnlearn.Torch;

public sealed partial class Tensor
{
    /// <summary>
    /// Backpropagates from this tensor (a scalar, unless <paramref name="gradient"/> is given), accumulating
    /// into the <c>.Grad</c> of every leaf that requires gradients.
    /// </summary>
    public void Backward(Tensor? gradient = null, bool retainGraph = false, bool createGraph = false)
    {
        NativeStatus.ThrowIfFailed(NativeMethods.du_autograd_backward(Handle, PointerOrZero(gradient), retainGraph ? 1 : 0, createGraph ? 1 : 0));
        GC.KeepAlive(gradient);
    }

    /// <summary>
    /// Makes this tensor share <paramref name="source"/>'s data (values, shape, dtype, device) while keeping
    /// its identity and leaf status, as PyTorch's <c>param.data = source</c>. Modules use it to move their
    /// parameters between devices without replacing the tensor objects other code holds.
    /// </summary>
    public void SetData(Tensor source)
    {
        NativeStatus.ThrowIfFailed(NativeMethods.du_tensor_set_data(Handle, source.Handle));
        _shape = null;
        _dtype = null;
        _device = null;
    }

    /// <summary>Sets <see cref="RequiresGrad"/> and returns this tensor (for chaining at creation).</summary>
    public Tensor RequiresGradInPlace(bool requiresGrad = true)
    {
        RequiresGrad = requiresGrad;
        return this;
    }
}
