using System;

namespace DeepUnlearn.Torch;

/// <summary>Element types; the values are libtorch's <c>c10::ScalarType</c> codes.</summary>
public enum DType
{
    /// <summary>8-bit unsigned integer.</summary>
    UInt8 = 0,

    /// <summary>32-bit signed integer.</summary>
    Int32 = 3,

    /// <summary>64-bit signed integer (indices, labels).</summary>
    Int64 = 4,

    /// <summary>IEEE half precision.</summary>
    Float16 = 5,

    /// <summary>IEEE single precision (the default).</summary>
    Float32 = 6,

    /// <summary>IEEE double precision.</summary>
    Float64 = 7,

    /// <summary>Boolean, one byte per element.</summary>
    Bool = 11,

    /// <summary>bfloat16: float32's exponent with a 7-bit mantissa.</summary>
    BFloat16 = 15,
}

/// <summary>Facts about <see cref="DType"/> values.</summary>
public static class DTypeExtensions
{
    /// <summary>Bytes per element.</summary>
    public static int ElementSize(this DType dtype) => dtype switch
    {
        DType.UInt8 or DType.Bool => 1,
        DType.Float16 or DType.BFloat16 => 2,
        DType.Int32 or DType.Float32 => 4,
        DType.Int64 or DType.Float64 => 8,
        _ => throw new ArgumentOutOfRangeException(nameof(dtype), dtype, "unknown dtype"),
    };

    /// <summary>True for the floating-point types.</summary>
    public static bool IsFloatingPoint(this DType dtype) =>
        dtype is DType.Float16 or DType.BFloat16 or DType.Float32 or DType.Float64;

    /// <summary>The dtype that stores values of the .NET type <typeparamref name="T"/>.</summary>
    public static DType Of<T>()
        where T : unmanaged
    {
        if (typeof(T) == typeof(float))
        {
            return DType.Float32;
        }
        if (typeof(T) == typeof(double))
        {
            return DType.Float64;
        }
        if (typeof(T) == typeof(long))
        {
            return DType.Int64;
        }
        if (typeof(T) == typeof(int))
        {
            return DType.Int32;
        }
        if (typeof(T) == typeof(byte))
        {
            return DType.UInt8;
        }
        if (typeof(T) == typeof(bool))
        {
            return DType.Bool;
        }
        if (typeof(T) == typeof(Half))
        {
            return DType.Float16;
        }
        throw new NotSupportedException(
            $"no tensor dtype for .NET type {typeof(T).Name}; valid: float, double, long, int, byte, bool, Half " +
            "(bfloat16 data goes through Tensor.FromBytes)");
    }
}
