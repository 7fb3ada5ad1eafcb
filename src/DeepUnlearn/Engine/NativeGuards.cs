using System;
using System.Linq;
using TorchSharp;

namespace DeepUnlearn.Engine;

/// <summary>
/// Checks made before the TorchSharp calls whose native side has no try/catch. In TorchSharp 0.107 (LibTorchSharp's
/// C++ sources) some exports call libtorch without the <c>CATCH</c> wrapper the others have, so a libtorch error there
/// is an uncaught C++ exception: the process aborts ("terminate called after throwing an instance of 'c10::Error'"),
/// with no managed exception to catch. Those our code can reach: <c>THSTensor_matmul</c> (<c>Tensor.matmul</c>),
/// <c>THSGenerator_set_rng_state</c> (<c>Generator.set_state</c>), <c>THSTorch_set_num_threads</c> and
/// <c>THSNN_Module_to_device</c> (guarded by <see cref="TorchRuntime"/> and <see cref="DeviceResolver"/>). Call
/// these through the guards below, which throw a managed exception with libtorch's wording instead.
/// </summary>
public static class NativeGuards
{
    /// <summary>
    /// <c>a.matmul(b)</c>, after checking what libtorch would reject: dtypes, devices, the contracted dimensions and
    /// the broadcast of the batch dimensions (torch.matmul's rules for 1-D, 2-D and batched operands).
    /// </summary>
    /// <exception cref="ArgumentException">The operands cannot be multiplied; the message says why.</exception>
    public static torch.Tensor MatMul(torch.Tensor a, torch.Tensor b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        if (a.dtype != b.dtype)
        {
            throw new ArgumentException($"matmul: expected both operands to have the same dtype, got {a.dtype} and {b.dtype}", nameof(b));
        }
        if (a.device_type != b.device_type || a.device_index != b.device_index)
        {
            throw new ArgumentException($"matmul: expected both operands on the same device, got {a.device} and {b.device}", nameof(b));
        }
        long[] x = a.shape;
        long[] y = b.shape;
        if (x.Length == 0 || y.Length == 0)
        {
            throw new ArgumentException($"matmul: both arguments need at least 1 dimension, got {x.Length}D and {y.Length}D", x.Length == 0 ? nameof(a) : nameof(b));
        }
        long inner = x[^1];
        long contracted = y.Length == 1 ? y[0] : y[^2];
        if (inner != contracted)
        {
            throw new ArgumentException($"mat1 and mat2 shapes cannot be multiplied ({Format(x)} and {Format(y)})", nameof(b));
        }
        if (x.Length > 2 || y.Length > 2)
        {
            long[] batchX = x.Length > 2 ? x[..^2] : [];
            long[] batchY = y.Length > 2 ? y[..^2] : [];
            for (int i = 1; i <= Math.Max(batchX.Length, batchY.Length); i++)
            {
                long dx = i <= batchX.Length ? batchX[^i] : 1;
                long dy = i <= batchY.Length ? batchY[^i] : 1;
                if (dx != dy && dx != 1 && dy != 1)
                {
                    throw new ArgumentException($"matmul: the batch dimensions of {Format(x)} and {Format(y)} do not broadcast", nameof(b));
                }
            }
        }
        return a.matmul(b);
    }

    /// <summary>
    /// <c>generator.set_state(state)</c>, after checking that <paramref name="state"/> is a CPU uint8 tensor of the size
    /// this libtorch's generator state has (a state saved by another libtorch version may differ).
    /// </summary>
    /// <exception cref="ArgumentException">The state cannot be a state of this generator; the message says why.</exception>
    public static void SetRngState(torch.Generator generator, torch.Tensor state)
    {
        ArgumentNullException.ThrowIfNull(generator);
        ArgumentNullException.ThrowIfNull(state);
        using torch.Tensor current = generator.get_state();
        if (state.dtype != torch.ScalarType.Byte || state.device_type != DeviceType.CPU || !state.shape.SequenceEqual(current.shape))
        {
            throw new ArgumentException(
                $"not a random-generator state of this libtorch: expected a CPU Byte tensor of shape {Format(current.shape)}, got a {state.device_type} {state.dtype} tensor of shape {Format(state.shape)}",
                nameof(state));
        }
        generator.set_state(state);
    }

    private static string Format(long[] shape) => string.Join("x", shape);
}
