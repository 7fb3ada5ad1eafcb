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

    /// <summary>
    /// float32 in [0, 1] → uint8: round(255·v) to nearest (halves up), clamped to 0..255 — what a packed store keeps
    /// (<c>PackedStore.Quantize</c>) for every finite value, vectorised.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Round(ReadOnlySpan<float> source, Span<byte> destination)
    {
        if (destination.Length < source.Length)
        {
            throw new ArgumentException($"{destination.Length} bytes cannot hold {source.Length} values", nameof(destination));
        }
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var scale = new Vector<float>(255f);
            var half = new Vector<float>(0.5f);
            var low = Vector<float>.Zero;
            var high = new Vector<float>(255.5f);
            int step = Vector<byte>.Count;
            ref float from = ref MemoryMarshal.GetReference(source);
            ref byte to = ref MemoryMarshal.GetReference(destination);
            for (; i <= source.Length - step; i += step)
            {
                // Clamped in float before the truncating conversion: the integers are then 0..255 and narrow exactly.
                Vector<uint> a = Vector.AsVectorUInt32(Vector.ConvertToInt32(Vector.Min(Vector.Max((Vector.LoadUnsafe(ref from, (nuint)i) * scale) + half, low), high)));
                Vector<uint> b = Vector.AsVectorUInt32(Vector.ConvertToInt32(Vector.Min(Vector.Max((Vector.LoadUnsafe(ref from, (nuint)(i + Vector<float>.Count)) * scale) + half, low), high)));
                Vector<uint> c = Vector.AsVectorUInt32(Vector.ConvertToInt32(Vector.Min(Vector.Max((Vector.LoadUnsafe(ref from, (nuint)(i + (2 * Vector<float>.Count))) * scale) + half, low), high)));
                Vector<uint> d = Vector.AsVectorUInt32(Vector.ConvertToInt32(Vector.Min(Vector.Max((Vector.LoadUnsafe(ref from, (nuint)(i + (3 * Vector<float>.Count))) * scale) + half, low), high)));
                Vector.Narrow(Vector.Narrow(a, b), Vector.Narrow(c, d)).StoreUnsafe(ref to, (nuint)i);
            }
        }
        for (; i < source.Length; i++)
        {
            destination[i] = (byte)Math.Clamp((int)((source[i] * 255f) + 0.5f), 0, 255);
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
