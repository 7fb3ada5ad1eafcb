using System;
using Xunit;

namespace DeepUnlearn.Torch.Tests;

public class TensorTests
{
    [Fact]
    public void From_RoundTripsValuesAndShape()
    {
        using var scope = TensorScope.Begin();
        float[] data = [1, 2, 3, 4, 5, 6];
        Tensor t = Tensor.From<float>(data, [2, 3]);
        Assert.Equal([2L, 3L], t.ShapeArray());
        Assert.Equal(DType.Float32, t.DType);
        Assert.Equal(Device.Cpu, t.Device);
        Assert.Equal(data, t.ToArray<float>());
    }

    [Fact]
    public void Operators_ComputeElementwise()
    {
        using var scope = TensorScope.Begin();
        Tensor a = Tensor.From<double>([1, 2, 3], [3]);
        Tensor b = Tensor.From<double>([4, 5, 6], [3]);
        Assert.Equal([5.0, 7.0, 9.0], (a + b).ToArray<double>());
        Assert.Equal([-3.0, -3.0, -3.0], (a - b).ToArray<double>());
        Assert.Equal([4.0, 10.0, 18.0], (a * b).ToArray<double>());
        Assert.Equal([0.25, 0.4, 0.5], (a / b).ToArray<double>());
        Assert.Equal([3.0, 4.0, 5.0], (a + 2).ToArray<double>());
        Assert.Equal([1.0, 0.0, -1.0], (2 - a).ToArray<double>());
        Assert.Equal(32.0, a.Dot(b).Item());
    }

    [Fact]
    public void ShapeMismatch_ThrowsReadableTorchException()
    {
        using var scope = TensorScope.Begin();
        Tensor a = Tensor.Zeros([2, 3]);
        Tensor b = Tensor.Zeros([2, 3]);
        var e = Assert.Throws<TorchException>(() => a.Mm(b));
        Assert.Contains("cannot be multiplied", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception raised from", e.Message, StringComparison.Ordinal);
        // The process survives and keeps working.
        Assert.Equal(0.0, a.Sum().Item());
    }

    [Fact]
    public void DisposedTensor_ThrowsObjectDisposedException()
    {
        Tensor t = Tensor.Ones([3]);
        t.Dispose();
        Assert.True(t.IsDisposed);
        Assert.Throws<ObjectDisposedException>(() => t.Sum());
        t.Dispose();
    }

    [Fact]
    public void TensorScope_DisposesAllButKept()
    {
        long before = Tensor.LiveCount;
        Tensor kept;
        using (var scope = TensorScope.Begin())
        {
            Tensor a = Tensor.Ones([4]);
            Tensor b = a * 3;
            kept = scope.Keep(b + 1);
            Assert.Equal(before + 3, Tensor.LiveCount);
        }
        Assert.Equal(before + 1, Tensor.LiveCount);
        Assert.Equal([4f, 4f, 4f, 4f], kept.ToArray<float>());
        kept.Dispose();
        Assert.Equal(before, Tensor.LiveCount);
    }
}
