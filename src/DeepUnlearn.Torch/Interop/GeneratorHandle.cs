using System;
using System.Runtime.InteropServices;

namespace DeepUnlearn.Torch.Interop;

/// <summary>An owned native <c>du_generator</c>; releasing it calls <c>du_generator_free</c>.</summary>
internal sealed class GeneratorHandle : SafeHandle
{
    /// <summary>Creates an empty handle; the interop marshaller fills it in.</summary>
    public GeneratorHandle()
        : base(IntPtr.Zero, ownsHandle: true)
    {
    }

    /// <inheritdoc />
    public override bool IsInvalid => handle == IntPtr.Zero;

    /// <inheritdoc />
    protected override bool ReleaseHandle()
    {
        NativeMethods.du_generator_free(handle);
        return true;
    }
}
