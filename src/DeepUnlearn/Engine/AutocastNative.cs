using System;
using System.Runtime.InteropServices;
using TorchSharp;

namespace DeepUnlearn.Engine;

/// <summary>
/// libtorch's autocast state functions (<c>at::autocast</c> in aten/src/ATen/autocast_mode.h), which TorchSharp 0.107
/// does not bind, called by their Itanium-mangled names in <c>libtorch_cpu.so</c> (the CPU and the CUDA packages both
/// ship it; the functions are device-generic there). <c>c10::DeviceType</c> and <c>c10::ScalarType</c> are
/// <c>enum class : int8_t</c> and <c>bool</c> is one byte, so every argument and result is a fixed-width integer and
/// no C++ shim is needed; <c>AutocastTests</c> checks the binding against the dtype libtorch's kernels produce.
/// All the state these functions touch is thread-local in libtorch.
/// </summary>
internal static unsafe class AutocastNative
{
    private const string Library = "libtorch_cpu.so";

    private static readonly Lazy<Functions> s_functions = new(Load, System.Threading.LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary><c>at::autocast::is_autocast_enabled(c10::DeviceType)</c>.</summary>
    public static bool IsEnabled(DeviceType device) => s_functions.Value.IsEnabled((sbyte)device) != 0;

    /// <summary><c>at::autocast::set_autocast_enabled(c10::DeviceType, bool)</c>.</summary>
    public static void SetEnabled(DeviceType device, bool enabled) => s_functions.Value.SetEnabled((sbyte)device, enabled ? (byte)1 : (byte)0);

    /// <summary><c>at::autocast::get_autocast_dtype(c10::DeviceType)</c>.</summary>
    public static torch.ScalarType GetDtype(DeviceType device) => (torch.ScalarType)s_functions.Value.GetDtype((sbyte)device);

    /// <summary><c>at::autocast::set_autocast_dtype(c10::DeviceType, c10::ScalarType)</c>.</summary>
    public static void SetDtype(DeviceType device, torch.ScalarType dtype) => s_functions.Value.SetDtype((sbyte)device, (sbyte)dtype);

    /// <summary><c>at::autocast::increment_nesting()</c>: the new depth.</summary>
    public static int IncrementNesting() => s_functions.Value.IncrementNesting();

    /// <summary><c>at::autocast::decrement_nesting()</c>: the new depth.</summary>
    public static int DecrementNesting() => s_functions.Value.DecrementNesting();

    /// <summary><c>at::autocast::clear_cache()</c>: drops the cached low-precision copies of the weights.</summary>
    public static void ClearCache() => s_functions.Value.ClearCache();

    /// <summary><c>at::autocast::is_autocast_cache_enabled()</c>.</summary>
    public static bool IsCacheEnabled() => s_functions.Value.IsCacheEnabled() != 0;

    /// <summary><c>at::autocast::set_autocast_cache_enabled(bool)</c>.</summary>
    public static void SetCacheEnabled(bool enabled) => s_functions.Value.SetCacheEnabled(enabled ? (byte)1 : (byte)0);

    private static Functions Load()
    {
        // TorchSharp has loaded libtorch_cpu.so (as a dependency of libLibTorchSharp.so) by the first tensor; dlopen by
        // its soname returns that very copy. Making sure libtorch is up first keeps this from loading a second one.
        TorchRuntime.EnsureInitialized();
        if (!NativeLibrary.TryLoad(Library, typeof(torch).Assembly, DllImportSearchPath.SafeDirectories | DllImportSearchPath.AssemblyDirectory, out IntPtr handle)
            && !NativeLibrary.TryLoad(Library, out handle))
        {
            throw new DllNotFoundException($"autocast: cannot load {Library}, the libtorch library TorchSharp uses");
        }
        return new Functions
        {
            IsEnabled = (delegate* unmanaged<sbyte, byte>)Export(handle, "_ZN2at8autocast19is_autocast_enabledEN3c1010DeviceTypeE", "is_autocast_enabled(c10::DeviceType)"),
            SetEnabled = (delegate* unmanaged<sbyte, byte, void>)Export(handle, "_ZN2at8autocast20set_autocast_enabledEN3c1010DeviceTypeEb", "set_autocast_enabled(c10::DeviceType, bool)"),
            GetDtype = (delegate* unmanaged<sbyte, sbyte>)Export(handle, "_ZN2at8autocast18get_autocast_dtypeEN3c1010DeviceTypeE", "get_autocast_dtype(c10::DeviceType)"),
            SetDtype = (delegate* unmanaged<sbyte, sbyte, void>)Export(handle, "_ZN2at8autocast18set_autocast_dtypeEN3c1010DeviceTypeENS1_10ScalarTypeE", "set_autocast_dtype(c10::DeviceType, c10::ScalarType)"),
            IncrementNesting = (delegate* unmanaged<int>)Export(handle, "_ZN2at8autocast17increment_nestingEv", "increment_nesting()"),
            DecrementNesting = (delegate* unmanaged<int>)Export(handle, "_ZN2at8autocast17decrement_nestingEv", "decrement_nesting()"),
            ClearCache = (delegate* unmanaged<void>)Export(handle, "_ZN2at8autocast11clear_cacheEv", "clear_cache()"),
            IsCacheEnabled = (delegate* unmanaged<byte>)Export(handle, "_ZN2at8autocast25is_autocast_cache_enabledEv", "is_autocast_cache_enabled()"),
            SetCacheEnabled = (delegate* unmanaged<byte, void>)Export(handle, "_ZN2at8autocast26set_autocast_cache_enabledEb", "set_autocast_cache_enabled(bool)"),
        };
    }

    private static IntPtr Export(IntPtr handle, string mangled, string readable) =>
        NativeLibrary.TryGetExport(handle, mangled, out IntPtr address)
            ? address
            : throw new EntryPointNotFoundException($"autocast: {Library} has no at::autocast::{readable} ({mangled}); this libtorch is not the 2.x TorchSharp 0.107 was built for");

    private sealed class Functions
    {
        public required delegate* unmanaged<sbyte, byte> IsEnabled { get; init; }

        public required delegate* unmanaged<sbyte, byte, void> SetEnabled { get; init; }

        public required delegate* unmanaged<sbyte, sbyte> GetDtype { get; init; }

        public required delegate* unmanaged<sbyte, sbyte, void> SetDtype { get; init; }

        public required delegate* unmanaged<int> IncrementNesting { get; init; }

        public required delegate* unmanaged<int> DecrementNesting { get; init; }

        public required delegate* unmanaged<void> ClearCache { get; init; }

        public required delegate* unmanaged<byte> IsCacheEnabled { get; init; }

        public required delegate* unmanaged<byte, void> SetCacheEnabled { get; init; }
    }
}
