using System;
using System.Runtime.InteropServices;

namespace DeepUnlearn.Torch.Interop;

// Mirrors src/DeepUnlearn.Native/src/autograd.cpp.
internal static partial class NativeMethods
{
    [LibraryImport(Lib)] internal static partial int du_autograd_backward(TensorHandle t, IntPtr grad, int retainGraph, int createGraph);
    [LibraryImport(Lib)] internal static partial int du_autograd_grad(ReadOnlySpan<IntPtr> outputs, int outputCount, ReadOnlySpan<IntPtr> inputs, int inputCount, IntPtr gradOutputs, int retainGraph, int createGraph, int allowUnused, out IntPtr items, out int count);
    [LibraryImport(Lib)] internal static partial int du_autograd_set_grad_enabled(int enabled, out int previous);
    [LibraryImport(Lib)] internal static partial int du_autograd_is_grad_enabled(out int enabled);
}
