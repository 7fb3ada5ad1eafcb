using System;
using System.Buffers.Binary;
using System.IO;
using DeepUnlearn.Data.Imaging;
using Xunit;

namespace DeepUnlearn.Tests.Codecs.Imaging;

// Decompression bombs, truncated and corrupt files, oversized and endless files: each must give a clear error that
// names the file (and the limit), before anything proportional to what the file claims is allocated.
public sealed class ImageCodecHostileInputTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("du-codecs-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string Write(string name, byte[] bytes)
    {
        string path = Path.Combine(_folder, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    // Issue 13 item 13: a PNG of a few dozen bytes whose IHDR declares 20000 × 20000 (1.2 GB as RGB).
    private static byte[] PngBomb(int width, int height) => PngWriter.Write(width, height, 8, 2, []);

    // A real JPEG whose SOF0 frame header is patched to declare width × height.
    private static byte[] JpegBomb(int width, int height)
    {
        byte[] jpeg = ImageCodec.EncodeJpeg(ImageCodecTests.Pattern(3, 8, 8), 3, 8, 8);
        int sof = jpeg.AsSpan().IndexOf([(byte)0xff, (byte)0xc0]);
        Assert.True(sof > 0, "no SOF0 marker");
        BinaryPrimitives.WriteUInt16BigEndian(jpeg.AsSpan(sof + 5), (ushort)height);
        BinaryPrimitives.WriteUInt16BigEndian(jpeg.AsSpan(sof + 7), (ushort)width);
        return jpeg;
    }

    [Theory]
    [InlineData(20000, 20000)]
    [InlineData(60000, 60000)]
    public void ReadFile_PngHeaderDeclaringHugeImage_ThrowsNamingFileAndLimitWithoutAllocating(int width, int height)
    {
        byte[] bomb = PngBomb(width, height);
        Assert.True(bomb.Length < 100, $"the bomb is {bomb.Length} bytes");
        string path = Write("bomb.png", bomb);

        long before = GC.GetAllocatedBytesForCurrentThread();
        var e = Assert.Throws<InvalidDataException>(() => ImageCodec.ReadFile(path, ImageChannels.Rgb));
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.StartsWith(path, e.Message, StringComparison.Ordinal);
        Assert.Contains($"{width}x{height}", e.Message, StringComparison.Ordinal);
        Assert.Contains("67,108,864 pixels", e.Message, StringComparison.Ordinal);
        Assert.Contains("ImageLimits.MaxPixels", e.Message, StringComparison.Ordinal);
        Assert.True(allocated < 1_000_000, $"refusing the bomb allocated {allocated} managed bytes");
    }

    [Fact]
    public void ReadFile_JpegHeaderDeclaringHugeImage_ThrowsNamingFileAndLimit()
    {
        string path = Write("bomb.jpg", JpegBomb(60000, 60000));
        var e = Assert.Throws<InvalidDataException>(() => ImageCodec.ReadFile(path));
        Assert.StartsWith(path, e.Message, StringComparison.Ordinal);
        Assert.Contains("JPEG header declares 60000x60000 = 3,600,000,000 pixels", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Decode_PixelCapIsInclusive_AndConfigurable()
    {
        byte[] png = ImageCodec.EncodePng(ImageCodecTests.Pattern(1, 100, 100), 1, 100, 100);
        Assert.Equal(10_000, ImageCodec.Decode(png, limits: new ImageLimits { MaxPixels = 10_000 }).Pixels.Length);
        var e = Assert.Throws<InvalidDataException>(() => ImageCodec.Decode(png, limits: new ImageLimits { MaxPixels = 9_999 }, sourceName: "x.png"));
        Assert.Contains("9,999 pixels", e.Message, StringComparison.Ordinal);
        Assert.Throws<InvalidDataException>(() => ImageCodec.DecodeInto(png, new byte[10_000], limits: new ImageLimits { MaxPixels = 9_999 }));
    }

    [Fact]
    public unsafe void NativeDecode_AppliesThePixelCapItself()
    {
        // The C library checks the cap too (callers other than ImageCodec get the same protection).
        byte[] bomb = PngBomb(20000, 20000);
        byte[] output = new byte[16];
        Span<byte> message = stackalloc byte[CodecsNative.MessageCapacity];
        int status;
        fixed (byte* data = bomb)
        fixed (byte* outp = output)
        fixed (byte* text = message)
        {
            status = CodecsNative.Decode(data, bomb.Length, 3, 0, ImageLimits.DefaultMaxPixels, outp, output.Length, null, text, message.Length);
        }
        Assert.Equal(CodecsNative.ErrTooLarge, status);
        Assert.Equal("the PNG header declares 20000x20000 = 400000000 pixels, more than the limit of 67108864 pixels", CodecsNative.Text(message));
    }

    [Fact]
    public void ReadFile_LongerThanFileLimit_ThrowsBeforeReading()
    {
        string path = Write("big.png", ImageCodec.EncodePng(ImageCodecTests.Pattern(3, 30, 30), 3, 30, 30));
        long length = new FileInfo(path).Length;
        var e = Assert.Throws<InvalidDataException>(() => ImageCodec.ReadFile(path, limits: new ImageLimits { MaxFileBytes = length - 1 }));
        Assert.StartsWith(path, e.Message, StringComparison.Ordinal);
        Assert.Contains("ImageLimits.MaxFileBytes", e.Message, StringComparison.Ordinal);
        Assert.Contains($"{length:N0} bytes", e.Message, StringComparison.Ordinal);
        Assert.Equal(3 * 30 * 30, ImageCodec.ReadFile(path, limits: new ImageLimits { MaxFileBytes = length }).Pixels.Length);
    }

    [Fact]
    public void ReadFile_EndlessDevice_StopsAtFileLimit()
    {
        var e = Assert.Throws<InvalidDataException>(() => ImageCodec.ReadFile("/dev/zero", limits: new ImageLimits { MaxFileBytes = 1 << 20 }));
        Assert.StartsWith("/dev/zero", e.Message, StringComparison.Ordinal);
        Assert.Contains("1,048,576 bytes", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadFile_TruncatedPng_SaysTruncatedAndNamesFile()
    {
        byte[] png = ImageCodec.EncodePng(ImageCodecTests.Pattern(3, 20, 20), 3, 20, 20);
        string path = Write("half.png", png[..(png.Length / 2)]);
        var e = Assert.Throws<InvalidDataException>(() => ImageCodec.ReadFile(path));
        Assert.StartsWith(path, e.Message, StringComparison.Ordinal);
        Assert.Contains("truncated PNG data", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadFile_TruncatedJpeg_SaysTruncatedAndNamesFile()
    {
        byte[] jpeg = ImageCodec.EncodeJpeg(ImageCodecTests.Pattern(3, 32, 32), 3, 32, 32);
        string path = Write("cut.jpg", jpeg[..(jpeg.Length * 2 / 3)]);
        var e = Assert.Throws<InvalidDataException>(() => ImageCodec.ReadFile(path));
        Assert.StartsWith(path, e.Message, StringComparison.Ordinal);
        Assert.Contains("truncated JPEG data", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadFile_JpegCutInsideHeader_SaysUndecodableHeader()
    {
        byte[] jpeg = ImageCodec.EncodeJpeg(ImageCodecTests.Pattern(3, 8, 8), 3, 8, 8);
        string path = Write("stub.jpg", jpeg[..40]);
        var e = Assert.Throws<InvalidDataException>(() => ImageCodec.ReadFile(path));
        Assert.StartsWith(path, e.Message, StringComparison.Ordinal);
        Assert.Contains("undecodable JPEG header", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadFile_CorruptPngCrc_SaysCorruptAndNamesFile()
    {
        byte[] png = PngWriter.Write(2, 1, 8, 0, [[1, 2]]);
        png[^20] ^= 0xff; // inside the IDAT chunk
        string path = Write("crc.png", png);
        var e = Assert.Throws<InvalidDataException>(() => ImageCodec.ReadFile(path));
        Assert.StartsWith(path, e.Message, StringComparison.Ordinal);
        Assert.Contains("corrupt PNG", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadFile_CorruptPngHeader_SaysCorruptHeader()
    {
        byte[] png = PngWriter.Write(2, 1, 8, 0, [[1, 2]]);
        png[16] ^= 0x01; // IHDR's width: its CRC no longer matches
        string path = Write("ihdr.png", png);
        var e = Assert.Throws<InvalidDataException>(() => ImageCodec.ReadFile(path));
        Assert.StartsWith(path, e.Message, StringComparison.Ordinal);
        Assert.Contains("corrupt PNG header", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadFile_NotAnImage_SaysWhatItSaw()
    {
        string path = Write("fake.png", "GIF89a.."u8.ToArray());
        var e = Assert.Throws<InvalidDataException>(() => ImageCodec.ReadFile(path));
        Assert.StartsWith(path, e.Message, StringComparison.Ordinal);
        Assert.Contains("not a JPEG or PNG image (8 bytes starting 47 49 46 38 39 61 2e 2e)", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadFile_EmptyFile_SaysEmpty()
    {
        string path = Write("empty.jpg", []);
        var e = Assert.Throws<InvalidDataException>(() => ImageCodec.ReadFile(path));
        Assert.Equal($"{path}: empty image data (0 bytes)", e.Message);
    }

    [Fact]
    public void ReadFile_MissingFile_NamesThePath()
    {
        string path = Path.Combine(_folder, "missing.png");
        var e = Assert.Throws<FileNotFoundException>(() => ImageCodec.ReadFile(path));
        Assert.Contains(path, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ImageLimits_NonPositive_Throw()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new ImageLimits { MaxPixels = 0 });
        Assert.Throws<ArgumentOutOfRangeException>(() => new ImageLimits { MaxFileBytes = 0 });
        Assert.Throws<ArgumentOutOfRangeException>(() => new ImageLimits { MaxFileBytes = long.MaxValue });
    }
}
