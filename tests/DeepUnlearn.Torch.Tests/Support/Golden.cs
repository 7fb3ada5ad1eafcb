using System;
using System.IO;
using System.Text.Json;

namespace DeepUnlearn.Torch.Tests.Support;

/// <summary>
/// Reads the golden files under Golden/ (copied next to the test assembly). Tensors are stored as
/// {"shape": [...], "data": [...]} in row-major order.
/// </summary>
internal static class Golden
{
    /// <summary>Parses Golden/<paramref name="fileName"/>.</summary>
    public static JsonDocument Load(string fileName)
    {
        string path = Path.Combine(AppContext.BaseDirectory, "Golden", fileName);
        return JsonDocument.Parse(File.ReadAllText(path));
    }

    /// <summary>The shape of a stored tensor.</summary>
    public static long[] Shape(JsonElement tensor)
    {
        JsonElement shape = tensor.GetProperty("shape");
        var result = new long[shape.GetArrayLength()];
        int i = 0;
        foreach (JsonElement s in shape.EnumerateArray())
        {
            result[i++] = s.GetInt64();
        }
        return result;
    }

    /// <summary>The values of a stored tensor.</summary>
    public static double[] Values(JsonElement tensor)
    {
        JsonElement data = tensor.GetProperty("data");
        var result = new double[data.GetArrayLength()];
        int i = 0;
        foreach (JsonElement v in data.EnumerateArray())
        {
            result[i++] = v.GetDouble();
        }
        return result;
    }

    /// <summary>A stored tensor as float64.</summary>
    public static Tensor Float64(JsonElement tensor) => Tensor.From<double>(Values(tensor), Shape(tensor));

    /// <summary>A stored tensor as int64.</summary>
    public static Tensor Int64(JsonElement tensor)
    {
        JsonElement data = tensor.GetProperty("data");
        var values = new long[data.GetArrayLength()];
        int i = 0;
        foreach (JsonElement v in data.EnumerateArray())
        {
            values[i++] = v.GetInt64();
        }
        return Tensor.From<long>(values, Shape(tensor));
    }

    /// <summary>A stored tensor, or null for JSON null.</summary>
    public static Tensor? OptionalFloat64(JsonElement element) =>
        element.ValueKind == JsonValueKind.Null ? null : Float64(element);

    /// <summary>A (h, w) pair stored as a two-element array.</summary>
    public static (long H, long W) Pair(JsonElement pair) => (pair[0].GetInt64(), pair[1].GetInt64());
}
