using System;
using System.Globalization;
using System.Runtime.InteropServices;
using DeepUnlearn.Torch.Interop;

namespace DeepUnlearn.Torch;

/// <summary>
/// A libtorch tensor. Operations return new tensors and never dispose their arguments; methods named
/// <c>...InPlace</c> modify this tensor and return it. Native memory is released by <see cref="Dispose"/>
/// or by the innermost <see cref="TensorScope"/> open when the tensor was created; the finalizer of
/// the underlying handle is only a safety net.
/// </summary>
public sealed partial class Tensor : IDisposable
{
    private TensorHandle? _handle;
    private long[]? _shape;
    private DType? _dtype;
    private Device? _device;

    internal Tensor(TensorHandle handle)
    {
        if (handle.IsInvalid)
        {
            handle.Dispose();
            throw new TorchException("the native shim returned no tensor where one was expected");
        }
        handle.Track();
        _handle = handle;
        TensorScope.Register(this);
    }

    /// <summary>The number of native tensors currently alive in this process (for leak checks).</summary>
    public static long LiveCount => TensorHandle.LiveCount;

    /// <summary>
    /// <see cref="LiveCount"/> after a full garbage collection and the finalizers it queued, so tensors some
    /// earlier code dropped without disposing (and the finalizer would free at an unknown later time) are
    /// not counted: the baseline of a leak check that must not depend on what ran before it.
    /// </summary>
    public static long SettledLiveCount()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        return TensorHandle.LiveCount;
    }

    /// <summary>True once the tensor has been disposed.</summary>
    public bool IsDisposed => _handle is null;

    /// <summary>The scope that will dispose this tensor, if any.</summary>
    internal TensorScope? Owner { get; set; }

    internal TensorHandle Handle => _handle ?? throw Disposed();

    /// <summary>The size of each dimension.</summary>
    public ReadOnlySpan<long> Shape
    {
        get
        {
            ThrowIfDisposed();
            return _shape ??= ReadShape();
        }
    }

    /// <summary>The number of dimensions.</summary>
    public int Dim => Shape.Length;

    /// <summary>The number of elements.</summary>
    public long NumEl
    {
        get
        {
            long n = 1;
            foreach (long s in Shape)
            {
                n *= s;
            }
            return n;
        }
    }

    /// <summary>The element type.</summary>
    public DType DType
    {
        get
        {
            ThrowIfDisposed();
            if (_dtype is null)
            {
                NativeStatus.ThrowIfFailed(NativeMethods.du_tensor_dtype(Handle, out int code));
                _dtype = (DType)code;
            }
            return _dtype.Value;
        }
    }

    /// <summary>The device the tensor lives on.</summary>
    public Device Device
    {
        get
        {
            ThrowIfDisposed();
            if (_device is null)
            {
                NativeStatus.ThrowIfFailed(NativeMethods.du_tensor_device(Handle, out int type, out int index));
                _device = new Device((DeviceType)type, type == (int)DeviceType.Cpu ? -1 : index);
            }
            return _device.Value;
        }
    }

    /// <summary>Whether the elements are laid out row-major without gaps.</summary>
    public bool IsContiguous
    {
        get
        {
            NativeStatus.ThrowIfFailed(NativeMethods.du_tensor_is_contiguous(Handle, out int flag));
            return flag != 0;
        }
    }

    /// <summary>Whether autograd records operations on this tensor (settable on leaves).</summary>
    public bool RequiresGrad
    {
        get
        {
            NativeStatus.ThrowIfFailed(NativeMethods.du_tensor_requires_grad(Handle, out int flag));
            return flag != 0;
        }
        set => NativeStatus.ThrowIfFailed(NativeMethods.du_tensor_set_requires_grad(Handle, value ? 1 : 0));
    }

    /// <summary>
    /// The accumulated gradient, as a new tensor sharing its storage (dispose it or let a scope do so),
    /// or null when none has been computed. Setting null clears it.
    /// </summary>
    public Tensor? Grad
    {
        get
        {
            int status = NativeMethods.du_tensor_grad(Handle, out TensorHandle grad);
            if (status != NativeStatus.Ok || grad.IsInvalid)
            {
                grad.Dispose();
                NativeStatus.ThrowIfFailed(status);
                return null;
            }
            return new Tensor(grad);
        }
        set
        {
            IntPtr pointer = value is null ? IntPtr.Zero : value.Handle.DangerousGetHandle();
            NativeStatus.ThrowIfFailed(NativeMethods.du_tensor_set_grad(Handle, pointer));
            GC.KeepAlive(value);
        }
    }

    /// <summary>The strides of each dimension, in elements.</summary>
    public long[] Strides()
    {
        long[] strides = new long[Dim];
        NativeStatus.ThrowIfFailed(NativeMethods.du_tensor_strides(Handle, strides, strides.Length));
        return strides;
    }

    /// <summary>The shape as a new array.</summary>
    public long[] ShapeArray() => Shape.ToArray();

    /// <summary>The size of dimension <paramref name="dim"/> (negative counts from the end).</summary>
    public long Size(int dim)
    {
        ReadOnlySpan<long> shape = Shape;
        int d = dim < 0 ? dim + shape.Length : dim;
        if (d < 0 || d >= shape.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(dim), dim, $"tensor has {shape.Length} dims");
        }
        return shape[d];
    }

    /// <summary>Releases the native tensor now. Safe to call twice.</summary>
    public void Dispose()
    {
        TensorHandle? handle = _handle;
        _handle = null;
        handle?.Dispose();
    }

    /// <summary>libtorch's printout of the tensor (values included).</summary>
    public string ToText()
    {
        NativeStatus.ThrowIfFailed(NativeMethods.du_tensor_to_string(Handle, out IntPtr text));
        return Marshal.PtrToStringUTF8(text) ?? string.Empty;
    }

    /// <inheritdoc />
    public override string ToString()
    {
        if (IsDisposed)
        {
            return "Tensor(disposed)";
        }
        return string.Create(
            CultureInfo.InvariantCulture,
            $"Tensor([{string.Join(", ", ShapeArray())}], {DType}, {Device})");
    }

    /// <summary>Wraps the result handle of a native call, or throws the call's error.</summary>
    internal static Tensor Wrap(int status, TensorHandle result)
    {
        if (status != NativeStatus.Ok)
        {
            result.Dispose();
            NativeStatus.ThrowIfFailed(status);
        }
        return new Tensor(result);
    }

    /// <summary>Takes ownership of a native array of tensor handles returned by the shim.</summary>
    internal static Tensor?[] WrapList(int status, IntPtr items, int count)
    {
        NativeStatus.ThrowIfFailed(status);
        var result = new Tensor?[count];
        try
        {
            for (int i = 0; i < count; i++)
            {
                IntPtr pointer = Marshal.ReadIntPtr(items, i * IntPtr.Size);
                result[i] = pointer == IntPtr.Zero ? null : new Tensor(new TensorHandle(pointer));
            }
        }
        finally
        {
            NativeMethods.du_tensor_list_free(items);
        }
        return result;
    }

    /// <summary>Raw pointers of borrowed tensors for list arguments; keep the tensors alive during the call.</summary>
    internal static IntPtr[] Pointers(ReadOnlySpan<Tensor> tensors)
    {
        var pointers = new IntPtr[tensors.Length];
        for (int i = 0; i < tensors.Length; i++)
        {
            pointers[i] = tensors[i].Handle.DangerousGetHandle();
        }
        return pointers;
    }

    /// <summary>The raw pointer of an optional tensor argument (zero for null).</summary>
    internal static IntPtr PointerOrZero(Tensor? tensor) => tensor is null ? IntPtr.Zero : tensor.Handle.DangerousGetHandle();

    // Cached metadata (shape, dtype, device) must not outlive the tensor either.
    private void ThrowIfDisposed()
    {
        if (_handle is null)
        {
            throw Disposed();
        }
    }

    private static ObjectDisposedException Disposed() => new(nameof(Tensor), "the tensor has been disposed");

    private long[] ReadShape()
    {
        NativeStatus.ThrowIfFailed(NativeMethods.du_tensor_ndim(Handle, out int ndim));
        long[] shape = new long[ndim];
        NativeStatus.ThrowIfFailed(NativeMethods.du_tensor_sizes(Handle, shape, ndim));
        return shape;
    }
}
