using System;
using System.Runtime.InteropServices;
using DeepUnlearn.Torch.Interop;

namespace DeepUnlearn.Torch;

public sealed partial class Tensor
{
    /// <summary>Uninitialised values.</summary>
    public static Tensor Empty(ReadOnlySpan<long> shape, DType dtype = DType.Float32, Device? device = null, bool requiresGrad = false)
    {
        Device d = device ?? Device.Cpu;
        return Wrap(NativeMethods.du_tensor_empty(shape, shape.Length, (int)dtype, (int)d.Type, d.Index, requiresGrad ? 1 : 0, out TensorHandle h), h);
    }

    /// <summary>All zeros.</summary>
    public static Tensor Zeros(ReadOnlySpan<long> shape, DType dtype = DType.Float32, Device? device = null, bool requiresGrad = false)
    {
        Device d = device ?? Device.Cpu;
        return Wrap(NativeMethods.du_tensor_zeros(shape, shape.Length, (int)dtype, (int)d.Type, d.Index, requiresGrad ? 1 : 0, out TensorHandle h), h);
    }

    /// <summary>All ones.</summary>
    public static Tensor Ones(ReadOnlySpan<long> shape, DType dtype = DType.Float32, Device? device = null, bool requiresGrad = false)
    {
        Device d = device ?? Device.Cpu;
        return Wrap(NativeMethods.du_tensor_ones(shape, shape.Length, (int)dtype, (int)d.Type, d.Index, requiresGrad ? 1 : 0, out TensorHandle h), h);
    }

    /// <summary>Every element equal to <paramref name="value"/>.</summary>
    public static Tensor Full(ReadOnlySpan<long> shape, double value, DType dtype = DType.Float32, Device? device = null, bool requiresGrad = false)
    {
        Device d = device ?? Device.Cpu;
        return Wrap(NativeMethods.du_tensor_full(shape, shape.Length, value, (int)dtype, (int)d.Type, d.Index, requiresGrad ? 1 : 0, out TensorHandle h), h);
    }

    /// <summary>Values start, start + step, ... below end.</summary>
    public static Tensor Arange(double start, double end, double step = 1, DType dtype = DType.Int64, Device? device = null)
    {
        Device d = device ?? Device.Cpu;
        return Wrap(NativeMethods.du_tensor_arange(start, end, step, (int)dtype, (int)d.Type, d.Index, out TensorHandle h), h);
    }

    /// <summary>0, 1, ..., end - 1 (int64).</summary>
    public static Tensor Arange(long end, Device? device = null) => Arange(0, end, 1, DType.Int64, device);

    /// <summary><paramref name="steps"/> evenly spaced values from start to end inclusive.</summary>
    public static Tensor Linspace(double start, double end, long steps, DType dtype = DType.Float32, Device? device = null)
    {
        Device d = device ?? Device.Cpu;
        return Wrap(NativeMethods.du_tensor_linspace(start, end, steps, (int)dtype, (int)d.Type, d.Index, out TensorHandle h), h);
    }

    /// <summary>The n × m identity (m defaults to n).</summary>
    public static Tensor Eye(long n, long? m = null, DType dtype = DType.Float32, Device? device = null)
    {
        Device d = device ?? Device.Cpu;
        return Wrap(NativeMethods.du_tensor_eye(n, m ?? n, (int)dtype, (int)d.Type, d.Index, out TensorHandle h), h);
    }

    /// <summary>Uniform samples in [0, 1).</summary>
    public static Tensor Rand(ReadOnlySpan<long> shape, DType dtype = DType.Float32, Device? device = null, Generator? generator = null)
    {
        Device d = device ?? Device.Cpu;
        int status = NativeMethods.du_tensor_rand(shape, shape.Length, Generator.Pointer(generator), (int)dtype, (int)d.Type, d.Index, out TensorHandle h);
        GC.KeepAlive(generator);
        return Wrap(status, h);
    }

    /// <summary>Standard normal samples.</summary>
    public static Tensor Randn(ReadOnlySpan<long> shape, DType dtype = DType.Float32, Device? device = null, Generator? generator = null)
    {
        Device d = device ?? Device.Cpu;
        int status = NativeMethods.du_tensor_randn(shape, shape.Length, Generator.Pointer(generator), (int)dtype, (int)d.Type, d.Index, out TensorHandle h);
        GC.KeepAlive(generator);
        return Wrap(status, h);
    }

    /// <summary>Integers uniform in [low, high).</summary>
    public static Tensor Randint(long low, long high, ReadOnlySpan<long> shape, DType dtype = DType.Int64, Device? device = null, Generator? generator = null)
    {
        Device d = device ?? Device.Cpu;
        int status = NativeMethods.du_tensor_randint(low, high, shape, shape.Length, Generator.Pointer(generator), (int)dtype, (int)d.Type, d.Index, out TensorHandle h);
        GC.KeepAlive(generator);
        return Wrap(status, h);
    }

    /// <summary>A random permutation of 0 .. n-1 (int64).</summary>
    public static Tensor Randperm(long n, Device? device = null, Generator? generator = null)
    {
        Device d = device ?? Device.Cpu;
        int status = NativeMethods.du_tensor_randperm(n, Generator.Pointer(generator), (int)d.Type, d.Index, out TensorHandle h);
        GC.KeepAlive(generator);
        return Wrap(status, h);
    }

    /// <summary>Fills this tensor with uniform samples in [low, high).</summary>
    public Tensor UniformInPlace(double low, double high, Generator? generator = null)
    {
        NativeStatus.ThrowIfFailed(NativeMethods.du_tensor_uniform_(Handle, low, high, Generator.Pointer(generator)));
        GC.KeepAlive(generator);
        return this;
    }

    /// <summary>Fills this tensor with normal samples.</summary>
    public Tensor NormalInPlace(double mean = 0, double std = 1, Generator? generator = null)
    {
        NativeStatus.ThrowIfFailed(NativeMethods.du_tensor_normal_(Handle, mean, std, Generator.Pointer(generator)));
        GC.KeepAlive(generator);
        return this;
    }

    /// <summary>Bernoulli(p) samples with this tensor's shape, dtype and device.</summary>
    public Tensor Bernoulli(double p, Generator? generator = null)
    {
        int status = NativeMethods.du_tensor_bernoulli(Handle, p, Generator.Pointer(generator), out TensorHandle h);
        GC.KeepAlive(generator);
        return Wrap(status, h);
    }

    /// <summary>Zeros with this tensor's shape, dtype and device.</summary>
    public Tensor ZerosLike() => FullLike(0);

    /// <summary>Ones with this tensor's shape, dtype and device.</summary>
    public Tensor OnesLike() => FullLike(1);

    /// <summary>A constant with this tensor's shape, dtype and device.</summary>
    public Tensor FullLike(double value) => Wrap(NativeMethods.du_tensor_fill_like(Handle, value, out TensorHandle h), h);

    /// <summary>A tensor holding a copy of <paramref name="data"/> with the given shape (row-major).</summary>
    public static unsafe Tensor From<T>(ReadOnlySpan<T> data, ReadOnlySpan<long> shape, Device? device = null)
        where T : unmanaged
    {
        DType dtype = DTypeExtensions.Of<T>();
        return FromBytes(MemoryMarshal.AsBytes(data), shape, dtype, device);
    }

    /// <summary>A 1-D tensor holding a copy of <paramref name="data"/>.</summary>
    public static Tensor From<T>(T[] data, Device? device = null)
        where T : unmanaged
    {
        ArgumentNullException.ThrowIfNull(data);
        return From<T>(data, [data.LongLength], device);
    }

    /// <summary>A tensor of the given dtype from raw little-endian bytes (any dtype, bfloat16 included).</summary>
    public static unsafe Tensor FromBytes(ReadOnlySpan<byte> bytes, ReadOnlySpan<long> shape, DType dtype, Device? device = null)
    {
        Device d = device ?? Device.Cpu;
        fixed (byte* pointer = bytes)
        {
            return Wrap(NativeMethods.du_tensor_from_data(pointer, bytes.Length, shape, shape.Length, (int)dtype, (int)d.Type, d.Index, out TensorHandle h), h);
        }
    }

    /// <summary>A 0-dim tensor holding <paramref name="value"/>.</summary>
    public static Tensor Scalar(double value, DType dtype = DType.Float32, Device? device = null) =>
        Full([], value, dtype, device);
}
