using System;
using DeepUnlearn.Torch.Interop;

namespace DeepUnlearn.Torch;

public sealed partial class Tensor
{
    /// <summary>Sum of all elements (a 0-dim tensor).</summary>
    public Tensor Sum() => Wrap(NativeMethods.du_tensor_sum(Handle, default, 0, 0, out TensorHandle h), h);

    /// <summary>Sum over <paramref name="dims"/>.</summary>
    public Tensor Sum(ReadOnlySpan<long> dims, bool keepDim = false) => Wrap(NativeMethods.du_tensor_sum(Handle, dims, dims.Length, keepDim ? 1 : 0, out TensorHandle h), h);

    /// <summary>Sum over one dim.</summary>
    public Tensor Sum(long dim, bool keepDim = false) => Sum([dim], keepDim);

    /// <summary>Mean of all elements.</summary>
    public Tensor Mean() => Wrap(NativeMethods.du_tensor_mean(Handle, default, 0, 0, out TensorHandle h), h);

    /// <summary>Mean over <paramref name="dims"/>.</summary>
    public Tensor Mean(ReadOnlySpan<long> dims, bool keepDim = false) => Wrap(NativeMethods.du_tensor_mean(Handle, dims, dims.Length, keepDim ? 1 : 0, out TensorHandle h), h);

    /// <summary>Mean over one dim.</summary>
    public Tensor Mean(long dim, bool keepDim = false) => Mean([dim], keepDim);

    /// <summary>Product over one dim.</summary>
    public Tensor Prod(long dim, bool keepDim = false) => Wrap(NativeMethods.du_tensor_prod(Handle, dim, keepDim ? 1 : 0, out TensorHandle h), h);

    /// <summary>The p-norm of all elements (p = 2: Euclidean; ∞: max-abs).</summary>
    public Tensor Norm(double p = 2) => Wrap(NativeMethods.du_tensor_norm(Handle, p, default, 0, 0, out TensorHandle h), h);

    /// <summary>The p-norm over <paramref name="dims"/>.</summary>
    public Tensor Norm(double p, ReadOnlySpan<long> dims, bool keepDim = false) => Wrap(NativeMethods.du_tensor_norm(Handle, p, dims, dims.Length, keepDim ? 1 : 0, out TensorHandle h), h);

    /// <summary>Variance of all elements (unbiased by default, as PyTorch).</summary>
    public Tensor Var(bool unbiased = true) => Var([], unbiased);

    /// <summary>Variance over <paramref name="dims"/> (all dims when empty).</summary>
    public Tensor Var(ReadOnlySpan<long> dims, bool unbiased = true, bool keepDim = false) =>
        Wrap(NativeMethods.du_tensor_var(Handle, dims, dims.Length, unbiased ? 1 : 0, keepDim ? 1 : 0, out TensorHandle h), h);

    /// <summary>Standard deviation over <paramref name="dims"/> (all dims when empty).</summary>
    public Tensor Std(ReadOnlySpan<long> dims, bool unbiased = true, bool keepDim = false) =>
        Wrap(NativeMethods.du_tensor_std(Handle, dims, dims.Length, unbiased ? 1 : 0, keepDim ? 1 : 0, out TensorHandle h), h);

    /// <summary>log Σ exp over <paramref name="dims"/> (all dims when empty), computed stably.</summary>
    public Tensor LogSumExp(ReadOnlySpan<long> dims, bool keepDim = false) =>
        Wrap(NativeMethods.du_tensor_logsumexp(Handle, dims, dims.Length, keepDim ? 1 : 0, out TensorHandle h), h);

    /// <summary>log Σ exp over one dim.</summary>
    public Tensor LogSumExp(long dim, bool keepDim = false) => LogSumExp([dim], keepDim);

    /// <summary>The largest element.</summary>
    public Tensor Max() => Wrap(NativeMethods.du_tensor_max_all(Handle, out TensorHandle h), h);

    /// <summary>The smallest element.</summary>
    public Tensor Min() => Wrap(NativeMethods.du_tensor_min_all(Handle, out TensorHandle h), h);

    /// <summary>Largest values along <paramref name="dim"/> and their int64 indices.</summary>
    public (Tensor Values, Tensor Indices) Max(long dim, bool keepDim = false)
    {
        int status = NativeMethods.du_tensor_max_dim(Handle, dim, keepDim ? 1 : 0, out TensorHandle values, out TensorHandle indices);
        return WrapPair(status, values, indices);
    }

    /// <summary>Smallest values along <paramref name="dim"/> and their int64 indices.</summary>
    public (Tensor Values, Tensor Indices) Min(long dim, bool keepDim = false)
    {
        int status = NativeMethods.du_tensor_min_dim(Handle, dim, keepDim ? 1 : 0, out TensorHandle values, out TensorHandle indices);
        return WrapPair(status, values, indices);
    }

    /// <summary>Index of the largest element (flattened).</summary>
    public Tensor ArgMax() => Wrap(NativeMethods.du_tensor_argmax(Handle, 0, 0, 0, out TensorHandle h), h);

    /// <summary>Indices of the largest elements along <paramref name="dim"/>.</summary>
    public Tensor ArgMax(long dim, bool keepDim = false) => Wrap(NativeMethods.du_tensor_argmax(Handle, 1, dim, keepDim ? 1 : 0, out TensorHandle h), h);

    /// <summary>Index of the smallest element (flattened).</summary>
    public Tensor ArgMin() => Wrap(NativeMethods.du_tensor_argmin(Handle, 0, 0, 0, out TensorHandle h), h);

    /// <summary>Indices of the smallest elements along <paramref name="dim"/>.</summary>
    public Tensor ArgMin(long dim, bool keepDim = false) => Wrap(NativeMethods.du_tensor_argmin(Handle, 1, dim, keepDim ? 1 : 0, out TensorHandle h), h);

    /// <summary>Whether any element is non-zero (bool, 0-dim).</summary>
    public Tensor Any() => Unary(NativeMethods.du_tensor_any);

    /// <summary>Whether all elements are non-zero (bool, 0-dim).</summary>
    public Tensor All() => Unary(NativeMethods.du_tensor_all);

    /// <summary>Cumulative sum along <paramref name="dim"/>.</summary>
    public Tensor CumSum(long dim) => Wrap(NativeMethods.du_tensor_cumsum(Handle, dim, out TensorHandle h), h);

    /// <summary>The k largest (or smallest) values along <paramref name="dim"/>, sorted, with indices.</summary>
    public (Tensor Values, Tensor Indices) TopK(long k, long dim = -1, bool largest = true)
    {
        int status = NativeMethods.du_tensor_topk(Handle, k, dim, largest ? 1 : 0, out TensorHandle values, out TensorHandle indices);
        return WrapPair(status, values, indices);
    }

    /// <summary>Sorted values along <paramref name="dim"/> and the permutation that sorts them.</summary>
    public (Tensor Values, Tensor Indices) Sort(long dim = -1, bool descending = false)
    {
        int status = NativeMethods.du_tensor_sort(Handle, dim, descending ? 1 : 0, out TensorHandle values, out TensorHandle indices);
        return WrapPair(status, values, indices);
    }

    internal static (Tensor, Tensor) WrapPair(int status, TensorHandle first, TensorHandle second)
    {
        if (status != NativeStatus.Ok)
        {
            first.Dispose();
            second.Dispose();
            NativeStatus.ThrowIfFailed(status);
        }
        return (new Tensor(first), new Tensor(second));
    }
}
