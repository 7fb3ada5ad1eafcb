using System;
using System.IO;
using DeepUnlearn.Torch.Vision;
using Xunit;

namespace DeepUnlearn.Torch.Tests.Vision;

public class ImageTests
{
    private static byte[] Pattern(int channels, int height, int width)
    {
        var data = new byte[channels * height * width];
        for (int i = 0; i < data.Length; i++)
        {
            data[i] = (byte)((i * 37) + (i / 7));
        }
        return data;
    }

    // A smooth image (JPEG's lossy compression keeps it within a few levels).
    private static byte[] Smooth(int channels, int height, int width)
    {
        var data = new byte[channels * height * width];
        for (int c = 0; c < channels; c++)
        {
            for (int y = 0; y < height; y++)
            {
                for (int x = 0; x < width; x++)
                {
                    data[(((c * height) + y) * width) + x] = (byte)(40 + (c * 50) + (3 * y) + (2 * x));
                }
            }
        }
        return data;
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void EncodePng_ThenDecode_RoundTripsExactly(int channels)
    {
        using var scope = TensorScope.Begin();
        byte[] pixels = Pattern(channels, 5, 7);
        Tensor image = Tensor.From<byte>(pixels, [channels, 5, 7]);
        byte[] png = Image.EncodePng(image);
        Assert.Equal(0x89, png[0]);
        Tensor decoded = Image.Decode(png);
        Assert.Equal([channels, 5L, 7L], decoded.ShapeArray());
        Assert.Equal(DType.UInt8, decoded.DType);
        Assert.Equal(pixels, decoded.ToArray<byte>());
    }

    [Fact]
    public void EncodeJpeg_ThenDecode_IsClose()
    {
        using var scope = TensorScope.Begin();
        byte[] pixels = Smooth(3, 16, 24);
        byte[] jpeg = Image.EncodeJpeg(Tensor.From<byte>(pixels, [3, 16, 24]), quality: 95);
        Assert.Equal([0xff, 0xd8, 0xff], jpeg[..3]);
        byte[] decoded = Image.Decode(jpeg).ToArray<byte>();
        Assert.Equal(pixels.Length, decoded.Length);
        for (int i = 0; i < pixels.Length; i++)
        {
            Assert.InRange(Math.Abs(pixels[i] - decoded[i]), 0, 6);
        }
    }

    [Fact]
    public void DecodeJpeg_GrayFile_KeepsOneChannel_AndExpandsToRgbOnRequest()
    {
        using var scope = TensorScope.Begin();
        byte[] pixels = Smooth(1, 8, 8);
        byte[] jpeg = Image.EncodeJpeg(Tensor.From<byte>(pixels, [1, 8, 8]));
        Assert.Equal([1L, 8, 8], Image.Decode(jpeg).ShapeArray());
        Tensor rgb = Image.Decode(jpeg, ImageChannels.Rgb);
        Assert.Equal([3L, 8, 8], rgb.ShapeArray());
        byte[] values = rgb.ToArray<byte>();
        Assert.Equal(values[..64], values[64..128]);
        Assert.Equal(values[..64], values[128..]);
    }

    [Fact]
    public void DecodePng_RgbToGray_UsesItuR601Luma()
    {
        using var scope = TensorScope.Begin();
        byte[] png = PngWriter.Write(2, 1, 8, 2, [[200, 0, 50, 10, 220, 30]]);
        byte[] gray = Image.Decode(png, ImageChannels.Gray).ToArray<byte>();
        // PIL's L = R * 299/1000 + G * 587/1000 + B * 114/1000, in its fixed-point form.
        static int Luma(int r, int g, int b) => ((r * 19595) + (g * 38470) + (b * 7471) + 0x8000) >> 16;
        Assert.Equal(Luma(200, 0, 50), gray[0]);
        Assert.Equal(Luma(10, 220, 30), gray[1]);
        Assert.InRange(gray[1], 135, 136); // 10 × 0.299 + 220 × 0.587 + 30 × 0.114 = 135.55
    }

    [Fact]
    public void DecodePng_PaletteWithTransparency_GivesPaletteColours()
    {
        using var scope = TensorScope.Begin();
        byte[] palette = [255, 0, 0, 0, 255, 0, 0, 0, 255, 10, 20, 30];
        byte[] png = PngWriter.Write(2, 2, 8, 3, [[0, 1], [2, 3]], palette, transparency: [0, 128]);
        Tensor image = Image.Decode(png);
        Assert.Equal([3L, 2, 2], image.ShapeArray());
        // CHW: R plane, G plane, B plane of pixels (0,0) (0,1) (1,0) (1,1).
        Assert.Equal([255, 0, 0, 10, 0, 255, 0, 20, 0, 0, 255, 30], image.ToArray<byte>());
    }

    [Fact]
    public void DecodePng_SixteenBit_KeepsHighByte()
    {
        using var scope = TensorScope.Begin();
        byte[] png = PngWriter.Write(1, 1, 16, 2, [[0x12, 0x34, 0xab, 0xcd, 0xff, 0x00]]);
        Assert.Equal([0x12, 0xab, 0xff], Image.Decode(png).ToArray<byte>());
    }

    [Fact]
    public void DecodePng_GrayAlphaAndRgba_DropAlpha()
    {
        using var scope = TensorScope.Begin();
        byte[] grayAlpha = PngWriter.Write(2, 1, 8, 4, [[17, 0, 99, 255]]);
        Tensor gray = Image.Decode(grayAlpha);
        Assert.Equal([1L, 1, 2], gray.ShapeArray());
        Assert.Equal([17, 99], gray.ToArray<byte>());
        byte[] rgba = PngWriter.Write(1, 1, 8, 6, [[1, 2, 3, 4]]);
        Assert.Equal([1, 2, 3], Image.Decode(rgba).ToArray<byte>());
    }

    [Fact]
    public void DecodePng_OneBitGray_ScalesToFullRange()
    {
        using var scope = TensorScope.Begin();
        byte[] png = PngWriter.Write(4, 1, 1, 0, [[0b1010_0000]]);
        Assert.Equal([255, 0, 255, 0], Image.Decode(png).ToArray<byte>());
    }

    [Fact]
    public void Decode_TruncatedPng_ThrowsIoExceptionSayingTruncated()
    {
        using var scope = TensorScope.Begin();
        byte[] png = Image.EncodePng(Tensor.From<byte>(Pattern(3, 20, 20), [3, 20, 20]));
        var e = Assert.Throws<TorchIOException>(() => Image.Decode(png.AsSpan(0, png.Length / 2)));
        Assert.Contains("truncated", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Decode_CorruptPngCrc_ThrowsIoException()
    {
        using var scope = TensorScope.Begin();
        byte[] png = PngWriter.Write(2, 1, 8, 0, [[1, 2]]);
        png[^20] ^= 0xff; // inside the IDAT chunk
        var e = Assert.Throws<TorchIOException>(() => Image.Decode(png));
        Assert.Contains("PNG", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Decode_TruncatedJpeg_ThrowsIoExceptionSayingTruncated()
    {
        using var scope = TensorScope.Begin();
        byte[] jpeg = Image.EncodeJpeg(Tensor.From<byte>(Pattern(3, 32, 32), [3, 32, 32]));
        var e = Assert.Throws<TorchIOException>(() => Image.Decode(jpeg.AsSpan(0, jpeg.Length * 2 / 3)));
        Assert.Contains("truncated", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Decode_NotAnImage_SaysWhatItSaw()
    {
        using var scope = TensorScope.Begin();
        var e = Assert.Throws<TorchIOException>(() => Image.Decode("GIF89a.."u8));
        Assert.Contains("not a JPEG or PNG", e.Message, StringComparison.Ordinal);
        Assert.Contains("47 49 46", e.Message, StringComparison.Ordinal);
        Assert.Throws<TorchIOException>(() => Image.Decode(ReadOnlySpan<byte>.Empty));
    }

    [Fact]
    public void ReadFile_MissingFile_NamesThePath()
    {
        string path = Path.Combine(Path.GetTempPath(), $"du-missing-{Guid.NewGuid():N}.png");
        var e = Assert.Throws<TorchIOException>(() => Image.ReadFile(path));
        Assert.StartsWith(path, e.Message, StringComparison.Ordinal);
        Assert.Contains("cannot open", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadFile_CorruptFile_MessageStartsWithPath()
    {
        string path = Path.Combine(Path.GetTempPath(), $"du-corrupt-{Guid.NewGuid():N}.png");
        try
        {
            File.WriteAllBytes(path, [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0d, 0x0a, 0x1a, 0x0a, 0, 0]);
            var e = Assert.Throws<TorchIOException>(() => Image.ReadFile(path));
            Assert.StartsWith(path, e.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Encode_WrongShapeOrDtype_ThrowsArgumentError()
    {
        using var scope = TensorScope.Begin();
        Assert.Throws<TorchException>(() => Image.EncodePng(Tensor.Zeros([2, 4, 4], DType.UInt8)));
        Assert.Throws<TorchException>(() => Image.EncodePng(Tensor.Zeros([3, 4, 4])));
        Assert.Throws<ArgumentOutOfRangeException>(() => Image.EncodeJpeg(Tensor.Zeros([3, 4, 4], DType.UInt8), 0));
    }
}
