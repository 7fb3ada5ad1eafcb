using System;
using DeepUnlearn.Torch.Interop;

namespace DeepUnlearn.Torch.Vision;

/// <summary>
/// JPEG and PNG decoding and encoding in the native shim (libjpeg-turbo, libpng). Images are uint8 CPU
/// tensors [C, H, W] with C = 1 or 3. Decoding follows PIL as torchvision's ImageFolder uses it: alpha is
/// dropped, palettes expanded, 16-bit samples cut to 8 bits. All methods are thread-safe.
/// </summary>
public static class Image
{
    /// <summary>Decodes a JPEG or PNG held in memory into a uint8 tensor [C, H, W].</summary>
    /// <exception cref="TorchIOException">The bytes are not a JPEG or PNG, or are truncated or corrupt.</exception>
    public static unsafe Tensor Decode(ReadOnlySpan<byte> data, ImageChannels channels = ImageChannels.Keep)
    {
        fixed (byte* pointer = data)
        {
            return Tensor.Wrap(NativeMethods.du_image_decode(pointer, data.Length, (int)channels, out TensorHandle h), h);
        }
    }

    /// <summary>Reads and decodes the JPEG or PNG file at <paramref name="path"/> into a uint8 tensor [C, H, W].</summary>
    /// <exception cref="TorchIOException">The file cannot be read or does not decode; the message starts with the path.</exception>
    public static Tensor ReadFile(string path, ImageChannels channels = ImageChannels.Keep)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return Tensor.Wrap(NativeMethods.du_image_read_file(path, (int)channels, out TensorHandle h), h);
    }

    /// <summary>Encodes a uint8 image [C, H, W] (C = 1 or 3) as the bytes of a PNG file (lossless).</summary>
    public static byte[] EncodePng(Tensor image)
    {
        ArgumentNullException.ThrowIfNull(image);
        using Tensor bytes = Tensor.Wrap(NativeMethods.du_image_encode_png(image.Handle, out TensorHandle h), h);
        return TensorScope.Detach(bytes).ToArray<byte>();
    }

    /// <summary>Encodes a uint8 image [C, H, W] (C = 1 or 3) as the bytes of a baseline 4:4:4 JPEG file.</summary>
    /// <param name="image">The image.</param>
    /// <param name="quality">JPEG quality, 1..100.</param>
    public static byte[] EncodeJpeg(Tensor image, int quality = 95)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentOutOfRangeException.ThrowIfLessThan(quality, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(quality, 100);
        using Tensor bytes = Tensor.Wrap(NativeMethods.du_image_encode_jpeg(image.Handle, quality, out TensorHandle h), h);
        return TensorScope.Detach(bytes).ToArray<byte>();
    }
}
