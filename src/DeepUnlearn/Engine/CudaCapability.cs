using System;
using System.Runtime.InteropServices;

namespace DeepUnlearn.Engine;

/// <summary>
/// The compute capability of a CUDA device (8.0 for an A100, 9.0 for an H100), which decides whether bfloat16 runs in
/// hardware: PyTorch's <c>torch.cuda.is_bf16_supported()</c> asks for a major version of 8 or more. TorchSharp does not
/// expose device properties and libtorch's <c>cudaDeviceProp</c> layout changes between CUDA releases, so this asks the
/// CUDA driver API (<c>libcuda.so.1</c>, installed with every NVIDIA driver and stable since CUDA 2) through
/// <c>cuDeviceGetAttribute</c>. It is only ever called for a CUDA device, so a CPU-only machine never loads it.
/// </summary>
public static unsafe class CudaCapability
{
    /// <summary>CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR (cuda.h).</summary>
    private const int AttributeMajor = 75;

    /// <summary>CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR (cuda.h).</summary>
    private const int AttributeMinor = 76;

    private const string DriverLibrary = "libcuda.so.1";

    /// <summary>The first major compute capability with bfloat16 tensor cores (Ampere).</summary>
    public const int BFloat16MinimumMajor = 8;

    /// <summary>
    /// The (major, minor) compute capability of CUDA device <paramref name="ordinal"/>, or null when the driver library
    /// cannot be loaded or answers with an error (the caller then falls back to float16 with loss scaling, which every
    /// CUDA GPU runs).
    /// </summary>
    public static (int Major, int Minor)? Of(int ordinal)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(ordinal);
        if (!NativeLibrary.TryLoad(DriverLibrary, out IntPtr handle))
        {
            return null;
        }
        if (!NativeLibrary.TryGetExport(handle, "cuInit", out IntPtr init)
            || !NativeLibrary.TryGetExport(handle, "cuDeviceGet", out IntPtr get)
            || !NativeLibrary.TryGetExport(handle, "cuDeviceGetAttribute", out IntPtr attribute))
        {
            return null;
        }
        var cuInit = (delegate* unmanaged<uint, int>)init;
        var cuDeviceGet = (delegate* unmanaged<int*, int, int>)get;
        var cuDeviceGetAttribute = (delegate* unmanaged<int*, int, int, int>)attribute;
        int device;
        int major;
        int minor;
        // CUDA_SUCCESS is 0; cuInit may be called any number of times.
        if (cuInit(0) != 0 || cuDeviceGet(&device, ordinal) != 0
            || cuDeviceGetAttribute(&major, AttributeMajor, device) != 0
            || cuDeviceGetAttribute(&minor, AttributeMinor, device) != 0)
        {
            return null;
        }
        return (major, minor);
    }

    /// <summary>Whether a device of compute capability <paramref name="capability"/> runs bfloat16 in hardware (major ≥ 8).</summary>
    public static bool SupportsBFloat16((int Major, int Minor) capability) => capability.Major >= BFloat16MinimumMajor;
}
