using System;
using DeepUnlearn.Torch.Interop;

namespace DeepUnlearn.Torch;

/// <summary>Sets libtorch's thread-local grad mode and restores the previous mode on dispose.
/// Obtain one with <see cref="LibTorch.NoGrad"/> or <see cref="LibTorch.EnableGrad"/>.</summary>
public readonly struct GradModeScope : IDisposable
{
    private readonly bool _previous;
    private readonly bool _active;

    private GradModeScope(bool previous)
    {
        _previous = previous;
        _active = true;
    }

    internal static GradModeScope Set(bool enabled)
    {
        NativeStatus.ThrowIfFailed(NativeMethods.du_autograd_set_grad_enabled(enabled ? 1 : 0, out int previous));
        return new GradModeScope(previous != 0);
    }

    /// <summary>Restores the grad mode that was in force when the scope began.</summary>
    public void Dispose()
    {
        if (_active)
        {
            NativeStatus.ThrowIfFailed(NativeMethods.du_autograd_set_grad_enabled(_previous ? 1 : 0, out _));
        }
    }
}
