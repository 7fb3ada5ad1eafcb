using System;
using System.Runtime.InteropServices;

namespace DeepUnlearn.Torch.Interop;

// Mirrors src/DeepUnlearn.Native/src/tensor.cpp: lifecycle, metadata, host copies.
internal static partial class NativeMethods
{
    [LibraryImport(Lib)] internal static partial void du_tensor_free(IntPtr t);
    [LibraryImport(Lib)] internal static partial void du_tensor_list_free(IntPtr items);
    [LibraryImport(Lib)] internal static partial int du_tensor_ndim(TensorHandle t, out int ndim);
    [LibraryImport(Lib)] internal static partial int du_tensor_sizes(TensorHandle t, Span<long> sizes, int cap);
    [LibraryImport(Lib)] internal static partial int du_tensor_strides(TensorHandle t, Span<long> strides, int cap);
    [LibraryImport(Lib)] internal static partial int du_tensor_numel(TensorHandle t, out long numel);
    [LibraryImport(Lib)] internal static partial int du_tensor_dtype(TensorHandle t, out int dtype);
    [LibraryImport(Lib)] internal static partial int du_tensor_device(TensorHandle t, out int type, out int index);
    [LibraryImport(Lib)] internal static partial int du_tensor_is_contiguous(TensorHandle t, out int flag);
    [LibraryImport(Lib)] internal static partial int du_tensor_requires_grad(TensorHandle t, out int flag);
    [LibraryImport(Lib)] internal static partial int du_tensor_set_requires_grad(TensorHandle t, int flag);
    [LibraryImport(Lib)] internal static partial int du_tensor_grad(TensorHandle t, out TensorHandle grad);
    [LibraryImport(Lib)] internal static partial int du_tensor_set_grad(TensorHandle t, IntPtr grad);
    [LibraryImport(Lib)] internal static partial int du_tensor_set_data(TensorHandle t, TensorHandle source);
    [LibraryImport(Lib)] internal static partial int du_tensor_to_string(TensorHandle t, out IntPtr text);
    [LibraryImport(Lib)] internal static partial int du_tensor_item_double(TensorHandle t, out double value);
    [LibraryImport(Lib)] internal static partial int du_tensor_item_int64(TensorHandle t, out long value);
    [LibraryImport(Lib)] internal static unsafe partial int du_tensor_from_data(void* data, long nbytes, ReadOnlySpan<long> shape, int ndim, int dtype, int deviceType, int deviceIndex, out TensorHandle result);
    [LibraryImport(Lib)] internal static unsafe partial int du_tensor_copy_to_buffer(TensorHandle t, void* buffer, long nbytes);
}
