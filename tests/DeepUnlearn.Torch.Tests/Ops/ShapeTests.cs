using System;
using Xunit;

namespace DeepUnlearn.Torch.Tests.Ops;

/// <summary>Views and re-arrangements on arange(6) shaped [2, 3]: [[0, 1, 2], [3, 4, 5]].</summary>
public class ShapeTests
{
    private static Tensor Matrix() => Tensor.Arange(0, 6, 1, DType.Float64).Reshape(2, 3);

    [Fact]
    public void ReshapeView_KeepRowMajorOrder()
    {
        using var scope = TensorScope.Begin();
        Tensor x = Matrix();
        Tensor r = x.Reshape(3, -1);
        Assert.Equal([3L, 2L], r.ShapeArray());
        Assert.Equal([0.0, 1, 2, 3, 4, 5], r.ToArray<double>());
        Tensor v = x.View(6);
        v.MulInPlace(2);
        Assert.Equal([0.0, 2, 4, 6, 8, 10], x.ToArray<double>());
        Assert.Equal([6L], x.Reshape(-1).ShapeArray());
        var e = Assert.Throws<TorchException>(() => x.Transpose(0, 1).View(6));
        Assert.Contains("view size is not compatible", e.Message, StringComparison.Ordinal);
        Assert.Equal([0.0, 6, 2, 8, 4, 10], x.Transpose(0, 1).Reshape(6).ToArray<double>());
        Assert.Throws<TorchException>(() => x.Reshape(4, -1));
    }

    [Fact]
    public void PermuteTransposeTFlip_RearrangeElements()
    {
        using var scope = TensorScope.Begin();
        Tensor x = Matrix();
        Assert.Equal([0.0, 3, 1, 4, 2, 5], x.T().ToArray<double>());
        Assert.Equal([3L, 2L], x.Transpose(0, 1).ShapeArray());
        Tensor cube = Tensor.Arange(0, 24, 1, DType.Float64).Reshape(2, 3, 4);
        Tensor p = cube.Permute(2, 0, 1);
        Assert.Equal([4L, 2L, 3L], p.ShapeArray());
        // p[k, i, j] = cube[i, j, k] = 12i + 4j + k.
        double[] values = p.ToArray<double>();
        Assert.Equal(12 * 1 + 4 * 2 + 3, values[(3 * 2 + 1) * 3 + 2]);
        Assert.Equal([2.0, 1, 0, 5, 4, 3], x.Flip(1).ToArray<double>());
        Assert.Equal([5.0, 4, 3, 2, 1, 0], x.Flip(0, 1).ToArray<double>());
    }

    [Fact]
    public void FlattenSqueezeUnsqueeze_ChangeOnlyTheShape()
    {
        using var scope = TensorScope.Begin();
        Tensor x = Tensor.Arange(0, 24, 1, DType.Float64).Reshape(2, 1, 3, 4);
        Assert.Equal([24L], x.Flatten().ShapeArray());
        Assert.Equal([2L, 12L], x.Flatten(1).ShapeArray());
        Assert.Equal([2L, 3L, 4L], x.Flatten(1, 2).ShapeArray());
        Assert.Equal([2L, 3L, 4L], x.Squeeze().ShapeArray());
        Assert.Equal([2L, 3L, 4L], x.Squeeze(1).ShapeArray());
        Assert.Equal([2L, 1L, 3L, 4L], x.Squeeze(0).ShapeArray());
        Assert.Equal([2L, 1L, 3L, 4L, 1L], x.Unsqueeze(-1).ShapeArray());
        Assert.Equal([1L, 2L, 1L, 3L, 4L], x.Unsqueeze(0).ShapeArray());
        Assert.Equal(x.ToArray<double>(), x.Unsqueeze(2).Flatten().ToArray<double>());
    }

    [Fact]
    public void ExpandRepeatPad_BroadcastTileAndPad()
    {
        using var scope = TensorScope.Begin();
        Tensor row = Tensor.From<double>([1, 2, 3], [1, 3]);
        Tensor expanded = row.Expand(2, 3);
        Assert.Equal([0L, 1L], expanded.Strides());
        Assert.Equal([1.0, 2, 3, 1, 2, 3], expanded.ToArray<double>());
        Assert.Equal([1.0, 2, 3, 1, 2, 3], row.Expand(2, -1).ToArray<double>());
        Assert.Throws<TorchException>(() => row.Expand(2, 4));
        Tensor repeated = row.Repeat(2, 2);
        Assert.Equal([2L, 6L], repeated.ShapeArray());
        Assert.Equal([1.0, 2, 3, 1, 2, 3, 1, 2, 3, 1, 2, 3], repeated.ToArray<double>());
        Tensor padded = row.Pad([1, 2], -1);
        Assert.Equal([-1.0, 1, 2, 3, -1, -1], padded.ToArray<double>());
        Tensor padded2 = row.Pad([0, 0, 1, 0]);
        Assert.Equal([2L, 3L], padded2.ShapeArray());
        Assert.Equal([0.0, 0, 0, 1, 2, 3], padded2.ToArray<double>());
    }

    [Fact]
    public void CatStack_JoinAlongDims()
    {
        using var scope = TensorScope.Begin();
        Tensor a = Matrix();
        Tensor b = Tensor.From<double>([6, 7, 8], [1, 3]);
        Tensor rows = Tensor.Cat([a, b]);
        Assert.Equal([3L, 3L], rows.ShapeArray());
        Assert.Equal([0.0, 1, 2, 3, 4, 5, 6, 7, 8], rows.ToArray<double>());
        Tensor columns = Tensor.Cat([a, a.Narrow(1, 0, 1)], 1);
        Assert.Equal([2L, 4L], columns.ShapeArray());
        Assert.Equal([0.0, 1, 2, 0, 3, 4, 5, 3], columns.ToArray<double>());
        Tensor stacked = Tensor.Stack([a, a.Neg()], 1);
        Assert.Equal([2L, 2L, 3L], stacked.ShapeArray());
        Assert.Equal([0.0, 1, 2, -0.0, -1, -2, 3, 4, 5, -3, -4, -5], stacked.ToArray<double>());
        Assert.Equal([2L, 3L, 2L], Tensor.Stack([a, a], -1).ShapeArray());
        var e = Assert.Throws<TorchException>(() => Tensor.Cat([a, Tensor.Zeros([1, 4], DType.Float64)]));
        Assert.Contains("Sizes of tensors must match", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SplitChunkNarrowSelect_CutIntoPieces()
    {
        using var scope = TensorScope.Begin();
        Tensor x = Tensor.Arange(0, 10, 1, DType.Float64).Reshape(5, 2);
        Tensor[] pieces = x.Split(2);
        Assert.Equal(3, pieces.Length);
        Assert.Equal([2L, 2L], pieces[0].ShapeArray());
        Assert.Equal([1L, 2L], pieces[2].ShapeArray());
        Assert.Equal([8.0, 9], pieces[2].ToArray<double>());
        Tensor[] columns = x.Split(1, 1);
        Assert.Equal([0.0, 2, 4, 6, 8], columns[0].ToArray<double>());
        Tensor[] chunks = x.Chunk(2);
        Assert.Equal(2, chunks.Length);
        Assert.Equal([3L, 2L], chunks[0].ShapeArray());
        Assert.Equal([2L, 2L], chunks[1].ShapeArray());
        Assert.Equal([6.0, 7, 8, 9], chunks[1].ToArray<double>());
        Tensor middle = x.Narrow(0, 1, 3);
        Assert.Equal([2.0, 3, 4, 5, 6, 7], middle.ToArray<double>());
        middle.ZeroInPlace();
        Assert.Equal([0.0, 1, 0, 0, 0, 0, 0, 0, 8, 9], x.ToArray<double>());
        Assert.Equal([1.0, 0, 0, 0, 9], x.Select(1, 1).ToArray<double>());
        Assert.Throws<TorchException>(() => x.Narrow(0, 4, 2));
    }
}
