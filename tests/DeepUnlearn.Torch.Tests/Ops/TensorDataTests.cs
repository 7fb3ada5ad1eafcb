using System;
using DeepUnlearn.Torch.Tests.Support;
using Xunit;

namespace DeepUnlearn.Torch.Tests.Ops;

/// <summary>The host-memory boundary (From/FromBytes, ToArray/ToBytes, Item) for every dtype, dtype
/// conversion, and the storage semantics of Clone, Detach, Contiguous and CopyFrom.</summary>
public class TensorDataTests
{
    [Fact]
    public void FromToArray_Float32_RoundTripsBitsIncludingSpecialValues()
    {
        using var scope = TensorScope.Begin();
        float[] data = [1.5f, -0f, float.Epsilon, float.MaxValue, float.NaN, float.NegativeInfinity];
        Tensor t = Tensor.From<float>(data, [2, 3]);
        Assert.Equal(DType.Float32, t.DType);
        Assert.Equal([2L, 3L], t.ShapeArray());
        Assert.Equal(Bits(data), Bits(t.ToArray<float>()));
        Assert.Equal(Bytes(data), t.ToBytes());
    }

    [Fact]
    public void FromToArray_Float64_RoundTripsBitsIncludingSpecialValues()
    {
        using var scope = TensorScope.Begin();
        double[] data = [Math.PI, -0.0, double.Epsilon, double.MaxValue, double.NaN, double.PositiveInfinity];
        Tensor t = Tensor.From(data);
        Assert.Equal(DType.Float64, t.DType);
        Assert.Equal([6L], t.ShapeArray());
        Assert.Equal(Array.ConvertAll(data, BitConverter.DoubleToInt64Bits), Array.ConvertAll(t.ToArray<double>(), BitConverter.DoubleToInt64Bits));
    }

    [Fact]
    public void FromToArray_Float16_RoundTripsAndConvertsExactly()
    {
        using var scope = TensorScope.Begin();
        Half[] data = [(Half)1, (Half)(-2.5), Half.MaxValue, (Half)0.00006103515625, Half.NaN];
        Tensor t = Tensor.From(data);
        Assert.Equal(DType.Float16, t.DType);
        Assert.Equal(Array.ConvertAll(data, BitConverter.HalfToInt16Bits), Array.ConvertAll(t.ToArray<Half>(), BitConverter.HalfToInt16Bits));
        TensorAssert.Close([1, -2.5, 65504, 0.00006103515625, double.NaN], t.To(DType.Float64), 0, 0);
    }

    [Fact]
    public void FromBytesToBytes_BFloat16_RoundTripsAndConvertsExactly()
    {
        using var scope = TensorScope.Begin();
        // bfloat16 is the top half of a float32: 1 = 0x3F80, −2 = 0xC000, 0.5 = 0x3F00, 3.140625 = 0x4049.
        byte[] bytes = [0x80, 0x3F, 0x00, 0xC0, 0x00, 0x3F, 0x49, 0x40];
        Tensor t = Tensor.FromBytes(bytes, [2, 2], DType.BFloat16);
        Assert.Equal(DType.BFloat16, t.DType);
        Assert.Equal(bytes, t.ToBytes());
        Assert.Equal([1f, -2f, 0.5f, 3.140625f], t.To(DType.Float32).ToArray<float>());
        // And back: float32 → bfloat16 rounds to nearest even (1 + 2⁻⁸ is a tie and rounds to the even 1).
        Tensor rounded = Tensor.From<float>([1 + 1f / 256, 3.14159f], [2]).To(DType.BFloat16);
        Assert.Equal([(byte)0x80, (byte)0x3F, (byte)0x49, (byte)0x40], rounded.ToBytes());
    }

    [Fact]
    public void FromToArray_IntegerTypes_RoundTripExtremes()
    {
        using var scope = TensorScope.Begin();
        long[] longs = [long.MinValue, -1, 0, (1L << 53) + 1, long.MaxValue];
        Tensor l = Tensor.From(longs);
        Assert.Equal(DType.Int64, l.DType);
        Assert.Equal(longs, l.ToArray<long>());
        Assert.Equal((1L << 53) + 1, l[3].ItemInt64());
        Assert.Equal(long.MinValue, l[0].ItemInt64());

        int[] ints = [int.MinValue, -7, 0, int.MaxValue];
        Tensor i = Tensor.From(ints);
        Assert.Equal(DType.Int32, i.DType);
        Assert.Equal(ints, i.ToArray<int>());
        Assert.Equal(Bytes(ints), i.ToBytes());

        byte[] bytes = [0, 1, 127, 128, 255];
        Tensor u = Tensor.From(bytes);
        Assert.Equal(DType.UInt8, u.DType);
        Assert.Equal(bytes, u.ToArray<byte>());
        Assert.Equal([0L, 1, 127, 128, 255], u.To(DType.Int64).ToArray<long>());
    }

    [Fact]
    public void FromToArray_Bool_RoundTripsAndConverts()
    {
        using var scope = TensorScope.Begin();
        bool[] data = [true, false, false, true];
        Tensor t = Tensor.From<bool>(data, [2, 2]);
        Assert.Equal(DType.Bool, t.DType);
        Assert.Equal(data, t.ToArray<bool>());
        Assert.Equal([(byte)1, (byte)0, (byte)0, (byte)1], t.ToBytes());
        Assert.Equal([1L, 0, 0, 1], t.To(DType.Int64).ToArray<long>());
        Assert.Equal([true, false, true, false], Tensor.From<double>([-0.5, 0, 2, -0.0], [4]).To(DType.Bool).ToArray<bool>());
    }

    [Theory]
    [InlineData(DType.Float32)]
    [InlineData(DType.Float64)]
    [InlineData(DType.Float16)]
    [InlineData(DType.BFloat16)]
    [InlineData(DType.Int64)]
    [InlineData(DType.Int32)]
    [InlineData(DType.UInt8)]
    [InlineData(DType.Bool)]
    public void FromBytes_EveryDType_RoundTripsThroughToBytes(DType dtype)
    {
        using var scope = TensorScope.Begin();
        // Small non-negative integers are exact in every dtype (bool: 0 and 1).
        Tensor source = Tensor.From<double>([0, 1, 1, 0, 1, 0], [3, 2]).To(dtype);
        byte[] bytes = source.ToBytes();
        Assert.Equal(6 * dtype.ElementSize(), bytes.Length);
        Tensor copy = Tensor.FromBytes(bytes, [3, 2], dtype);
        Assert.Equal(dtype, copy.DType);
        Assert.Equal(bytes, copy.ToBytes());
        Assert.Equal([0.0, 1, 1, 0, 1, 0], copy.To(DType.Float64).ToArray<double>());
    }

    [Fact]
    public void ScalarAndEmpty_HaveTheirShapes()
    {
        using var scope = TensorScope.Begin();
        Tensor s = Tensor.Scalar(2.5, DType.Float64);
        Assert.Equal(0, s.Dim);
        Assert.Equal(1, s.NumEl);
        Assert.Equal(2.5, s.Item());
        Tensor e = Tensor.From<float>([], [0, 3]);
        Assert.Equal([0L, 3L], e.ShapeArray());
        Assert.Equal(0, e.NumEl);
        Assert.Empty(e.ToArray<float>());
        Assert.Equal(3, e.Size(-1));
        Assert.Throws<ArgumentOutOfRangeException>(() => e.Size(2));
    }

    [Fact]
    public void ToDType_FloatToInteger_TruncatesTowardZero()
    {
        using var scope = TensorScope.Begin();
        Tensor x = Tensor.From<double>([-1.7, -0.2, 2.9, 3.0], [4]);
        Assert.Equal([-1L, 0, 2, 3], x.To(DType.Int64).ToArray<long>());
        Assert.Equal([-1, 0, 2, 3], x.To(DType.Int32).ToArray<int>());
        Assert.Equal([-1.7f, -0.2f, 2.9f, 3f], x.To(DType.Float32).ToArray<float>());
    }

    [Fact]
    public void ToDevice_SameDeviceCopy_IsIndependent()
    {
        using var scope = TensorScope.Begin();
        Tensor x = Tensor.From<double>([1, 2], [2]);
        Tensor alias = x.To(Device.Cpu);
        Tensor copy = x.To(Device.Cpu, DType.Float64, copy: true);
        x.FillInPlace(9);
        Assert.Equal([9.0, 9.0], alias.ToArray<double>());
        Assert.Equal([1.0, 2.0], copy.ToArray<double>());
        Assert.Equal(Device.Cpu, copy.Device);
    }

    [Fact]
    public void CloneDetachContiguousCopyFrom_HaveTheirStorageSemantics()
    {
        using var scope = TensorScope.Begin();
        Tensor x = Tensor.From<double>([1, 2, 3, 4], [2, 2]).RequiresGradInPlace();
        Tensor clone = x.Clone();
        Assert.True(clone.RequiresGrad, "clone is recorded by autograd");
        Tensor detached = x.Detach();
        Assert.False(detached.RequiresGrad);
        detached.MulInPlace(10);
        Assert.Equal([10.0, 20, 30, 40], x.Detach().ToArray<double>());
        Assert.Equal([1.0, 2, 3, 4], clone.Detach().ToArray<double>());

        Tensor transposed = detached.Transpose(0, 1);
        Assert.False(transposed.IsContiguous);
        Assert.Equal([1L, 2L], transposed.Strides());
        Tensor contiguous = transposed.Contiguous();
        Assert.True(contiguous.IsContiguous);
        Assert.Equal([2L, 1L], contiguous.Strides());
        Assert.Equal([10.0, 30, 20, 40], contiguous.ToArray<double>());
        Assert.Equal([10.0, 30, 20, 40], transposed.ToArray<double>());

        Tensor target = Tensor.Zeros([2, 2], DType.Float32);
        Assert.Same(target, target.CopyFrom(Tensor.From<long>([5, 6], [2])));
        Assert.Equal([5f, 6f, 5f, 6f], target.ToArray<float>());
    }

    [Fact]
    public void SetData_KeepsIdentityAndLeafStatusWithNewValuesAndShape()
    {
        using var scope = TensorScope.Begin();
        Tensor parameter = Tensor.Zeros([2], DType.Float32, requiresGrad: true);
        Assert.Equal([2L], parameter.ShapeArray());
        parameter.SetData(Tensor.From<double>([1, 2, 3], [3]));
        Assert.Equal([3L], parameter.ShapeArray());
        Assert.Equal(DType.Float64, parameter.DType);
        Assert.True(parameter.RequiresGrad);
        parameter.Square().Sum().Backward();
        Assert.Equal([2.0, 4, 6], parameter.Grad!.ToArray<double>());
    }

    [Fact]
    public void ToText_PrintsValues()
    {
        using var scope = TensorScope.Begin();
        string text = Tensor.From<long>([7, 42], [2]).ToText();
        Assert.Contains("7", text, StringComparison.Ordinal);
        Assert.Contains("42", text, StringComparison.Ordinal);
        Assert.Equal("Tensor([2, 3], Float64, cpu)", Tensor.Zeros([2, 3], DType.Float64).ToString());
    }

    [Fact]
    public void CopyTo_WrongElementType_ThrowsInvalidOperation()
    {
        using var scope = TensorScope.Begin();
        Tensor x = Tensor.Zeros([2], DType.Float64);
        var e = Assert.Throws<InvalidOperationException>(() => x.ToArray<float>());
        Assert.Contains("To(Float32)", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromBytes_WrongByteCount_ThrowsArgumentStatus()
    {
        using var scope = TensorScope.Begin();
        var e = Assert.Throws<TorchException>(() => Tensor.FromBytes(new byte[7], [2], DType.Float32));
        Assert.Equal(3, e.Status);
        Assert.Contains("7 bytes", e.Message, StringComparison.Ordinal);
        Assert.Throws<TorchException>(() => Tensor.From<double>([1, 2, 3], [2, 2]));
    }

    private static int[] Bits(float[] values) => Array.ConvertAll(values, BitConverter.SingleToInt32Bits);

    private static byte[] Bytes<T>(T[] values)
        where T : unmanaged => System.Runtime.InteropServices.MemoryMarshal.AsBytes<T>(values).ToArray();
}
