using System;
using System.Linq;
using DeepUnlearn.Data;
using DeepUnlearn.Data.Transforms;
using Xunit;

namespace DeepUnlearn.Tests.Data.Transforms;

public class ResamplingTests
{
    // golden_pillow_resize.py's input: v[y, x] = ((y·41 + x)·37 mod 23) / 23, one channel, 13 × 41.
    private static FloatImage PillowInput()
    {
        var image = new FloatImage(1, 13, 41);
        for (int i = 0; i < image.Length; i++)
        {
            image.Pixels[i] = (i * 37 % 23) / 23f;
        }
        return image;
    }

    [Fact]
    public void ResizeRegion_DownBothAxes_MatchesPillowCropThenResize()
    {
        // golden_pillow_resize.py: Image "F" .crop((3, 2, 38, 11)).resize((16, 5), BILINEAR), Pillow 9.4.
        float[] expected =
        [
            0.587446868f, 0.557821214f, 0.495648205f, 0.46378842f, 0.482592344f, 0.381149888f, 0.458748758f, 0.460148275f,
            0.4382689f, 0.573839486f, 0.407077491f, 0.641631246f, 0.448016882f, 0.488447994f, 0.464428723f, 0.536776721f,
            0.519900262f, 0.490274608f, 0.444025218f, 0.608660102f, 0.415045768f, 0.581754148f, 0.464334249f, 0.463166177f,
            0.441286802f, 0.50629288f, 0.339530885f, 0.57408464f, 0.380470306f, 0.545105219f, 0.498855859f, 0.469230145f,
            0.438378543f, 0.456740469f, 0.42095229f, 0.527138352f, 0.333524019f, 0.568077803f, 0.401315778f, 0.536886394f,
            0.515007019f, 0.500235558f, 0.534711897f, 0.49256292f, 0.398910105f, 0.471076936f, 0.41733408f, 0.387708396f,
            0.356856823f, 0.531178474f, 0.529389381f, 0.495044738f, 0.518860817f, 0.486556053f, 0.395040751f, 0.466251761f,
            0.43348527f, 0.441933632f, 0.538329482f, 0.4110412f, 0.642263412f, 0.413908899f, 0.539348543f, 0.435415983f,
            0.289310217f, 0.463631898f, 0.461842775f, 0.449965507f, 0.572613597f, 0.419009477f, 0.624897838f, 0.441735119f,
            0.498196781f, 0.469781756f, 0.470782906f, 0.343494624f, 0.574716806f, 0.346362293f, 0.564318419f, 0.426609993f,
        ];
        var output = new FloatImage();
        Resampling.ResizeRegion(PillowInput(), 2, 3, 9, 35, output, 5, 16);
        AssertClose(expected, output.Pixels.ToArray());
    }

    [Fact]
    public void ResizeRegion_UpInHeightDownInWidth_MatchesPillowCropThenResize()
    {
        // golden_pillow_resize.py: Image "F" .crop((0, 4, 41, 9)).resize((12, 7), BILINEAR), Pillow 9.4.
        float[] expected =
        [
            0.442703754f, 0.491445601f, 0.493211299f, 0.494643986f, 0.592871428f, 0.43540594f, 0.417640626f, 0.407128602f,
            0.505356014f, 0.506788731f, 0.508554399f, 0.557296276f, 0.417859018f, 0.466600895f, 0.468366563f, 0.46979925f,
            0.568026721f, 0.494534612f, 0.476769298f, 0.382283866f, 0.480511278f, 0.481943995f, 0.483709663f, 0.53245151f,
            0.459677607f, 0.455142707f, 0.437310666f, 0.438743353f, 0.536970794f, 0.52645874f, 0.511765599f, 0.430985659f,
            0.44945538f, 0.450888097f, 0.452653766f, 0.501395583f, 0.610807955f, 0.473081142f, 0.406254768f, 0.407687455f,
            0.505914867f, 0.495402843f, 0.488390207f, 0.599323988f, 0.418399483f, 0.41983217f, 0.421597868f, 0.470339715f,
            0.579752088f, 0.506491482f, 0.518056035f, 0.376631558f, 0.474858969f, 0.464346915f, 0.45733431f, 0.56826812f,
            0.508979201f, 0.476495594f, 0.390541941f, 0.439283818f, 0.54869616f, 0.501222074f, 0.544142962f, 0.452718526f,
            0.463490099f, 0.433291018f, 0.426278412f, 0.537212193f, 0.526577532f, 0.494061232f, 0.472430855f, 0.408227921f,
            0.523851454f, 0.476377338f, 0.519298255f, 0.570730925f, 0.464894772f, 0.408446312f, 0.401433676f, 0.512367487f,
            0.501732826f, 0.487261623f, 0.598179221f, 0.383383214f,
        ];
        var output = new FloatImage();
        Resampling.ResizeRegion(PillowInput(), 4, 0, 5, 41, output, 7, 12);
        AssertClose(expected, output.Pixels.ToArray());
    }

    // Pillow accumulates in double, we in float: a few float ulps apart at values near 0.5.
    private static void AssertClose(float[] expected, float[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-6f, $"pixel {i}: Pillow {expected[i]:R}, ours {actual[i]:R}");
        }
    }

    [Theory]
    [InlineData(224, 224)] // identity (one tap of weight 1)
    [InlineData(300, 224)] // mild down: the permute path
    [InlineData(256, 224)]
    [InlineData(500, 224)] // scale 2.2: taps of a block span more than 16 inputs, the gather path
    [InlineData(1000, 37)]
    [InlineData(17, 64)] // up
    [InlineData(7, 16)] // fewer than 16 inputs: gather
    [InlineData(16, 8)]
    [InlineData(20, 13)] // one block and a scalar tail
    [InlineData(9, 5)] // no block at all
    public void HorizontalRow_Vectorised_EqualsTheScalarLoopBitForBit(int inputSize, int outputSize)
    {
        var random = new DeterministicRandom((ulong)((inputSize * 1000) + outputSize));
        float[] row = Enumerable.Range(0, inputSize).Select(_ => (float)random.Uniform(-2, 2)).ToArray();
        Resampling.Coefficients coefficients = Resampling.Coefficients.For(inputSize, outputSize);
        var fast = new float[outputSize];
        var reference = new float[outputSize];
        Resampling.HorizontalRow(row, fast, coefficients);
        Resampling.HorizontalRowScalar(row, reference, coefficients);
        Assert.Equal(reference.Select(BitConverter.SingleToInt32Bits), fast.Select(BitConverter.SingleToInt32Bits));
    }

    [Fact]
    public void HorizontalRow_AfterCoefficientsForALargerSize_StillEqualsTheScalarLoop()
    {
        // The per-thread coefficients only grow: a smaller size after a larger one must not read stale blocks.
        var coefficients = new Resampling.Coefficients();
        coefficients.Compute(900, 300, blocks: true);
        coefficients.Compute(130, 56, blocks: true);
        var random = new DeterministicRandom(4);
        float[] row = Enumerable.Range(0, 130).Select(_ => (float)random.NextDouble()).ToArray();
        var fast = new float[56];
        var reference = new float[56];
        Resampling.HorizontalRow(row, fast, coefficients);
        Resampling.HorizontalRowScalar(row, reference, coefficients);
        Assert.Equal(reference.Select(BitConverter.SingleToInt32Bits), fast.Select(BitConverter.SingleToInt32Bits));
        Assert.Equal(Resampling.Coefficients.For(130, 56).Start.Take(56), coefficients.Start.Take(56));
    }

    [Theory]
    [InlineData(0, 0, 37, 53, 24, 24)]
    [InlineData(5, 9, 20, 31, 24, 24)]
    [InlineData(3, 2, 11, 7, 32, 40)]
    [InlineData(36, 52, 1, 1, 8, 8)]
    public void ResizeRegion_FromBytes_EqualsFromTheConvertedFloatImageBitForBit(int top, int left, int regionHeight, int regionWidth, int height, int width)
    {
        ImageBuffer bytes = RandomBytes(3, 37, 53, seed: 8);
        var floats = new FloatImage();
        floats.LoadFrom(bytes);
        var fromBytes = new FloatImage();
        var fromFloats = new FloatImage();
        Resampling.ResizeRegion(bytes, top, left, regionHeight, regionWidth, fromBytes, height, width);
        Resampling.ResizeRegion(floats, top, left, regionHeight, regionWidth, fromFloats, height, width);
        Assert.Equal((3, height, width), (fromBytes.Channels, fromBytes.Height, fromBytes.Width));
        Assert.Equal(fromFloats.Pixels.ToArray().Select(BitConverter.SingleToInt32Bits), fromBytes.Pixels.ToArray().Select(BitConverter.SingleToInt32Bits));
    }

    [Fact]
    public void ResizeRegion_WindowOutsideTheImage_ThrowsNamingBothSizes()
    {
        ImageBuffer bytes = RandomBytes(1, 10, 12, seed: 1);
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => Resampling.ResizeRegion(bytes, 2, 3, 9, 4, new FloatImage(), 4, 4));
        Assert.Contains("region 9x4 at (2, 3) is not inside a 10x12 image", e.Message, StringComparison.Ordinal);
    }

    internal static ImageBuffer RandomBytes(int channels, int height, int width, ulong seed)
    {
        var random = new DeterministicRandom(seed);
        var bytes = new ImageBuffer();
        bytes.Resize(channels, height, width);
        for (int i = 0; i < bytes.Length; i++)
        {
            bytes.Pixels[i] = (byte)random.NextInt(256);
        }
        return bytes;
    }
}
