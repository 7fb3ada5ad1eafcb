using DeepUnlearn.Torch.Tests.Support;
using Xunit;
using F = DeepUnlearn.Torch.Nn.Functional;

namespace DeepUnlearn.Torch.Tests.Ops;

/// <summary>Indexers, index_select, gather, scatter, masks, index_put, nonzero and one_hot.</summary>
public class IndexingTests
{
    private static Tensor Matrix() => Tensor.Arange(0, 12, 1, DType.Float64).Reshape(3, 4);

    [Fact]
    public void Indexers_SelectRowsByNumberAndByIdTensor()
    {
        using var scope = TensorScope.Begin();
        Tensor x = Matrix();
        Assert.Equal([4.0, 5, 6, 7], x[1].ToArray<double>());
        Assert.Equal([8.0, 9, 10, 11], x[-1].ToArray<double>());
        Tensor rows = x[Tensor.From<long>([2, 0, 2], [3])];
        Assert.Equal([3L, 4L], rows.ShapeArray());
        Assert.Equal([8.0, 9, 10, 11, 0, 1, 2, 3, 8, 9, 10, 11], rows.ToArray<double>());
        Assert.Equal([1.0, 3, 5, 7, 9, 11], x.IndexSelect(1, Tensor.From<long>([1, 3], [2])).ToArray<double>());
        Assert.Throws<TorchException>(() => x[3]);
        Assert.Throws<TorchException>(() => x[Tensor.From<long>([5], [1])]);
    }

    [Fact]
    public void GatherScatter_FollowTheirDefinitions()
    {
        using var scope = TensorScope.Begin();
        Tensor x = Matrix();
        Tensor index = Tensor.From<long>([3, 0, 1, 1, 0, 2], [3, 2]);
        // out[i][j] = x[i][index[i][j]].
        Assert.Equal([3.0, 0, 5, 5, 8, 10], x.Gather(1, index).ToArray<double>());
        Tensor src = Tensor.From<double>([-1, -2, -3, -4, -5, -6], [3, 2]);
        // out[i][scatterIndex[i][j]] = src[i][j] (indices distinct per row: duplicates are unspecified).
        Tensor scatterIndex = Tensor.From<long>([3, 0, 2, 1, 0, 2], [3, 2]);
        Assert.Equal([-2.0, 1, 2, -1, 4, -4, -3, 7, -5, 9, -6, 11], x.Scatter(1, scatterIndex, src).ToArray<double>());
        Assert.Equal([9.0, 1, 2, 9, 4, 9, 9, 7, 9, 9, 9, 11], x.Scatter(1, scatterIndex, 9).ToArray<double>());
        // Scatter-add sums duplicates: row 1 adds −3 and −4 at column 1.
        Tensor added = Tensor.Zeros([3, 4], DType.Float64).ScatterAdd(1, index, src);
        Assert.Equal([-2.0, 0, 0, -1, 0, -7, 0, 0, -5, 0, -6, 0], added.ToArray<double>());
        Assert.Equal([0.0, 1, 2, 3], x[0].ToArray<double>());
    }

    [Fact]
    public void MaskedOps_FillSelectAndNonZero()
    {
        using var scope = TensorScope.Begin();
        Tensor x = Tensor.From<double>([1, -2, 3, -4], [2, 2]);
        Tensor negative = x.Lt(0);
        Assert.Equal([1.0, 0, 3, 0], x.MaskedFill(negative, 0).ToArray<double>());
        Assert.Equal([1.0, -2, 3, -4], x.ToArray<double>());
        Assert.Equal([-2.0, -4], x.MaskedSelect(negative).ToArray<double>());
        Assert.Equal([1.0, 5, 3, 5], x.MaskedFill(Tensor.From<bool>([false, true], [2]), 5).ToArray<double>());
        Assert.Same(x, x.MaskedFillInPlace(negative, double.NegativeInfinity));
        Assert.Equal([1.0, double.NegativeInfinity, 3, double.NegativeInfinity], x.ToArray<double>());
        Tensor nz = negative.NonZero();
        Assert.Equal([2L, 2L], nz.ShapeArray());
        Assert.Equal([0L, 1, 1, 1], nz.ToArray<long>());
    }

    [Fact]
    public void IndexPutInPlace_WritesOrAccumulatesRows()
    {
        using var scope = TensorScope.Begin();
        Tensor x = Tensor.Zeros([3, 2], DType.Float64);
        Tensor rows = Tensor.From<long>([2, 0], [2]);
        Assert.Same(x, x.IndexPutInPlace(rows, Tensor.From<double>([1, 2, 3, 4], [2, 2])));
        Assert.Equal([3.0, 4, 0, 0, 1, 2], x.ToArray<double>());
        x.IndexPutInPlace(Tensor.From<long>([1, 1], [2]), Tensor.Ones([2, 2], DType.Float64), accumulate: true);
        Assert.Equal([3.0, 4, 2, 2, 1, 2], x.ToArray<double>());
    }

    [Fact]
    public void OneHot_EncodesIndices()
    {
        using var scope = TensorScope.Begin();
        Tensor labels = Tensor.From<long>([2, 0, 1], [3]);
        Tensor oneHot = F.OneHot(labels, 4);
        Assert.Equal(DType.Int64, oneHot.DType);
        Assert.Equal([3L, 4L], oneHot.ShapeArray());
        Assert.Equal([0L, 0, 1, 0, 1, 0, 0, 0, 0, 1, 0, 0], oneHot.ToArray<long>());
        Assert.Equal([3L, 3L], F.OneHot(labels).ShapeArray());
        Assert.Equal([2L, 2L, 3L], F.OneHot(Tensor.From<long>([0, 1, 2, 0], [2, 2])).ShapeArray());
        Assert.Throws<TorchException>(() => F.OneHot(labels, 2));
        TensorAssert.Close([1, 1, 1], F.OneHot(labels, 4).To(DType.Float64).Sum(0).Narrow(0, 0, 3), 0, 0);
    }
}
