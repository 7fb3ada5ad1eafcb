using System;
using System.Linq;
using ScalarType = TorchSharp.torch.ScalarType;

namespace DeepUnlearn.Engine;

/// <summary>
/// The element types the safetensors format defines, in the reference implementation's order
/// (huggingface/safetensors <c>Dtype</c>). That order is also its layout rank: the reference writer
/// stores tensors by descending rank, then by name.
/// </summary>
internal static class SafeTensorsDTypes
{
    private static readonly (string Name, int Bits, ScalarType? DType)[] s_table =
    [
        ("BOOL", 8, ScalarType.Bool),
        ("F4", 4, null),
        ("F6_E2M3", 6, null),
        ("F6_E3M2", 6, null),
        ("U8", 8, ScalarType.Byte),
        ("I8", 8, ScalarType.Int8),
        ("F8_E5M2", 8, null),
        ("F8_E4M3", 8, null),
        ("F8_E8M0", 8, null),
        ("I16", 16, ScalarType.Int16),
        ("U16", 16, null),
        ("F16", 16, ScalarType.Float16),
        ("BF16", 16, ScalarType.BFloat16),
        ("I32", 32, ScalarType.Int32),
        ("U32", 32, null),
        ("F32", 32, ScalarType.Float32),
        ("C64", 64, ScalarType.ComplexFloat32),
        ("F64", 64, ScalarType.Float64),
        ("I64", 64, ScalarType.Int64),
        ("U64", 64, null),
    ];

    /// <summary>Every dtype name the format defines, comma-separated (for error messages).</summary>
    public static string ValidNames { get; } = string.Join(", ", s_table.Select(e => e.Name));

    /// <summary>The dtype names TorchSharp can load and save, comma-separated.</summary>
    public static string LoadableNames { get; } =
        string.Join(", ", s_table.Where(e => e.DType is not null).Select(e => e.Name));

    /// <summary>Looks up a header dtype name (case-sensitive, as in the reference).</summary>
    public static bool TryParse(string name, out int rank, out int bits, out ScalarType? dtype)
    {
        for (int i = 0; i < s_table.Length; i++)
        {
            if (string.Equals(s_table[i].Name, name, StringComparison.Ordinal))
            {
                rank = i;
                bits = s_table[i].Bits;
                dtype = s_table[i].DType;
                return true;
            }
        }
        rank = -1;
        bits = 0;
        dtype = null;
        return false;
    }

    /// <summary>The header name, layout rank and element size of a TorchSharp dtype.</summary>
    /// <exception cref="NotSupportedException">The dtype has no safetensors name (complex128, quantized types).</exception>
    public static (string Name, int Rank, int ElementBytes) Of(ScalarType dtype)
    {
        for (int i = 0; i < s_table.Length; i++)
        {
            if (s_table[i].DType == dtype)
            {
                return (s_table[i].Name, i, s_table[i].Bits / 8);
            }
        }
        throw new NotSupportedException($"dtype {dtype} has no safetensors name; savable: {LoadableNames}");
    }
}
