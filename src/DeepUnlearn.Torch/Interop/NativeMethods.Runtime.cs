using System;
using System.Runtime.InteropServices;

namespace DeepUnlearn.Torch.Interop;

// Mirrors src/DeepUnlearn.Native/src/runtime.cpp. Only Interop/ sees these declarations.
internal static partial class NativeMethods
{
    /// <summary>The shim's file name without prefix and extension (libdu_native.so, du_native.dll).</summary>
    internal const string Lib = "du_native";

    [LibraryImport(Lib)] internal static partial IntPtr du_last_error();
    [LibraryImport(Lib)] internal static partial IntPtr du_torch_version();
    [LibraryImport(Lib)] internal static partial int du_set_num_threads(int n);
    [LibraryImport(Lib)] internal static partial int du_get_num_threads(out int n);
    [LibraryImport(Lib)] internal static partial int du_cuda_is_available(out int available);
    [LibraryImport(Lib)] internal static partial int du_cuda_device_count(out int count);
    [LibraryImport(Lib)] internal static partial int du_manual_seed(ulong seed);
}
