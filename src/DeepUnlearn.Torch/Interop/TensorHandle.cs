using System;
using System.Runtime.InteropServices;
using System.Threading;

namespace DeepUnlearn.Torch.Interop;

/// <summary>An owned reference to a native <c>du_tensor</c>; releasing it calls <c>du_tensor_free</c>.</summary>
internal sealed class TensorHandle : SafeHandle
{
    private static long s_live;
    private int _tracked;

    /// <summary>Creates an empty handle; the interop marshaller fills it in.</summary>
    public TensorHandle()
        : base(IntPtr.Zero, ownsHandle: true)
    {
    }

    internal TensorHandle(IntPtr handle)
        : base(IntPtr.Zero, ownsHandle: true)
    {
        SetHandle(handle);
    }

    /// <summary>The number of native tensors currently owned by managed handles.</summary>
    internal static long LiveCount => Interlocked.Read(ref s_live);

    /// <inheritdoc />
    public override bool IsInvalid => handle == IntPtr.Zero;

    /// <summary>Counts this handle in <see cref="LiveCount"/> until it is released.</summary>
    internal void Track()
    {
        if (!IsInvalid && Interlocked.Exchange(ref _tracked, 1) == 0)
        {
            Interlocked.Increment(ref s_live);
        }
    }

    /// <inheritdoc />
    protected override bool ReleaseHandle()
    {
        NativeMethods.du_tensor_free(handle);
        if (Interlocked.Exchange(ref _tracked, 0) == 1)
        {
            Interlocked.Decrement(ref s_live);
        }
        return true;
    }
}
