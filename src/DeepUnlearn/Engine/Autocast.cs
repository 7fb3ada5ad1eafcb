using System;
using TorchSharp;

namespace DeepUnlearn.Engine;

/// <summary>
/// An autocast region, PyTorch's <c>with torch.autocast(device_type, dtype):</c> for TorchSharp, which has none: while
/// it is open, libtorch runs the ops of its lower-precision list (convolutions, linear layers, matmuls) in
/// <see cref="Dtype"/> and the ops of its float32 list in float32, on the thread that opened it. Entering and leaving
/// follow <c>torch.amp.autocast_mode.autocast.__enter__/__exit__</c>: the previous enabled flag, dtype and cache flag are
/// saved and restored, the nesting depth is counted, and the cache of low-precision weight copies is cleared when the
/// outermost region closes. Autocast state is thread-local in libtorch, so a region must be closed on the thread that
/// opened it (checked). Only the forward pass belongs inside; backward runs each op in the dtype its forward chose.
/// As in PyTorch, nested regions share libtorch's cache of reduced-precision weight copies, which is keyed by the
/// weight only: do not nest regions of different dtypes.
/// </summary>
public sealed class Autocast : IDisposable
{
    private readonly DeviceType _device;
    private readonly bool _previousEnabled;
    private readonly torch.ScalarType _previousDtype;
    private readonly bool _previousCacheEnabled;
    private readonly int _thread;
    private bool _closed;

    private Autocast(DeviceType device, torch.ScalarType dtype)
    {
        _device = device;
        Dtype = dtype;
        _thread = Environment.CurrentManagedThreadId;
        _previousCacheEnabled = AutocastNative.IsCacheEnabled();
        _previousEnabled = AutocastNative.IsEnabled(device);
        _previousDtype = AutocastNative.GetDtype(device);
        AutocastNative.SetEnabled(device, true);
        AutocastNative.SetDtype(device, dtype);
        AutocastNative.IncrementNesting();
        AutocastNative.SetCacheEnabled(true);
    }

    /// <summary>The lower precision of this region.</summary>
    public torch.ScalarType Dtype { get; }

    /// <summary>
    /// Opens a region on <paramref name="device"/> (CPU or CUDA) with <paramref name="dtype"/> (bfloat16 or float16).
    /// Close it with <see cref="Dispose"/> on the same thread.
    /// </summary>
    /// <exception cref="ArgumentException">A device type other than CPU or CUDA, or a dtype other than bfloat16 and float16.</exception>
    public static Autocast Enter(DeviceType device, torch.ScalarType dtype)
    {
        if (device is not (DeviceType.CPU or DeviceType.CUDA))
        {
            throw new ArgumentException($"autocast on {device}: only CPU and CUDA are supported", nameof(device));
        }
        if (dtype is not (torch.ScalarType.BFloat16 or torch.ScalarType.Float16))
        {
            throw new ArgumentException($"autocast to {dtype}: the lower precision must be BFloat16 or Float16", nameof(dtype));
        }
        return new Autocast(device, dtype);
    }

    /// <summary>Whether autocast is on for <paramref name="device"/> on this thread.</summary>
    public static bool IsEnabled(DeviceType device) => AutocastNative.IsEnabled(device);

    /// <summary>The lower precision autocast uses for <paramref name="device"/> on this thread (when enabled).</summary>
    public static torch.ScalarType DtypeOf(DeviceType device) => AutocastNative.GetDtype(device);

    /// <summary>Closes the region: clears the weight cache when it was the outermost, restores the previous state.</summary>
    /// <exception cref="InvalidOperationException">Called on another thread than the one that opened the region.</exception>
    public void Dispose()
    {
        if (_closed)
        {
            return;
        }
        if (Environment.CurrentManagedThreadId != _thread)
        {
            throw new InvalidOperationException(
                $"an autocast region opened on thread {_thread} is being closed on thread {Environment.CurrentManagedThreadId}: libtorch's autocast state is per thread, so open and close it around the forward pass on one thread");
        }
        _closed = true;
        if (AutocastNative.DecrementNesting() == 0)
        {
            AutocastNative.ClearCache();
        }
        AutocastNative.SetEnabled(_device, _previousEnabled);
        AutocastNative.SetDtype(_device, _previousDtype);
        AutocastNative.SetCacheEnabled(_previousCacheEnabled);
    }
}
