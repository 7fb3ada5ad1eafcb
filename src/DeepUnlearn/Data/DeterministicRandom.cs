using System;

namespace DeepUnlearn.Data;

/// <summary>
/// A small, fast, seedable random generator (SplitMix64) whose stream depends only on its seed, on every
/// platform and .NET version. Shuffles, splits, deletion requests and per-sample augmentations all draw
/// from one of these, so every id set and every augmented batch is reproducible from the seeds.
/// Not thread-safe: give each thread (or each sample) its own instance.
/// </summary>
public sealed class DeterministicRandom
{
    private const ulong Golden = 0x9E3779B97F4A7C15UL;
    private ulong _state;

    /// <summary>Creates a generator; different seeds give unrelated streams (the seed is mixed first).</summary>
    public DeterministicRandom(ulong seed)
    {
        Reseed(seed);
    }

    /// <summary>Restarts the stream from <paramref name="seed"/>, as if newly constructed.</summary>
    public void Reseed(ulong seed) => _state = Mix(seed ^ 0x6A09E667F3BCC908UL);

    /// <summary>A well-mixed 64-bit key from several values (order matters), for deriving seeds.</summary>
    public static ulong Hash(ulong a, ulong b) => Mix(Mix(a + Golden) ^ (b + 0x3C6EF372FE94F82BUL));

    /// <summary>A well-mixed 64-bit key from three values (order matters).</summary>
    public static ulong Hash(ulong a, ulong b, ulong c) => Hash(Hash(a, b), c);

    /// <summary>The next 64 random bits.</summary>
    public ulong NextUInt64()
    {
        _state += Golden;
        return Mix(_state);
    }

    /// <summary>A uniform double in [0, 1) with 53 random bits.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>A uniform double in [<paramref name="low"/>, <paramref name="high"/>).</summary>
    public double Uniform(double low, double high) => low + ((high - low) * NextDouble());

    /// <summary>A uniform integer in [0, <paramref name="maxExclusive"/>), without modulo bias (Lemire's method).</summary>
    public int NextInt(int maxExclusive)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxExclusive);
        ulong n = (ulong)maxExclusive;
        UInt128 m = (UInt128)NextUInt64() * n;
        ulong low = (ulong)m;
        if (low < n)
        {
            ulong threshold = (0UL - n) % n;
            while (low < threshold)
            {
                m = (UInt128)NextUInt64() * n;
                low = (ulong)m;
            }
        }
        return (int)(m >> 64);
    }

    /// <summary>Shuffles <paramref name="values"/> in place (Fisher-Yates).</summary>
    public void Shuffle<T>(Span<T> values)
    {
        for (int i = values.Length - 1; i > 0; i--)
        {
            int j = NextInt(i + 1);
            (values[i], values[j]) = (values[j], values[i]);
        }
    }

    /// <summary>
    /// Moves a uniform random sample of <paramref name="count"/> elements to the front of
    /// <paramref name="values"/> (a partial Fisher-Yates shuffle) and returns that prefix.
    /// </summary>
    public Span<T> SampleToFront<T>(Span<T> values, int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, values.Length);
        for (int i = 0; i < count; i++)
        {
            int j = i + NextInt(values.Length - i);
            (values[i], values[j]) = (values[j], values[i]);
        }
        return values[..count];
    }

    private static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
