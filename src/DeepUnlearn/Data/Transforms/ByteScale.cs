using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace DeepUnlearn.Data.Transforms;

/// <summary>uint8 → float32 in [0, 1] as torchvision's ToTensor computes it (x / 255, an exact IEEE division).</summary>
internal static class ByteScale
{
    private static readonly float[] s_table = BuildTable();

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Convert(ReadOnlySpan<byte> source, Span<float> destination)
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated && source.Length >= Vector<byte>.Count)
        {
            var divisor = new Vector<float>(255f);
            ReadOnlySpan<Vector<byte>> bytes = MemoryMarshal.Cast<byte, Vector<byte>>(source);
            Span<Vector<float>> floats = MemoryMarshal.Cast<float, Vector<float>>(destination);
            for (int v = 0; v < bytes.Length; v++)
            {
                Vector.Widen(bytes[v], out Vector<ushort> low, out Vector<ushort> high);
                Vector.Widen(low, out Vector<uint> a, out Vector<uint> b);
                Vector.Widen(high, out Vector<uint> c, out Vector<uint> d);
                floats[(4 * v) + 0] = Vector.ConvertToSingle(a) / divisor;
                floats[(4 * v) + 1] = Vector.ConvertToSingle(b) / divisor;
                floats[(4 * v) + 2] = Vector.ConvertToSingle(c) / divisor;
                floats[(4 * v) + 3] = Vector.ConvertToSingle(d) / divisor;
            }
            i = bytes.Length * Vector<byte>.Count;
        }
        float[] table = s_table;
        for (; i < source.Length; i++)
        {
            destination[i] = table[source[i]];
        }
    }

    private static float[] BuildTable()
    {
        var table = new float[256];
        for (int i = 0; i < 256; i++)
        {
            table[i] = i / 255f;
        }
        return table;
    }
}
