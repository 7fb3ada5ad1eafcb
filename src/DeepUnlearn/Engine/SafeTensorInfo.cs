using System;
using System.Collections.Generic;
using System.Globalization;
using ScalarType = TorchSharp.torch.ScalarType;

namespace DeepUnlearn.Engine;

/// <summary>One tensor's entry in a safetensors header: name, dtype, shape and where its bytes lie.</summary>
public sealed class SafeTensorInfo
{
    private readonly long[] _shape;

    internal SafeTensorInfo(string name, string dtypeName, ScalarType? dtype, long[] shape, long numEl, long dataBegin, long dataEnd)
    {
        Name = name;
        DTypeName = dtypeName;
        DType = dtype;
        _shape = shape;
        Shape = Array.AsReadOnly(shape);
        NumEl = numEl;
        DataBegin = dataBegin;
        DataEnd = dataEnd;
    }

    /// <summary>The tensor's name (a state-dict key such as <c>layer1.0.conv1.weight</c>).</summary>
    public string Name { get; }

    /// <summary>The dtype as the header spells it (<c>F32</c>, <c>BF16</c>, <c>I64</c>, ...).</summary>
    public string DTypeName { get; }

    /// <summary>TorchSharp's dtype, or null for a format dtype TorchSharp cannot hold (U16, U32, U64, F8_E4M3, ...).</summary>
    public ScalarType? DType { get; }

    /// <summary>The shape; empty for a 0-d scalar.</summary>
    public IReadOnlyList<long> Shape { get; }

    /// <summary>The number of elements (1 for a scalar, 0 for an empty tensor).</summary>
    public long NumEl { get; }

    /// <summary>Start of the tensor's bytes, relative to the data buffer after the header.</summary>
    public long DataBegin { get; }

    /// <summary>End (exclusive) of the tensor's bytes, relative to the data buffer after the header.</summary>
    public long DataEnd { get; }

    /// <summary>The size of the tensor's data in bytes.</summary>
    public long ByteCount => DataEnd - DataBegin;

    internal ReadOnlySpan<long> ShapeSpan => _shape;

    /// <inheritdoc />
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{Name}: {DTypeName} [{string.Join(", ", Shape)}] @ [{DataBegin}, {DataEnd})");
}
