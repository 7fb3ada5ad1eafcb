using System;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using DeepUnlearn.Data;
using DeepUnlearn.Data.Imaging;
using Xunit;

namespace DeepUnlearn.Tests.Codecs.Imaging;

// Round trips, layouts, and conversions with exact oracles (closed-form luma, hand-written PNGs whose pixels are known).
public class ImageCodecTests
{
    internal static byte[] Pattern(int channels, int height, int width)
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

    private static byte[] ChwToHwc(byte[] chw, int channels, int height, int width)
    {
        var hwc = new byte[chw.Length];
        for (int c = 0; c < channels; c++)
        {
            for (int i = 0; i < height * width; i++)
            {
                hwc[(i * channels) + c] = chw[(c * height * width) + i];
            }
        }
        return hwc;
    }

    [Theory]
    [InlineData(1, ImageLayout.Chw)]
    [InlineData(3, ImageLayout.Chw)]
    [InlineData(1, ImageLayout.Hwc)]
    [InlineData(3, ImageLayout.Hwc)]
    public void EncodePng_ThenDecode_RoundTripsExactly(int channels, ImageLayout layout)
    {
        byte[] pixels = Pattern(channels, 5, 7);
        byte[] png = ImageCodec.EncodePng(pixels, channels, 5, 7, layout);
        Assert.Equal(0x89, png[0]);
        DecodedImage decoded = ImageCodec.Decode(png, layout: layout);
        Assert.Equal(channels, decoded.Channels);
        Assert.Equal((5, 7), (decoded.Height, decoded.Width));
        Assert.Equal(ImageFormat.Png, decoded.Format);
        Assert.Equal(pixels, decoded.Pixels);
    }

    [Fact]
    public void Decode_HwcLayout_IsTheTransposeOfChw()
    {
        byte[] chw = Pattern(3, 6, 9);
        byte[] png = ImageCodec.EncodePng(chw, 3, 6, 9);
        DecodedImage hwc = ImageCodec.Decode(png, ImageChannels.Rgb, ImageLayout.Hwc);
        Assert.Equal([6L, 9, 3], hwc.Shape);
        Assert.Equal(ChwToHwc(chw, 3, 6, 9), hwc.Pixels);
        byte[] jpeg = ImageCodec.EncodeJpeg(chw, 3, 6, 9);
        Assert.Equal(ChwToHwc(ImageCodec.Decode(jpeg).Pixels, 3, 6, 9), ImageCodec.Decode(jpeg, layout: ImageLayout.Hwc).Pixels);
    }

    [Fact]
    public void EncodeJpeg_ThenDecode_IsClose()
    {
        byte[] pixels = Smooth(3, 16, 24);
        byte[] jpeg = ImageCodec.EncodeJpeg(pixels, 3, 16, 24, quality: 95);
        Assert.Equal([0xff, 0xd8, 0xff], jpeg[..3]);
        byte[] decoded = ImageCodec.Decode(jpeg).Pixels;
        Assert.Equal(pixels.Length, decoded.Length);
        for (int i = 0; i < pixels.Length; i++)
        {
            Assert.InRange(Math.Abs(pixels[i] - decoded[i]), 0, 6);
        }
    }

    [Fact]
    public void DecodeJpeg_GrayFile_KeepsOneChannel_AndExpandsToRgbOnRequest()
    {
        byte[] jpeg = ImageCodec.EncodeJpeg(Smooth(1, 8, 8), 1, 8, 8);
        Assert.Equal(new ImageInfo(ImageFormat.Jpeg, 8, 8, 1), ImageCodec.ReadInfo(jpeg));
        Assert.Equal([1L, 8, 8], ImageCodec.Decode(jpeg).Shape);
        byte[] values = ImageCodec.Decode(jpeg, ImageChannels.Rgb).Pixels;
        Assert.Equal(192, values.Length);
        Assert.Equal(values[..64], values[64..128]);
        Assert.Equal(values[..64], values[128..]);
    }

    [Fact]
    public void DecodePng_RgbToGray_UsesItuR601Luma()
    {
        byte[] png = PngWriter.Write(2, 1, 8, 2, [[200, 0, 50, 10, 220, 30]]);
        byte[] gray = ImageCodec.Decode(png, ImageChannels.Gray).Pixels;
        // Pillow's L = R * 299/1000 + G * 587/1000 + B * 114/1000, in its fixed-point form.
        static int Luma(int r, int g, int b) => ((r * 19595) + (g * 38470) + (b * 7471) + 0x8000) >> 16;
        Assert.Equal(Luma(200, 0, 50), gray[0]);
        Assert.Equal(Luma(10, 220, 30), gray[1]);
        Assert.InRange(gray[1], 135, 136); // 10 × 0.299 + 220 × 0.587 + 30 × 0.114 = 135.55
    }

    [Fact]
    public void DecodePng_PaletteWithTransparency_GivesPaletteColours()
    {
        byte[] palette = [255, 0, 0, 0, 255, 0, 0, 0, 255, 10, 20, 30];
        byte[] png = PngWriter.Write(2, 2, 8, 3, [[0, 1], [2, 3]], palette, transparency: [0, 128]);
        DecodedImage image = ImageCodec.Decode(png);
        Assert.Equal([3L, 2, 2], image.Shape);
        // CHW: R plane, G plane, B plane of pixels (0,0) (0,1) (1,0) (1,1).
        Assert.Equal([255, 0, 0, 10, 0, 255, 0, 20, 0, 0, 255, 30], image.Pixels);
    }

    [Fact]
    public void DecodePng_SixteenBit_KeepsHighByte()
    {
        byte[] png = PngWriter.Write(1, 1, 16, 2, [[0x12, 0x34, 0xab, 0xcd, 0xff, 0x00]]);
        Assert.Equal([0x12, 0xab, 0xff], ImageCodec.Decode(png).Pixels);
    }

    [Fact]
    public void DecodePng_GrayAlphaAndRgba_DropAlpha()
    {
        byte[] grayAlpha = PngWriter.Write(2, 1, 8, 4, [[17, 0, 99, 255]]);
        DecodedImage gray = ImageCodec.Decode(grayAlpha);
        Assert.Equal([1L, 1, 2], gray.Shape);
        Assert.Equal([17, 99], gray.Pixels);
        byte[] rgba = PngWriter.Write(1, 1, 8, 6, [[1, 2, 3, 4]]);
        Assert.Equal([1, 2, 3], ImageCodec.Decode(rgba).Pixels);
    }

    [Fact]
    public void DecodePng_OneBitGray_ScalesToFullRange()
    {
        byte[] png = PngWriter.Write(4, 1, 1, 0, [[0b1010_0000]]);
        Assert.Equal([255, 0, 255, 0], ImageCodec.Decode(png).Pixels);
    }

    [Fact]
    public void ReadInfo_ReportsHeaderWithoutDecoding()
    {
        byte[] png = PngWriter.Write(3, 2, 8, 0, [[1, 2, 3], [4, 5, 6]]);
        Assert.Equal(new ImageInfo(ImageFormat.Png, 3, 2, 1), ImageCodec.ReadInfo(png));
        byte[] jpeg = ImageCodec.EncodeJpeg(Pattern(3, 4, 5), 3, 4, 5);
        ImageInfo info = ImageCodec.ReadInfo(jpeg);
        Assert.Equal(new ImageInfo(ImageFormat.Jpeg, 5, 4, 3), info);
        Assert.Equal(60, info.ByteCount);
    }

    [Fact]
    public void DecodeInto_CallersBuffer_WritesImageAndLeavesTheRest()
    {
        byte[] pixels = Pattern(3, 4, 5);
        byte[] png = ImageCodec.EncodePng(pixels, 3, 4, 5);
        var destination = new byte[70];
        destination.AsSpan().Fill(0xee);
        ImageInfo info = ImageCodec.DecodeInto(png, destination);
        Assert.Equal(new ImageInfo(ImageFormat.Png, 5, 4, 3), info);
        Assert.Equal(pixels, destination[..60]);
        Assert.All(destination[60..], b => Assert.Equal(0xee, b));
    }

    [Fact]
    public void DecodeInto_BufferTooSmall_SaysHowMuchIsNeeded()
    {
        byte[] png = ImageCodec.EncodePng(Pattern(3, 4, 5), 3, 4, 5);
        var e = Assert.Throws<ArgumentException>(() => ImageCodec.DecodeInto(png, new byte[59], sourceName: "sample.png"));
        Assert.Contains("sample.png", e.Message, StringComparison.Ordinal);
        Assert.Contains("needs 60", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadFile_IntoImageBuffer_ResizesAndDecodesChw()
    {
        string path = Path.Combine(Path.GetTempPath(), $"du-codecs-{Guid.NewGuid():N}.png");
        try
        {
            byte[] gray = Pattern(1, 3, 4);
            File.WriteAllBytes(path, ImageCodec.EncodePng(gray, 1, 3, 4));
            var buffer = new ImageBuffer();
            ImageInfo info = ImageCodec.ReadFile(path, buffer);
            Assert.Equal(3, info.Channels);
            Assert.Equal((3, 3, 4), (buffer.Channels, buffer.Height, buffer.Width));
            Assert.Equal([.. gray, .. gray, .. gray], buffer.Pixels.ToArray());
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void ReadFile_ThroughSymbolicLink_ReadsTheTarget()
    {
        string target = Path.Combine(Path.GetTempPath(), $"du-codecs-{Guid.NewGuid():N}.png");
        string link = target + ".link.png";
        try
        {
            byte[] pixels = Pattern(3, 9, 11);
            File.WriteAllBytes(target, ImageCodec.EncodePng(pixels, 3, 9, 11));
            File.CreateSymbolicLink(link, target);
            Assert.Equal(pixels, ImageCodec.ReadFile(link).Pixels);
        }
        finally
        {
            File.Delete(link);
            File.Delete(target);
        }
    }

    [Fact]
    public void Encode_WrongSizesOrQuality_ThrowsArgumentErrors()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => ImageCodec.EncodePng(new byte[32], 2, 4, 4));
        var e = Assert.Throws<ArgumentException>(() => ImageCodec.EncodePng(new byte[47], 3, 4, 4));
        Assert.Contains("48 bytes", e.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => ImageCodec.EncodePng(new byte[3], 3, 1, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => ImageCodec.EncodeJpeg(new byte[48], 3, 4, 4, quality: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => ImageCodec.EncodeJpeg(new byte[48], 3, 4, 4, quality: 101));
    }

    [Fact]
    public void ReadFile_FromFourThreadsAtOnce_GivesTheSequentialBytes()
    {
        // Loader workers decode concurrently: du_codecs keeps no shared state (a TurboJPEG handle and a libpng reader per call).
        string[] files = Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "Codecs", "Golden", "images")).Order(StringComparer.Ordinal).ToArray();
        byte[][] expected = files.Select(f => ImageCodec.ReadFile(f, ImageChannels.Rgb).Pixels).ToArray();
        var mismatches = new int[files.Length];
        Parallel.For(0, 32 * files.Length, new ParallelOptions { MaxDegreeOfParallelism = 4 }, i =>
        {
            int f = i % files.Length;
            if (!ImageCodec.ReadFile(files[f], ImageChannels.Rgb).Pixels.AsSpan().SequenceEqual(expected[f]))
            {
                Interlocked.Increment(ref mismatches[f]);
            }
        });
        Assert.All(mismatches, m => Assert.Equal(0, m));
    }

    [Fact]
    public void NativeVersions_NamesLibjpegTurboAndLibpng()
    {
        Assert.Matches(@"^libjpeg-turbo \d+\.\d+\.\d+ \(TurboJPEG\), libpng 1\.6\.\d+$", ImageCodec.NativeVersions);
    }
}
