using System;

namespace DeepUnlearn.Torch.Tests.Support;

/// <summary>
/// Deterministic test inputs drawn with System.Random (independent of libtorch's generators), as
/// float64 tensors.
/// </summary>
internal static class TestData
{
    /// <summary>Standard-normal values (Box–Muller) scaled and shifted.</summary>
    public static Tensor Normal(int seed, ReadOnlySpan<long> shape, double scale = 1, double shift = 0) =>
        Tensor.From<double>(NormalValues(seed, Count(shape), scale, shift), shape);

    /// <summary>Uniform values in [low, high).</summary>
    public static Tensor Uniform(int seed, ReadOnlySpan<long> shape, double low, double high)
    {
        var random = new System.Random(seed);
        var values = new double[Count(shape)];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = low + (high - low) * random.NextDouble();
        }
        return Tensor.From<double>(values, shape);
    }

    /// <summary>
    /// Pairwise distinct values at least <paramref name="gap"/> apart, none within gap/2 of zero, in a
    /// shuffled order: inputs away from the kinks of max, max-pooling, ReLU and |x|.
    /// </summary>
    public static Tensor Distinct(int seed, ReadOnlySpan<long> shape, double gap = 0.1)
    {
        int n = Count(shape);
        var random = new System.Random(seed);
        var values = new double[n];
        for (int i = 0; i < n; i++)
        {
            // ..., −1.5·gap, −0.5·gap, 0.5·gap, 1.5·gap, ... plus a jitter far below the gap.
            values[i] = (i - n / 2 + 0.5) * gap + (random.NextDouble() - 0.5) * gap * 0.2;
        }
        random.Shuffle(values);
        return Tensor.From<double>(values, shape);
    }

    /// <summary>Standard-normal values as an array.</summary>
    public static double[] NormalValues(int seed, int count, double scale = 1, double shift = 0)
    {
        var random = new System.Random(seed);
        var values = new double[count];
        for (int i = 0; i < count; i++)
        {
            double u1 = 1 - random.NextDouble();
            double u2 = random.NextDouble();
            values[i] = shift + scale * Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
        }
        return values;
    }

    private static int Count(ReadOnlySpan<long> shape)
    {
        long n = 1;
        foreach (long s in shape)
        {
            n *= s;
        }
        return checked((int)n);
    }
}
