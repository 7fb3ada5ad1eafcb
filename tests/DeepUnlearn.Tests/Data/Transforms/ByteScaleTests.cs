using System;
using System.Linq;
using DeepUnlearn.Data;
using DeepUnlearn.Data.Packed;
using DeepUnlearn.Data.Transforms;
using Xunit;

namespace DeepUnlearn.Tests.Data.Transforms;

public class ByteScaleTests
{
    [Fact]
    public void Round_EqualsThePackedStoresScalarRounding_ForEveryFiniteValue()
    {
        // Every grey level, the half-way points and their float neighbours (where rounding flips), values outside [0, 1],
        // and random ones; 1,000+ values, so the vector loop and the scalar tail both run.
        var values = Enumerable.Range(0, 256).SelectMany(k => new[]
        {
            k / 255f,
            (k + 0.5f) / 255f,
            BitConverter.Int32BitsToSingle(BitConverter.SingleToInt32Bits((k + 0.5f) / 255f) - 1),
            BitConverter.Int32BitsToSingle(BitConverter.SingleToInt32Bits((k + 0.5f) / 255f) + 1),
        }).Concat([-1e30f, -2f, -0.5f / 255f, -0f, 1.0001f, 2f, 1e30f, float.Epsilon]).ToList();
        var random = new DeterministicRandom(2);
        values.AddRange(Enumerable.Range(0, 301).Select(_ => (float)random.Uniform(-0.1, 1.1)));
        float[] input = [.. values];
        var expected = new byte[input.Length];
        var actual = new byte[input.Length];
        PackedStore.Quantize(input, expected);
        ByteScale.Round(input, actual);
        Assert.Equal(expected, actual);
    }
}
