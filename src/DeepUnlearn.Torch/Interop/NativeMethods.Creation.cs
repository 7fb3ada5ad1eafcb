using System;
using System.Runtime.InteropServices;

namespace DeepUnlearn.Torch.Interop;

// Mirrors src/DeepUnlearn.Native/src/creation.cpp: creation, sampling, generators.
internal static partial class NativeMethods
{
    [LibraryImport(Lib)] internal static partial int du_tensor_empty(ReadOnlySpan<long> shape, int ndim, int dtype, int deviceType, int deviceIndex, int requiresGrad, out TensorHandle result);
    [LibraryImport(Lib)] internal static partial int du_tensor_zeros(ReadOnlySpan<long> shape, int ndim, int dtype, int deviceType, int deviceIndex, int requiresGrad, out TensorHandle result);
    [LibraryImport(Lib)] internal static partial int du_tensor_ones(ReadOnlySpan<long> shape, int ndim, int dtype, int deviceType, int deviceIndex, int requiresGrad, out TensorHandle result);
    [LibraryImport(Lib)] internal static partial int du_tensor_full(ReadOnlySpan<long> shape, int ndim, double value, int dtype, int deviceType, int deviceIndex, int requiresGrad, out TensorHandle result);
    [LibraryImport(Lib)] internal static partial int du_tensor_arange(double start, double end, double step, int dtype, int deviceType, int deviceIndex, out TensorHandle result);
    [LibraryImport(Lib)] internal static partial int du_tensor_linspace(double start, double end, long steps, int dtype, int deviceType, int deviceIndex, out TensorHandle result);
    [LibraryImport(Lib)] internal static partial int du_tensor_eye(long n, long m, int dtype, int deviceType, int deviceIndex, out TensorHandle result);
    [LibraryImport(Lib)] internal static partial int du_tensor_rand(ReadOnlySpan<long> shape, int ndim, IntPtr gen, int dtype, int deviceType, int deviceIndex, out TensorHandle result);
    [LibraryImport(Lib)] internal static partial int du_tensor_randn(ReadOnlySpan<long> shape, int ndim, IntPtr gen, int dtype, int deviceType, int deviceIndex, out TensorHandle result);
    [LibraryImport(Lib)] internal static partial int du_tensor_randint(long low, long high, ReadOnlySpan<long> shape, int ndim, IntPtr gen, int dtype, int deviceType, int deviceIndex, out TensorHandle result);
    [LibraryImport(Lib)] internal static partial int du_tensor_randperm(long n, IntPtr gen, int deviceType, int deviceIndex, out TensorHandle result);
    [LibraryImport(Lib)] internal static partial int du_tensor_uniform_(TensorHandle t, double low, double high, IntPtr gen);
    [LibraryImport(Lib)] internal static partial int du_tensor_normal_(TensorHandle t, double mean, double std, IntPtr gen);
    [LibraryImport(Lib)] internal static partial int du_tensor_bernoulli(TensorHandle t, double p, IntPtr gen, out TensorHandle result);

    [LibraryImport(Lib)] internal static partial int du_generator_new(ulong seed, out GeneratorHandle result);
    [LibraryImport(Lib)] internal static partial void du_generator_free(IntPtr gen);
    [LibraryImport(Lib)] internal static partial int du_generator_set_seed(GeneratorHandle gen, ulong seed);
    [LibraryImport(Lib)] internal static partial int du_generator_get_state(IntPtr gen, out TensorHandle state);
    [LibraryImport(Lib)] internal static partial int du_generator_set_state(IntPtr gen, TensorHandle state);
}
