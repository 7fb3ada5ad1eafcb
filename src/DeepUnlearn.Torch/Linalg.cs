using DeepUnlearn.Torch.Interop;

namespace DeepUnlearn.Torch;

/// <summary>Linear algebra (torch.linalg), batched over leading dims where libtorch is.</summary>
public static class Linalg
{
    /// <summary>A = U · diag(S) · Vh, singular values descending.</summary>
    public static (Tensor U, Tensor S, Tensor Vh) Svd(Tensor a, bool fullMatrices = false)
    {
        int status = NativeMethods.du_linalg_svd(a.Handle, fullMatrices ? 1 : 0, out TensorHandle u, out TensorHandle s, out TensorHandle vh);
        if (status != NativeStatus.Ok)
        {
            u.Dispose();
            s.Dispose();
            vh.Dispose();
            NativeStatus.ThrowIfFailed(status);
        }
        return (new Tensor(u), new Tensor(s), new Tensor(vh));
    }

    /// <summary>Eigenvalues (ascending) and eigenvectors (columns) of a symmetric matrix.</summary>
    public static (Tensor Eigenvalues, Tensor Eigenvectors) Eigh(Tensor a)
    {
        int status = NativeMethods.du_linalg_eigh(a.Handle, out TensorHandle values, out TensorHandle vectors);
        return Tensor.WrapPair(status, values, vectors);
    }

    /// <summary>A = Q · R (reduced, or complete).</summary>
    public static (Tensor Q, Tensor R) Qr(Tensor a, bool complete = false)
    {
        int status = NativeMethods.du_linalg_qr(a.Handle, complete ? 1 : 0, out TensorHandle q, out TensorHandle r);
        return Tensor.WrapPair(status, q, r);
    }

    /// <summary>The Cholesky factor L (A = L·Lᵀ), or U when <paramref name="upper"/>.</summary>
    public static Tensor Cholesky(Tensor a, bool upper = false) =>
        Tensor.Wrap(NativeMethods.du_linalg_cholesky(a.Handle, upper ? 1 : 0, out TensorHandle h), h);

    /// <summary>X with A · X = B.</summary>
    public static Tensor Solve(Tensor a, Tensor b) => Tensor.Wrap(NativeMethods.du_linalg_solve(a.Handle, b.Handle, out TensorHandle h), h);

    /// <summary>A⁻¹.</summary>
    public static Tensor Inverse(Tensor a) => Tensor.Wrap(NativeMethods.du_linalg_inv(a.Handle, out TensorHandle h), h);

    /// <summary>The Moore–Penrose pseudo-inverse.</summary>
    public static Tensor Pinv(Tensor a, bool hermitian = false) => Tensor.Wrap(NativeMethods.du_linalg_pinv(a.Handle, hermitian ? 1 : 0, out TensorHandle h), h);
}
