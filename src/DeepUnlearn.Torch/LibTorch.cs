using System;
using System.Runtime.InteropServices;
using DeepUnlearn.Torch.Interop;

namespace DeepUnlearn.Torch;

/// <summary>Process-wide libtorch settings and facts: version, threads, devices, the global seed.</summary>
public static class LibTorch
{
    /// <summary>The version of libtorch the shim was built against.</summary>
    public static string Version => Marshal.PtrToStringUTF8(NativeMethods.du_torch_version()) ?? "unknown";

    /// <summary>libtorch's intra-op thread count; the binding sets it to the machine's cores at start-up
    /// (or to the DU_NUM_THREADS environment variable).</summary>
    public static int NumThreads
    {
        get
        {
            NativeStatus.ThrowIfFailed(NativeMethods.du_get_num_threads(out int n));
            return n;
        }
    }

    /// <summary>True when libtorch was built with CUDA and sees at least one GPU.</summary>
    public static bool CudaIsAvailable
    {
        get
        {
            NativeStatus.ThrowIfFailed(NativeMethods.du_cuda_is_available(out int available));
            return available != 0;
        }
    }

    /// <summary>The number of CUDA devices libtorch sees.</summary>
    public static int CudaDeviceCount
    {
        get
        {
            NativeStatus.ThrowIfFailed(NativeMethods.du_cuda_device_count(out int count));
            return count;
        }
    }

    /// <summary>Sets libtorch's intra-op thread count.</summary>
    public static void SetNumThreads(int threads)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1);
        NativeStatus.ThrowIfFailed(NativeMethods.du_set_num_threads(threads));
    }

    /// <summary>Seeds libtorch's default generators (CPU and every CUDA device).</summary>
    public static void ManualSeed(ulong seed) => NativeStatus.ThrowIfFailed(NativeMethods.du_manual_seed(seed));

    /// <summary>Turns gradient recording off until the returned scope is disposed.</summary>
    public static GradModeScope NoGrad() => GradModeScope.Set(false);

    /// <summary>Turns gradient recording on until the returned scope is disposed.</summary>
    public static GradModeScope EnableGrad() => GradModeScope.Set(true);

    /// <summary>Whether operations on this thread record gradients.</summary>
    public static bool IsGradEnabled
    {
        get
        {
            NativeStatus.ThrowIfFailed(NativeMethods.du_autograd_is_grad_enabled(out int enabled));
            return enabled != 0;
        }
    }
}
