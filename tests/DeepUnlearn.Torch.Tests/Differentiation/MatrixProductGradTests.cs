using DeepUnlearn.Torch.Tests.Support;
using Xunit;

namespace DeepUnlearn.Torch.Tests.Differentiation;

/// <summary>matmul, mm, bmm, addmm, outer and dot: hand-computed values and finite differences.</summary>
public class MatrixProductGradTests
{
    [Fact]
    public void MatrixProducts_SmallInputs_MatchHandComputed()
    {
        using var scope = TensorScope.Begin();
        Tensor a = Tensor.From<double>([1, 2, 3, 4, 5, 6], [2, 3]);
        Tensor b = Tensor.From<double>([1, 0, -1, 2, 0.5, 1], [3, 2]);
        double[] ab = [1 - 2 + 1.5, 0 + 4 + 3, 4 - 5 + 3, 0 + 10 + 6];
        TensorAssert.Close(ab, [2, 2], a.Mm(b), 0, 0, "mm");
        TensorAssert.Close(ab, [2, 2], a.MatMul(b), 0, 0, "matmul");
        Tensor c = Tensor.From<double>([1, 1, 1, 1], [2, 2]);
        TensorAssert.Close([2 * 1 + 3 * ab[0], 2 + 3 * ab[1], 2 + 3 * ab[2], 2 + 3 * ab[3]], [2, 2], c.AddMm(a, b, beta: 2, alpha: 3), 0, 0, "addmm");
        Tensor u = Tensor.From<double>([1, 2], [2]);
        Tensor v = Tensor.From<double>([3, 4, 5], [3]);
        TensorAssert.Close([3, 4, 5, 6, 8, 10], [2, 3], u.Outer(v), 0, 0, "outer");
        TensorAssert.Close([1 * 3 + 2 * 4 + 3 * 5, 4 * 3 + 5 * 4 + 6 * 5], [2], a.MatMul(v), 0, 0, "matrix-vector matmul");
        TensorAssert.Close(9 + 16 + 25, v.Dot(v).Item(), 0, 0, "dot");
        Tensor batch = Tensor.Stack([a, a.Mul(2)]);
        Tensor bs = Tensor.Stack([b, b]);
        TensorAssert.Close([.. ab, .. System.Array.ConvertAll(ab, x => 2 * x)], [2, 2, 2], batch.Bmm(bs), 0, 0, "bmm");
    }

    [Fact]
    public void MatMul_BroadcastingAndVectorCases_GradientsMatchFiniteDifferences()
    {
        using var scope = TensorScope.Begin();
        GradCheck.Check(xs => xs[0].MatMul(xs[1]), [TestData.Normal(1, [2, 3]), TestData.Normal(2, [3, 4])], "2-D x 2-D");
        GradCheck.Check(xs => xs[0].MatMul(xs[1]), [TestData.Normal(3, [2, 2, 3]), TestData.Normal(4, [3, 2])], "batched x 2-D");
        GradCheck.Check(xs => xs[0].MatMul(xs[1]), [TestData.Normal(5, [3]), TestData.Normal(6, [3, 2])], "vector x matrix");
        GradCheck.Check(xs => xs[0].MatMul(xs[1]), [TestData.Normal(7, [2, 3]), TestData.Normal(8, [3])], "matrix x vector");
    }

    [Fact]
    public void MmBmmAddMmOuterDot_GradientsMatchFiniteDifferences()
    {
        using var scope = TensorScope.Begin();
        GradCheck.Check(xs => xs[0].Mm(xs[1]), [TestData.Normal(10, [3, 2]), TestData.Normal(11, [2, 4])], "mm");
        GradCheck.Check(xs => xs[0].Bmm(xs[1]), [TestData.Normal(12, [2, 3, 2]), TestData.Normal(13, [2, 2, 3])], "bmm");
        GradCheck.Check(xs => xs[0].AddMm(xs[1], xs[2], beta: 0.5, alpha: -2), [TestData.Normal(14, [3, 4]), TestData.Normal(15, [3, 2]), TestData.Normal(16, [2, 4])], "addmm");
        GradCheck.Check(xs => xs[0].AddMm(xs[1], xs[2]), [TestData.Normal(17, [4]), TestData.Normal(18, [3, 2]), TestData.Normal(19, [2, 4])], "addmm with broadcast bias");
        GradCheck.Check(xs => xs[0].Outer(xs[1]), [TestData.Normal(20, [3]), TestData.Normal(21, [4])], "outer");
        GradCheck.Check(xs => xs[0].Dot(xs[1]), [TestData.Normal(22, [5]), TestData.Normal(23, [5])], "dot");
    }
}
