using System;
using System.Runtime.CompilerServices;
using DeepUnlearn.Torch.Interop;

namespace DeepUnlearn.Torch;

public sealed partial class Tensor
{
    /// <summary>The same elements with a new shape (a view when possible); one size may be −1.</summary>
    public Tensor Reshape(params ReadOnlySpan<long> shape) => Wrap(NativeMethods.du_tensor_reshape(Handle, shape, shape.Length, out TensorHandle h), h);

    /// <summary>A view with a new shape; fails when the strides do not allow one.</summary>
    public Tensor View(params ReadOnlySpan<long> shape) => Wrap(NativeMethods.du_tensor_view(Handle, shape, shape.Length, out TensorHandle h), h);

    /// <summary>Broadcasts size-1 dims to <paramref name="shape"/> without copying (−1 keeps a size).</summary>
    public Tensor Expand(params ReadOnlySpan<long> shape) => Wrap(NativeMethods.du_tensor_expand(Handle, shape, shape.Length, out TensorHandle h), h);

    /// <summary>Tiles the tensor <paramref name="repeats"/> times along each dim.</summary>
    public Tensor Repeat(params ReadOnlySpan<long> repeats) => Wrap(NativeMethods.du_tensor_repeat(Handle, repeats, repeats.Length, out TensorHandle h), h);

    /// <summary>Reorders the dims.</summary>
    public Tensor Permute(params ReadOnlySpan<long> dims) => Wrap(NativeMethods.du_tensor_permute(Handle, dims, dims.Length, out TensorHandle h), h);

    /// <summary>Reverses the order of elements along <paramref name="dims"/>.</summary>
    public Tensor Flip(params ReadOnlySpan<long> dims) => Wrap(NativeMethods.du_tensor_flip(Handle, dims, dims.Length, out TensorHandle h), h);

    /// <summary>Swaps two dims.</summary>
    public Tensor Transpose(long dim0, long dim1) => Wrap(NativeMethods.du_tensor_transpose(Handle, dim0, dim1, out TensorHandle h), h);

    /// <summary>Merges dims start..end into one.</summary>
    public Tensor Flatten(long startDim = 0, long endDim = -1) => Wrap(NativeMethods.du_tensor_flatten(Handle, startDim, endDim, out TensorHandle h), h);

    /// <summary>Removes every size-1 dim.</summary>
    public Tensor Squeeze() => Wrap(NativeMethods.du_tensor_squeeze(Handle, 0, 0, out TensorHandle h), h);

    /// <summary>Removes <paramref name="dim"/> if its size is 1.</summary>
    public Tensor Squeeze(long dim) => Wrap(NativeMethods.du_tensor_squeeze(Handle, 1, dim, out TensorHandle h), h);

    /// <summary>Inserts a size-1 dim at <paramref name="dim"/>.</summary>
    public Tensor Unsqueeze(long dim) => Wrap(NativeMethods.du_tensor_unsqueeze(Handle, dim, out TensorHandle h), h);

    /// <summary>A view of <paramref name="length"/> elements along <paramref name="dim"/> from <paramref name="start"/>.</summary>
    public Tensor Narrow(long dim, long start, long length) => Wrap(NativeMethods.du_tensor_narrow(Handle, dim, start, length, out TensorHandle h), h);

    /// <summary>The slice at <paramref name="index"/> along <paramref name="dim"/> (that dim removed).</summary>
    public Tensor Select(long dim, long index) => Wrap(NativeMethods.du_tensor_select(Handle, dim, index, out TensorHandle h), h);

    /// <summary>Row <paramref name="index"/> (dim 0).</summary>
    [IndexerName("Rows")]
    public Tensor this[long index] => Select(0, index);

    /// <summary>The rows whose ids are in <paramref name="ids"/> (an int64 tensor), along dim 0.</summary>
    [IndexerName("Rows")]
    public Tensor this[Tensor ids] => IndexSelect(0, ids);

    /// <summary>Concatenates along an existing dim.</summary>
    public static Tensor Cat(ReadOnlySpan<Tensor> tensors, long dim = 0)
    {
        IntPtr[] pointers = Pointers(tensors);
        int status = NativeMethods.du_tensor_cat(pointers, pointers.Length, dim, out TensorHandle h);
        return Wrap(status, h);
    }

    /// <summary>Stacks along a new dim.</summary>
    public static Tensor Stack(ReadOnlySpan<Tensor> tensors, long dim = 0)
    {
        IntPtr[] pointers = Pointers(tensors);
        int status = NativeMethods.du_tensor_stack(pointers, pointers.Length, dim, out TensorHandle h);
        return Wrap(status, h);
    }

    /// <summary>Pieces of <paramref name="splitSize"/> along <paramref name="dim"/> (the last may be smaller).</summary>
    public Tensor[] Split(long splitSize, long dim = 0)
    {
        int status = NativeMethods.du_tensor_split(Handle, splitSize, dim, out IntPtr items, out int count);
        return NonNull(WrapList(status, items, count));
    }

    /// <summary><paramref name="chunks"/> nearly equal pieces along <paramref name="dim"/>.</summary>
    public Tensor[] Chunk(long chunks, long dim = 0)
    {
        int status = NativeMethods.du_tensor_chunk(Handle, chunks, dim, out IntPtr items, out int count);
        return NonNull(WrapList(status, items, count));
    }

    /// <summary>Entries at the int64 <paramref name="index"/> along <paramref name="dim"/>.</summary>
    public Tensor IndexSelect(long dim, Tensor index) => Wrap(NativeMethods.du_tensor_index_select(Handle, dim, index.Handle, out TensorHandle h), h);

    /// <summary>Writes <paramref name="values"/> into the rows <paramref name="index"/> (dim 0), or adds them.</summary>
    public Tensor IndexPutInPlace(Tensor index, Tensor values, bool accumulate = false)
    {
        NativeStatus.ThrowIfFailed(NativeMethods.du_tensor_index_put_(Handle, index.Handle, values.Handle, accumulate ? 1 : 0));
        return this;
    }

    /// <summary>out[i][j] = this[i][index[i][j]] for dim 1 (and likewise for other dims).</summary>
    public Tensor Gather(long dim, Tensor index) => Wrap(NativeMethods.du_tensor_gather(Handle, dim, index.Handle, out TensorHandle h), h);

    /// <summary>A copy with <paramref name="source"/> written at <paramref name="index"/> along <paramref name="dim"/>.</summary>
    public Tensor Scatter(long dim, Tensor index, Tensor source) => Wrap(NativeMethods.du_tensor_scatter(Handle, dim, index.Handle, source.Handle, out TensorHandle h), h);

    /// <summary>A copy with <paramref name="value"/> written at <paramref name="index"/> along <paramref name="dim"/>.</summary>
    public Tensor Scatter(long dim, Tensor index, double value) => Wrap(NativeMethods.du_tensor_scatter_value(Handle, dim, index.Handle, value, out TensorHandle h), h);

    /// <summary>A copy with <paramref name="source"/> added at <paramref name="index"/> along <paramref name="dim"/>.</summary>
    public Tensor ScatterAdd(long dim, Tensor index, Tensor source) => Wrap(NativeMethods.du_tensor_scatter_add(Handle, dim, index.Handle, source.Handle, out TensorHandle h), h);

    /// <summary>A copy with <paramref name="value"/> where <paramref name="mask"/> is true.</summary>
    public Tensor MaskedFill(Tensor mask, double value) => Wrap(NativeMethods.du_tensor_masked_fill(Handle, mask.Handle, value, out TensorHandle h), h);

    /// <summary>Writes <paramref name="value"/> where <paramref name="mask"/> is true.</summary>
    public Tensor MaskedFillInPlace(Tensor mask, double value)
    {
        NativeStatus.ThrowIfFailed(NativeMethods.du_tensor_masked_fill_(Handle, mask.Handle, value));
        return this;
    }

    /// <summary>The elements where <paramref name="mask"/> is true, as a 1-D tensor.</summary>
    public Tensor MaskedSelect(Tensor mask) => Wrap(NativeMethods.du_tensor_masked_select(Handle, mask.Handle, out TensorHandle h), h);

    /// <summary>Indices of non-zero elements, shape [n, Dim].</summary>
    public Tensor NonZero() => Unary(NativeMethods.du_tensor_nonzero);

    /// <summary>Constant padding; <paramref name="pad"/> lists (before, after) pairs from the last dim backwards.</summary>
    public Tensor Pad(ReadOnlySpan<long> pad, double value = 0) => Wrap(NativeMethods.du_tensor_pad(Handle, pad, pad.Length, value, out TensorHandle h), h);

    private static Tensor[] NonNull(Tensor?[] items)
    {
        var result = new Tensor[items.Length];
        for (int i = 0; i < items.Length; i++)
        {
            result[i] = items[i] ?? throw new TorchException("the native shim returned an undefined tensor in a list");
        }
        return result;
    }
}
