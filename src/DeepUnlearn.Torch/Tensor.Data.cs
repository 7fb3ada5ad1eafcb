using System;
using System.Runtime.InteropServices;
using DeepUnlearn.Torch.Interop;

namespace DeepUnlearn.Torch;

public sealed partial class Tensor
{
    /// <summary>The elements, row-major, copied to a new array. <typeparamref name="T"/> must match the dtype.</summary>
    public T[] ToArray<T>()
        where T : unmanaged
    {
        var result = new T[NumEl];
        CopyTo<T>(result);
        return result;
    }

    /// <summary>Copies the elements, row-major, into <paramref name="destination"/> (exactly NumEl long).</summary>
    public unsafe void CopyTo<T>(Span<T> destination)
        where T : unmanaged
    {
        DType expected = DTypeExtensions.Of<T>();
        if (expected != DType)
        {
            throw new InvalidOperationException($"tensor has dtype {DType}, not {expected}; convert with To({expected}) first");
        }
        CopyBytesTo(MemoryMarshal.AsBytes(destination));
    }

    /// <summary>The raw little-endian bytes of the elements, row-major (any dtype).</summary>
    public byte[] ToBytes()
    {
        var bytes = new byte[NumEl * DType.ElementSize()];
        CopyBytesTo(bytes);
        return bytes;
    }

    /// <summary>Copies the raw bytes of the elements into <paramref name="destination"/>.</summary>
    public unsafe void CopyBytesTo(Span<byte> destination)
    {
        fixed (byte* pointer = destination)
        {
            NativeStatus.ThrowIfFailed(NativeMethods.du_tensor_copy_to_buffer(Handle, pointer, destination.Length));
        }
    }

    /// <summary>The value of a one-element tensor as a double.</summary>
    public double Item()
    {
        NativeStatus.ThrowIfFailed(NativeMethods.du_tensor_item_double(Handle, out double value));
        return value;
    }

    /// <summary>The value of a one-element integer tensor, exactly.</summary>
    public long ItemInt64()
    {
        NativeStatus.ThrowIfFailed(NativeMethods.du_tensor_item_int64(Handle, out long value));
        return value;
    }

    /// <summary>This tensor on <paramref name="device"/> (the same tensor object's data when already there, as a new reference).</summary>
    public Tensor To(Device device) => To(device, DType);

    /// <summary>This tensor converted to <paramref name="dtype"/>.</summary>
    public Tensor To(DType dtype) => To(Device, dtype);

    /// <summary>This tensor on <paramref name="device"/> converted to <paramref name="dtype"/>; copy forces a copy.</summary>
    public Tensor To(Device device, DType dtype, bool copy = false) =>
        Wrap(NativeMethods.du_tensor_to(Handle, (int)device.Type, device.Index, (int)dtype, copy ? 1 : 0, out TensorHandle h), h);
}
