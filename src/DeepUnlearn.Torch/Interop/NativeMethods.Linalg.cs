using System.Runtime.InteropServices;

namespace DeepUnlearn.Torch.Interop;

// Mirrors src/DeepUnlearn.Native/src/linalg.cpp.
internal static partial class NativeMethods
{
    [LibraryImport(Lib)] internal static partial int du_linalg_svd(TensorHandle a, int fullMatrices, out TensorHandle u, out TensorHandle s, out TensorHandle vh);
    [LibraryImport(Lib)] internal static partial int du_linalg_eigh(TensorHandle a, out TensorHandle eigenvalues, out TensorHandle eigenvectors);
    [LibraryImport(Lib)] internal static partial int du_linalg_qr(TensorHandle a, int mode, out TensorHandle q, out TensorHandle r);
    [LibraryImport(Lib)] internal static partial int du_linalg_cholesky(TensorHandle a, int upper, out TensorHandle result);
    [LibraryImport(Lib)] internal static partial int du_linalg_solve(TensorHandle a, TensorHandle b, out TensorHandle result);
    [LibraryImport(Lib)] internal static partial int du_linalg_inv(TensorHandle a, out TensorHandle result);
    [LibraryImport(Lib)] internal static partial int du_linalg_pinv(TensorHandle a, int hermitian, out TensorHandle result);
}
