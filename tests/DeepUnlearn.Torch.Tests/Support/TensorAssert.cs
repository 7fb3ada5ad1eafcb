using System;
using System.Globalization;
using Xunit;

namespace DeepUnlearn.Torch.Tests.Support;

/// <summary>Assertions on tensor values that name the first element that differs.</summary>
internal static class TensorAssert
{
    /// <summary>Asserts the shape, and every element within atol + rtol·|expected| (NaN equals NaN).</summary>
    public static void Close(ReadOnlySpan<double> expected, ReadOnlySpan<long> expectedShape, Tensor actual, double atol = 1e-12, double rtol = 1e-12, string? what = null)
    {
        Assert.Equal(expectedShape.ToArray(), actual.ShapeArray());
        Close(expected, actual, atol, rtol, what);
    }

    /// <summary>Asserts every element (any floating dtype, compared as float64) within atol + rtol·|expected|.</summary>
    public static void Close(ReadOnlySpan<double> expected, Tensor actual, double atol = 1e-12, double rtol = 1e-12, string? what = null)
    {
        double[] values = AsDoubles(actual);
        Close(expected, values, atol, rtol, what, actual.ShapeArray());
    }

    /// <summary>Asserts two arrays element by element.</summary>
    public static void Close(ReadOnlySpan<double> expected, ReadOnlySpan<double> actual, double atol = 1e-12, double rtol = 1e-12, string? what = null, long[]? shape = null)
    {
        Assert.True(expected.Length == actual.Length, $"{what ?? "tensor"}: expected {expected.Length} elements, got {actual.Length}");
        for (int i = 0; i < expected.Length; i++)
        {
            double e = expected[i];
            double a = actual[i];
            bool ok = double.IsNaN(e) ? double.IsNaN(a) : Math.Abs(a - e) <= atol + rtol * Math.Abs(e) || a == e;
            if (!ok)
            {
                string index = shape is null ? $"[{i}]" : GradCheck.Index(i, shape);
                Assert.Fail(string.Create(CultureInfo.InvariantCulture, $"{what ?? "tensor"}{index}: expected {e:R}, got {a:R} (|difference| {Math.Abs(a - e):E3})"));
            }
        }
    }

    /// <summary>Asserts one value within a tolerance.</summary>
    public static void Close(double expected, double actual, double atol = 1e-12, double rtol = 1e-12, string? what = null) =>
        Close([expected], [actual], atol, rtol, what);

    /// <summary>The elements of a floating-point tensor as float64.</summary>
    public static double[] AsDoubles(Tensor t)
    {
        if (t.DType == DType.Float64)
        {
            return t.ToArray<double>();
        }
        using Tensor converted = t.To(DType.Float64);
        return converted.ToArray<double>();
    }
}
