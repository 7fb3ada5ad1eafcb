using System;
using System.Runtime.InteropServices;

namespace DeepUnlearn.Torch.Interop;

// Mirrors src/DeepUnlearn.Native/src/nn.cpp. Optional tensors are passed as IntPtr.Zero.
internal static partial class NativeMethods
{
    [LibraryImport(Lib)] internal static partial int du_nn_linear(TensorHandle input, TensorHandle weight, IntPtr bias, out TensorHandle result);
    [LibraryImport(Lib)] internal static partial int du_nn_conv2d(TensorHandle input, TensorHandle weight, IntPtr bias, ReadOnlySpan<long> stride, ReadOnlySpan<long> padding, ReadOnlySpan<long> dilation, long groups, out TensorHandle result);
    [LibraryImport(Lib)] internal static partial int du_nn_max_pool2d(TensorHandle input, ReadOnlySpan<long> kernel, ReadOnlySpan<long> stride, ReadOnlySpan<long> padding, ReadOnlySpan<long> dilation, int ceilMode, out TensorHandle result);
    [LibraryImport(Lib)] internal static partial int du_nn_avg_pool2d(TensorHandle input, ReadOnlySpan<long> kernel, ReadOnlySpan<long> stride, ReadOnlySpan<long> padding, int ceilMode, int countIncludePad, out TensorHandle result);
    [LibraryImport(Lib)] internal static partial int du_nn_adaptive_avg_pool2d(TensorHandle input, ReadOnlySpan<long> outputSize, out TensorHandle result);
    [LibraryImport(Lib)] internal static partial int du_nn_batch_norm(TensorHandle input, IntPtr weight, IntPtr bias, IntPtr runningMean, IntPtr runningVar, int training, double momentum, double eps, out TensorHandle result);
    [LibraryImport(Lib)] internal static partial int du_nn_dropout(TensorHandle input, double p, int training, out TensorHandle result);
    [LibraryImport(Lib)] internal static partial int du_nn_softmax(TensorHandle input, long dim, out TensorHandle result);
    [LibraryImport(Lib)] internal static partial int du_nn_log_softmax(TensorHandle input, long dim, out TensorHandle result);
    [LibraryImport(Lib)] internal static partial int du_nn_cross_entropy(TensorHandle input, TensorHandle target, IntPtr weight, int reduction, long ignoreIndex, double labelSmoothing, out TensorHandle result);
    [LibraryImport(Lib)] internal static partial int du_nn_nll_loss(TensorHandle input, TensorHandle target, IntPtr weight, int reduction, long ignoreIndex, out TensorHandle result);
    [LibraryImport(Lib)] internal static partial int du_nn_kl_div(TensorHandle input, TensorHandle target, int reduction, int logTarget, out TensorHandle result);
    [LibraryImport(Lib)] internal static partial int du_nn_mse_loss(TensorHandle input, TensorHandle target, int reduction, out TensorHandle result);
    [LibraryImport(Lib)] internal static partial int du_nn_binary_cross_entropy_with_logits(TensorHandle input, TensorHandle target, int reduction, out TensorHandle result);
    [LibraryImport(Lib)] internal static partial int du_nn_unfold(TensorHandle input, ReadOnlySpan<long> kernel, ReadOnlySpan<long> dilation, ReadOnlySpan<long> padding, ReadOnlySpan<long> stride, out TensorHandle result);
    [LibraryImport(Lib)] internal static partial int du_nn_one_hot(TensorHandle indices, long numClasses, out TensorHandle result);
    [LibraryImport(Lib)] internal static partial int du_nn_interpolate_bilinear(TensorHandle input, ReadOnlySpan<long> size, out TensorHandle result);
}
