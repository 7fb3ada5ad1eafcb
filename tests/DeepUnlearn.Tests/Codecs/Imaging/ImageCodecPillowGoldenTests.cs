using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using DeepUnlearn.Data.Imaging;
using Xunit;

namespace DeepUnlearn.Tests.Codecs.Imaging;

// Pillow parity. The two hex JPEGs and their pixels come from the old binding's tests (golden_jpeg.py there): JPEGs
// written by Pillow and Pillow's own decoding to RGB. The files under Golden/images and Golden/images.json come from
// Golden/make_image_golden.py (Pillow 9.4): each file's Pillow convert("RGB") and convert("L"), which is what
// torchvision's ImageFolder sees. The decoder must give the same bytes, not merely close ones.
public class ImageCodecPillowGoldenTests
{
    private const string RgbJpeg =
            "ffd8ffe000104a46494600010100000100010000ffdb0043000302020302020303030304030304050805050404050a0"
            + "70706080c0a0c0c0b0a0b0b0d0e12100d0e110e0b0b1016101113141515150c0f171816141812141514ffdb004301030"
            + "40405040509050509140d0b0d14141414141414141414141414141414141414141414141414141414141414141414141"
            + "41414141414141414141414141414ffc00011080006000803012200021101031101ffc4001f000001050101010101010"
            + "0000000000000000102030405060708090a0bffc400b5100002010303020403050504040000017d01020300041105122"
            + "131410613516107227114328191a1082342b1c11552d1f02433627282090a161718191a25262728292a3435363738393"
            + "a434445464748494a535455565758595a636465666768696a737475767778797a838485868788898a929394959697989"
            + "99aa2a3a4a5a6a7a8a9aab2b3b4b5b6b7b8b9bac2c3c4c5c6c7c8c9cad2d3d4d5d6d7d8d9dae1e2e3e4e5e6e7e8e9eaf"
            + "1f2f3f4f5f6f7f8f9faffc4001f0100030101010101010101010000000000000102030405060708090a0bffc400b5110"
            + "0020102040403040705040400010277000102031104052131061241510761711322328108144291a1b1c109233352f01"
            + "56272d10a162434e125f11718191a262728292a35363738393a434445464748494a535455565758595a6364656667686"
            + "96a737475767778797a82838485868788898a92939495969798999aa2a3a4a5a6a7a8a9aab2b3b4b5b6b7b8b9bac2c3c"
            + "4c5c6c7c8c9cad2d3d4d5d6d7d8d9dae2e3e4e5e6e7e8e9eaf2f3f4f5f6f7f8f9faffda000c03010002110311003f00d"
            + "8f83dfb27e8bfb8e61edfc27fc28a28afc6b8b78ab3bfed49ff00b548efe09ce730fec7a7fbe67fffd9";

    private static readonly byte[] s_rgbPixels =
        [
            0, 19, 47, 76, 111, 139, 166, 184, 16, 36, 63, 93, 126, 155, 181, 201, 23, 42, 70, 100, 133, 163, 189, 207,
            31, 51, 78, 108, 141, 171, 197, 215, 39, 58, 86, 116, 148, 177, 204, 223, 57, 77, 105, 134, 166, 196, 222, 242,
            5, 13, 19, 23, 28, 33, 37, 46, 38, 46, 52, 56, 60, 65, 71, 79, 80, 88, 94, 98, 102, 106, 112, 121,
            121, 129, 135, 138, 142, 147, 153, 162, 158, 166, 172, 176, 181, 185, 191, 199, 193, 201, 207, 211, 215, 219, 226, 234,
            169, 171, 166, 155, 146, 134, 129, 131, 175, 177, 172, 161, 150, 139, 134, 136, 161, 163, 158, 147, 136, 125, 120, 122,
            148, 151, 146, 136, 124, 113, 108, 110, 138, 140, 135, 124, 112, 102, 97, 99, 147, 149, 144, 133, 123, 111, 106, 109,
        ];

    private const string CmykJpeg =
            "ffd8ffee000e41646f626500640000000000ffdb0043000201010101010201010102020202020403020202020504040"
            + "304060506060605060606070908060709070606080b08090a0a0a0a0a06080b0c0b0a0c090a0a0affc00014080003000"
            + "4044311004d11005911004b1100ffc4001f0000010501010101010100000000000000000102030405060708090a0bffc"
            + "400b5100002010303020403050504040000017d01020300041105122131410613516107227114328191a1082342b1c11"
            + "552d1f02433627282090a161718191a25262728292a3435363738393a434445464748494a535455565758595a6364656"
            + "66768696a737475767778797a838485868788898a92939495969798999aa2a3a4a5a6a7a8a9aab2b3b4b5b6b7b8b9bac"
            + "2c3c4c5c6c7c8c9cad2d3d4d5d6d7d8d9dae1e2e3e4e5e6e7e8e9eaf1f2f3f4f5f6f7f8f9faffda000e0443004d00590"
            + "04b00003f00e7ff00e0b6dff290cf187fc07ff46495e65ff0f64ff828e7fd1ddf8b7ff0223ffe22be85fda4be3bfc5ff"
            + "f0085b3a87fc57d7fdbf8c7a9f6afd02f893ff236dc7f9ee6bfffd9";

    private static readonly byte[] s_cmykPixels =
        [
            215, 156, 104, 54, 215, 156, 104, 54, 215, 156, 104, 54, 215, 204, 196, 185, 139, 132, 127, 120, 63, 60, 58, 54,
            215, 189, 165, 142, 189, 164, 141, 120, 164, 141, 119, 99,
        ];

    public static TheoryData<string> GoldenFiles()
    {
        var data = new TheoryData<string>();
        foreach (JsonElement c in LoadCases())
        {
            data.Add(c.GetProperty("file").GetString()!);
        }
        return data;
    }

    [Fact]
    public void Decode_Rgb420Jpeg_MatchesPillow()
    {
        DecodedImage image = ImageCodec.Decode(Convert.FromHexString(RgbJpeg));
        Assert.Equal([3L, 6, 8], image.Shape);
        Assert.Equal(s_rgbPixels, image.Pixels);
    }

    [Fact]
    public void Decode_AdobeCmykJpeg_MatchesPillowsRgbConversion()
    {
        DecodedImage image = ImageCodec.Decode(Convert.FromHexString(CmykJpeg));
        Assert.Equal([3L, 3, 4], image.Shape);
        Assert.Equal(s_cmykPixels, image.Pixels);
    }

    [Theory]
    [MemberData(nameof(GoldenFiles))]
    public void ReadFile_Rgb_MatchesPillowConvertRgb(string file)
    {
        JsonElement c = Case(file);
        DecodedImage image = ImageCodec.ReadFile(GoldenPath(file), ImageChannels.Rgb);
        Assert.Equal([3L, c.GetProperty("height").GetInt32(), c.GetProperty("width").GetInt32()], image.Shape);
        byte[] expected = Convert.FromHexString(c.GetProperty("rgb").GetString()!);
        if (c.TryGetProperty("expected_gray", out JsonElement gray))
        {
            // 16-bit gray: Pillow clips to 255; we keep the high byte (see the note in images.json), replicated.
            byte[] plane = Convert.FromHexString(gray.GetString()!);
            expected = [.. plane, .. plane, .. plane];
        }
        AssertSameBytes(expected, image.Pixels, file);
    }

    [Theory]
    [MemberData(nameof(GoldenFiles))]
    public void ReadFile_Gray_MatchesPillowConvertL(string file)
    {
        JsonElement c = Case(file);
        DecodedImage image = ImageCodec.ReadFile(GoldenPath(file), ImageChannels.Gray);
        Assert.Equal([1L, c.GetProperty("height").GetInt32(), c.GetProperty("width").GetInt32()], image.Shape);
        string key = c.TryGetProperty("expected_gray", out _) ? "expected_gray" : "gray";
        AssertSameBytes(Convert.FromHexString(c.GetProperty(key).GetString()!), image.Pixels, file);
    }

    [Fact]
    public void ReadFile_Gray16Png_KeepsHighByteWherePillowClips()
    {
        JsonElement c = Case("gray16.png");
        byte[] pillow = Convert.FromHexString(c.GetProperty("gray").GetString()!);
        byte[] ours = ImageCodec.ReadFile(GoldenPath("gray16.png"), ImageChannels.Gray).Pixels;
        // The deliberate difference, pinned: Pillow saturates every sample of 255/65535 or more, we scale.
        Assert.True(pillow.Count(v => v == 255) > pillow.Length / 2, "the golden should show Pillow's clipping");
        Assert.Equal(Convert.FromHexString(c.GetProperty("expected_gray").GetString()!), ours);
        Assert.NotEqual(pillow, ours);
    }

    private static void AssertSameBytes(byte[] expected, byte[] actual, string file)
    {
        Assert.Equal(expected.Length, actual.Length);
        int differing = 0, max = 0;
        for (int i = 0; i < expected.Length; i++)
        {
            int d = Math.Abs(expected[i] - actual[i]);
            differing += d > 0 ? 1 : 0;
            max = Math.Max(max, d);
        }
        Assert.True(differing == 0, $"{file}: {differing} of {expected.Length} samples differ from Pillow's, by up to {max}");
    }

    private static string GoldenPath(string file) => Path.Combine(AppContext.BaseDirectory, "Codecs", "Golden", "images", file);

    private static JsonElement Case(string file) => LoadCases().Single(c => c.GetProperty("file").GetString() == file);

    private static List<JsonElement> LoadCases()
    {
        using JsonDocument doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Codecs", "Golden", "images.json")));
        return doc.RootElement.GetProperty("cases").EnumerateArray().Select(e => e.Clone()).ToList();
    }
}
