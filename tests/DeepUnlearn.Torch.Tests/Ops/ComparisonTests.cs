using System;
using Xunit;

namespace DeepUnlearn.Torch.Tests.Ops;

/// <summary>Comparisons, logical ops, where and clamp.</summary>
public class ComparisonTests
{
    [Fact]
    public void Comparisons_TensorAndScalar_GiveBoolTensors()
    {
        using var scope = TensorScope.Begin();
        Tensor a = Tensor.From<double>([1, 2, 3, double.NaN], [4]);
        Tensor b = Tensor.From<double>([2, 2, 2, double.NaN], [4]);
        Tensor eq = a.Eq(b);
        Assert.Equal(DType.Bool, eq.DType);
        Assert.Equal([false, true, false, false], eq.ToArray<bool>());
        Assert.Equal([true, false, true, true], a.Ne(b).ToArray<bool>());
        Assert.Equal([true, false, false, false], a.Lt(b).ToArray<bool>());
        Assert.Equal([true, true, false, false], a.Le(b).ToArray<bool>());
        Assert.Equal([false, false, true, false], a.Gt(b).ToArray<bool>());
        Assert.Equal([false, true, true, false], a.Ge(b).ToArray<bool>());
        Assert.Equal([false, true, false, false], a.Eq(2).ToArray<bool>());
        Assert.Equal([true, false, true, true], a.Ne(2).ToArray<bool>());
        Assert.Equal([true, false, false, false], a.Lt(2).ToArray<bool>());
        Assert.Equal([true, true, false, false], a.Le(2).ToArray<bool>());
        Assert.Equal([false, false, true, false], a.Gt(2).ToArray<bool>());
        Assert.Equal([false, true, true, false], a.Ge(2).ToArray<bool>());
    }

    [Fact]
    public void LogicalOps_AnyAll_FollowTruthTables()
    {
        using var scope = TensorScope.Begin();
        Tensor p = Tensor.From<bool>([true, true, false, false], [4]);
        Tensor q = Tensor.From<bool>([true, false, true, false], [4]);
        Assert.Equal([true, false, false, false], p.LogicalAnd(q).ToArray<bool>());
        Assert.Equal([true, true, true, false], p.LogicalOr(q).ToArray<bool>());
        Assert.Equal([false, true, true, false], p.LogicalXor(q).ToArray<bool>());
        Assert.True(p.Any().ToArray<bool>()[0]);
        Assert.False(p.All().ToArray<bool>()[0]);
        Assert.True(Tensor.Ones([3]).All().ToArray<bool>()[0]);
        Assert.False(Tensor.Zeros([3]).Any().ToArray<bool>()[0]);
    }

    [Fact]
    public void Where_BroadcastsConditionAndBranches()
    {
        using var scope = TensorScope.Begin();
        Tensor x = Tensor.From<double>([-2, 3, -1, 4], [2, 2]);
        Tensor result = Tensor.Where(x.Gt(0), x, Tensor.Zeros([1], DType.Float64));
        Assert.Equal([0.0, 3, 0, 4], result.ToArray<double>());
        Tensor rows = Tensor.Where(Tensor.From<bool>([true, false], [2, 1]), x, x.Neg());
        Assert.Equal([-2.0, 3, 1, -4], rows.ToArray<double>());
    }

    [Fact]
    public void Clamp_BothSidesOrOne_AndInPlace()
    {
        using var scope = TensorScope.Begin();
        Tensor x = Tensor.From<double>([-3, -0.5, 0.5, 3], [4]);
        Assert.Equal([-1.0, -0.5, 0.5, 1], x.Clamp(-1, 1).ToArray<double>());
        Assert.Equal([0.0, 0, 0.5, 3], x.Clamp(min: 0).ToArray<double>());
        Assert.Equal([-3.0, -0.5, 0, 0], x.Clamp(max: 0).ToArray<double>());
        // As torch.clamp, at least one bound is required.
        Assert.Contains("At least one of 'min' or 'max'", Assert.Throws<TorchException>(() => x.Clamp()).Message, StringComparison.Ordinal);
        Assert.Same(x, x.ClampInPlace(-2, 2));
        Assert.Equal([-2.0, -0.5, 0.5, 2], x.ToArray<double>());
        Tensor clamped = Tensor.From<long>([0, 2, 9], [3]).Clamp(1, 2);
        Assert.Equal(DType.Int64, clamped.DType);
        Assert.Equal([1L, 2, 2], clamped.ToArray<long>());
    }

    [Fact]
    public void Comparison_ShapeMismatch_ThrowsTorchException()
    {
        using var scope = TensorScope.Begin();
        var e = Assert.Throws<TorchException>(() => Tensor.Zeros([2]).Eq(Tensor.Zeros([3])));
        Assert.Contains("must match the size", e.Message, StringComparison.Ordinal);
    }
}
