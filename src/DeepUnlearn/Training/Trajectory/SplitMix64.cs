namespace DeepUnlearn.Training.Trajectory;

/// <summary>
/// SplitMix64 (Steele, Lea and Flood 2014): a tiny seeded generator whose output is fixed by the
/// seed on every platform and runtime, so a recorded batch order can be regenerated exactly.
/// </summary>
internal struct SplitMix64
{
    private ulong _state;

    public SplitMix64(ulong seed)
    {
        _state = seed;
    }

    public ulong Next()
    {
        ulong z = _state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>Uniform in [0, bound) without modulo bias (Lemire's method with rejection).</summary>
    public long NextBelow(long bound)
    {
        ulong range = (ulong)bound;
        ulong threshold = (0UL - range) % range;
        while (true)
        {
            ulong value = Next();
            ulong high = System.Math.BigMul(value, range, out ulong low);
            if (low >= threshold)
            {
                return (long)high;
            }
        }
    }

    /// <summary>Fisher–Yates shuffle in place.</summary>
    public void Shuffle(long[] values)
    {
        for (long i = values.LongLength - 1; i > 0; i--)
        {
            long j = NextBelow(i + 1);
            (values[i], values[j]) = (values[j], values[i]);
        }
    }
}
