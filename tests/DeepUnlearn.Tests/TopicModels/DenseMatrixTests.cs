using System;
using DeepUnlearn.Engine;
using DeepUnlearn.TopicModels;
using TorchSharp;
using Xunit;

namespace DeepUnlearn.Tests.TopicModels;

/// <summary>
/// The double[,] ↔ tensor conversions every topic-model computation goes through: the symmetric matrices most of
/// them see would hide a transposed or scrambled layout, so these use non-square, non-symmetric values.
/// </summary>
public sealed class DenseMatrixTests
{
    private static readonly double[,] s_matrix = { { 1, 2, 3 }, { 4, 5, 6 } };

    public DenseMatrixTests() => TorchRuntime.EnsureInitialized();

    [Fact]
    public void ToTensor_NonSquare_KeepsRowMajorLayoutAndFloat64()
    {
        using var scope = torch.NewDisposeScope();
        torch.Tensor t = DenseMatrix.ToTensor(s_matrix);
        Assert.Equal([2L, 3L], t.shape);
        Assert.Equal(torch.ScalarType.Float64, t.dtype);
        Assert.Equal(3.0, t[0][2].ToDouble());
        Assert.Equal(4.0, t[1][0].ToDouble());
        Assert.Equal(s_matrix, DenseMatrix.FromTensor(t));
    }

    [Fact]
    public void FromTensorAndToArray_Views_ReadTheViewedValues()
    {
        using var scope = torch.NewDisposeScope();
        torch.Tensor t = DenseMatrix.ToTensor(s_matrix);
        // A transposed (non-contiguous) view, and a row at a storage offset in another dtype.
        Assert.Equal(new double[,] { { 1, 4 }, { 2, 5 }, { 3, 6 } }, DenseMatrix.FromTensor(t.t()));
        Assert.Equal([4.0, 5.0, 6.0], DenseMatrix.ToArray(t.to(torch.ScalarType.Float32)[1]));
        var vector = Assert.Throws<ArgumentException>(() => DenseMatrix.FromTensor(t[0]));
        Assert.Contains("expected a matrix, got shape [3]", vector.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Solve_NonSymmetricSystem_MatchesHandSolution()
    {
        // [[2, 1], [0, 4]] x = [5, 8]: x₂ = 2, x₁ = (5 − 2)/2 = 1.5; the transpose would give x = (2.5, 1.375).
        double[] x = TopicClassifierHead.Solve(new double[,] { { 2, 1 }, { 0, 4 } }, [5, 8]);
        Assert.Equal(1.5, x[0], 14);
        Assert.Equal(2.0, x[1], 14);
    }
}
