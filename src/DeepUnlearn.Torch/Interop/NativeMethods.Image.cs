using System.Runtime.InteropServices;

namespace DeepUnlearn.Torch.Interop;

// Mirrors src/DeepUnlearn.Native/src/image.cpp: JPEG/PNG decoding and encoding.
internal static partial class NativeMethods
{
    [LibraryImport(Lib)] internal static unsafe partial int du_image_decode(byte* data, long nbytes, int channels, out TensorHandle result);
    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)] internal static partial int du_image_read_file(string path, int channels, out TensorHandle result);
    [LibraryImport(Lib)] internal static partial int du_image_encode_png(TensorHandle image, out TensorHandle result);
    [LibraryImport(Lib)] internal static partial int du_image_encode_jpeg(TensorHandle image, int quality, out TensorHandle result);
}
