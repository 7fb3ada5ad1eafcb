using System;
using DeepUnlearn.Torch.Tests.Support;
using Xunit;

namespace DeepUnlearn.Torch.Tests.Ops;

/// <summary>Reductions over all elements and over dims, with and without keepDim, on [[1, 2, 3], [4, 5, 6]].</summary>
public class ReductionTests
{
    private static Tensor Matrix() => Tensor.From<double>([1, 2, 3, 4, 5, 6], [2, 3]);

    [Fact]
    public void SumMeanProd_AllAndDims_MatchHandValues()
    {
        using var scope = TensorScope.Begin();
        Tensor x = Matrix();
        Tensor all = x.Sum();
        Assert.Equal(0, all.Dim);
        Assert.Equal(21, all.Item());
        Assert.Equal([5.0, 7, 9], x.Sum(0).ToArray<double>());
        Tensor kept = x.Sum(1, keepDim: true);
        Assert.Equal([2L, 1L], kept.ShapeArray());
        Assert.Equal([6.0, 15], kept.ToArray<double>());
        Tensor both = x.Sum([0, 1], keepDim: true);
        Assert.Equal([1L, 1L], both.ShapeArray());
        Assert.Equal(21, both.Item());
        Assert.Equal(21, x.Sum([-1, -2]).Item());
        Assert.Equal(3.5, x.Mean().Item());
        Assert.Equal([2.5, 3.5, 4.5], x.Mean(0).ToArray<double>());
        Assert.Equal([1L, 3L], x.Mean([0], keepDim: true).ShapeArray());
        Assert.Equal([6.0, 120], x.Prod(1).ToArray<double>());
        Assert.Equal([1L, 3L], x.Prod(0, keepDim: true).ShapeArray());
        Assert.Equal([4.0, 10, 18], x.Prod(0).ToArray<double>());
        Assert.Equal(21L, Tensor.From<int>([1, 2, 3, 4, 5, 6], [6]).Sum().ItemInt64());
        Assert.Equal([1.0, 3, 6, 4, 9, 15], x.CumSum(1).ToArray<double>());
        Assert.Equal([1.0, 2, 3, 5, 7, 9], x.CumSum(0).ToArray<double>());
    }

    [Fact]
    public void VarStdNorm_MatchHandValues()
    {
        using var scope = TensorScope.Begin();
        Tensor x = Matrix();
        // Deviations from 3.5: ±2.5, ±1.5, ±0.5; squares sum to 17.5.
        TensorAssert.Close(17.5 / 5, x.Var().Item(), 1e-15, 1e-15, "var unbiased");
        TensorAssert.Close(17.5 / 6, x.Var(unbiased: false).Item(), 1e-15, 1e-15, "var biased");
        TensorAssert.Close([1, 1], x.Var([1]), 1e-15, 1e-15, "var dim 1");
        TensorAssert.Close([4.5, 4.5, 4.5], x.Var([0], keepDim: true), 1e-15, 1e-15, "var dim 0");
        Assert.Equal([1L, 3L], x.Var([0], keepDim: true).ShapeArray());
        TensorAssert.Close([2.25, 2.25, 2.25], x.Var([0], unbiased: false), 1e-15, 1e-15, "var dim 0 biased");
        TensorAssert.Close(Math.Sqrt(3.5), x.Std([]).Item(), 1e-15, 1e-15, "std");
        TensorAssert.Close([Math.Sqrt(4.5), Math.Sqrt(4.5), Math.Sqrt(4.5)], x.Std([0]), 1e-15, 1e-15, "std dim 0");
        TensorAssert.Close([Math.Sqrt(2.0 / 3), Math.Sqrt(2.0 / 3)], x.Std([1], unbiased: false, keepDim: true), 1e-15, 1e-15, "std dim 1 biased");
        TensorAssert.Close(Math.Sqrt(91), x.Norm().Item(), 1e-15, 1e-15, "2-norm");
        TensorAssert.Close(21, x.Neg().Norm(1).Item(), 1e-15, 1e-15, "1-norm");
        TensorAssert.Close(6, x.Neg().Norm(double.PositiveInfinity).Item(), 0, 0, "inf-norm");
        TensorAssert.Close([Math.Sqrt(14), Math.Sqrt(77)], x.Norm(2, [1]), 1e-15, 1e-15, "row norms");
        TensorAssert.Close([Math.Cbrt(1 + 64), Math.Cbrt(8 + 125), Math.Cbrt(27 + 216)], x.Norm(3, [0], keepDim: true), 1e-14, 1e-14, "3-norm dim 0");
    }

    [Fact]
    public void LogSumExp_IsStableAndMatchesDefinition()
    {
        using var scope = TensorScope.Begin();
        Tensor x = Matrix();
        TensorAssert.Close([Math.Log(Math.Exp(1) + Math.Exp(2) + Math.Exp(3)), Math.Log(Math.Exp(4) + Math.Exp(5) + Math.Exp(6))], x.LogSumExp(1), 1e-14, 1e-15, "dim 1");
        Assert.Equal([2L, 1L], x.LogSumExp(1, keepDim: true).ShapeArray());
        double all = 0;
        for (int i = 1; i <= 6; i++)
        {
            all += Math.Exp(i);
        }
        TensorAssert.Close(Math.Log(all), x.LogSumExp([]).Item(), 1e-14, 1e-15, "all dims");
        TensorAssert.Close([1000 + Math.Log(2)], Tensor.From<double>([1000, 1000], [1, 2]).LogSumExp(1), 1e-12, 1e-15, "large values");
    }

    [Fact]
    public void MaxMinArgMax_WithIndices_MatchHandValues()
    {
        using var scope = TensorScope.Begin();
        Tensor x = Tensor.From<double>([3, -1, 7, 0, 9, -4], [2, 3]);
        Assert.Equal(9, x.Max().Item());
        Assert.Equal(-4, x.Min().Item());
        (Tensor values, Tensor indices) = x.Max(1);
        Assert.Equal([7.0, 9], values.ToArray<double>());
        Assert.Equal(DType.Int64, indices.DType);
        Assert.Equal([2L, 1], indices.ToArray<long>());
        (Tensor minValues, Tensor minIndices) = x.Min(0, keepDim: true);
        Assert.Equal([1L, 3L], minValues.ShapeArray());
        Assert.Equal([0.0, -1, -4], minValues.ToArray<double>());
        Assert.Equal([1L, 0, 1], minIndices.ToArray<long>());
        Assert.Equal(4L, x.ArgMax().ItemInt64());
        Assert.Equal(5L, x.ArgMin().ItemInt64());
        Assert.Equal([0L, 1, 0], x.ArgMax(0).ToArray<long>());
        Tensor argMinKept = x.ArgMin(1, keepDim: true);
        Assert.Equal([2L, 1L], argMinKept.ShapeArray());
        Assert.Equal([1L, 2], argMinKept.ToArray<long>());
    }

    [Fact]
    public void TopKAndSort_ReturnSortedValuesAndIndices()
    {
        using var scope = TensorScope.Begin();
        Tensor x = Tensor.From<double>([3, -1, 7, 0, 9, -4], [2, 3]);
        (Tensor top, Tensor topIndices) = x.TopK(2);
        Assert.Equal([7.0, 3, 9, 0], top.ToArray<double>());
        Assert.Equal([2L, 0, 1, 0], topIndices.ToArray<long>());
        (Tensor bottom, Tensor bottomIndices) = x.TopK(1, dim: 0, largest: false);
        Assert.Equal([0.0, -1, -4], bottom.ToArray<double>());
        Assert.Equal([1L, 0, 1], bottomIndices.ToArray<long>());
        (Tensor sorted, Tensor order) = x.Sort();
        Assert.Equal([-1.0, 3, 7, -4, 0, 9], sorted.ToArray<double>());
        Assert.Equal([1L, 0, 2, 2, 0, 1], order.ToArray<long>());
        (Tensor descending, _) = x.Sort(0, descending: true);
        Assert.Equal([3.0, 9, 7, 0, -1, -4], descending.ToArray<double>());
    }

    [Fact]
    public void Reductions_OfIntegerTensors_FollowPyTorchDTypes()
    {
        using var scope = TensorScope.Begin();
        Tensor i = Tensor.From<int>([1, 2, 3], [3]);
        Assert.Equal(DType.Int64, i.Sum().DType);
        Assert.Equal(DType.Int32, i.Max().DType);
        Assert.Throws<TorchException>(() => i.Mean());
        Assert.Equal(2.0, i.To(DType.Float64).Mean().Item());
    }
}
