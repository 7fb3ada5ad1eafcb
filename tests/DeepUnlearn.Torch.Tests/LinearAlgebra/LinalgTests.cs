using System;
using DeepUnlearn.Torch.Tests.Support;
using Xunit;

namespace DeepUnlearn.Torch.Tests.LinearAlgebra;

/// <summary>Each decomposition checked by its defining identities, in float64.</summary>
public class LinalgTests
{
    private const double Tol = 1e-12;

    [Fact]
    public void Svd_Reduced_ReconstructsWithOrthonormalFactorsAndDescendingValues()
    {
        using var scope = TensorScope.Begin();
        Tensor a = TestData.Normal(1, [5, 3]);
        (Tensor u, Tensor s, Tensor vh) = Torch.Linalg.Svd(a);
        Assert.Equal([5L, 3L], u.ShapeArray());
        Assert.Equal([3L], s.ShapeArray());
        Assert.Equal([3L, 3L], vh.ShapeArray());
        AssertClose(a, u.MatMul(Diag(s)).MatMul(vh), "U·diag(S)·Vh");
        AssertClose(Tensor.Eye(3, dtype: DType.Float64), u.T().MatMul(u), "UᵀU");
        AssertClose(Tensor.Eye(3, dtype: DType.Float64), vh.MatMul(vh.T()), "Vh·Vhᵀ");
        double[] values = s.ToArray<double>();
        Assert.True(values[0] >= values[1] && values[1] >= values[2] && values[2] > 0, "singular values descend");
    }

    [Fact]
    public void Svd_FullMatricesAndBatched_AreOrthonormalAndReconstruct()
    {
        using var scope = TensorScope.Begin();
        (Tensor u, _, Tensor vh) = Torch.Linalg.Svd(TestData.Normal(2, [4, 2]), fullMatrices: true);
        Assert.Equal([4L, 4L], u.ShapeArray());
        Assert.Equal([2L, 2L], vh.ShapeArray());
        AssertClose(Tensor.Eye(4, dtype: DType.Float64), u.T().MatMul(u), "full U");
        Tensor batch = TestData.Normal(3, [2, 3, 3]);
        (Tensor bu, Tensor bs, Tensor bvh) = Torch.Linalg.Svd(batch);
        AssertClose(batch, bu.MatMul(bs.Unsqueeze(-1).Mul(bvh)), "batched U·diag(S)·Vh");
    }

    [Fact]
    public void Eigh_Symmetric_SatisfiesAvEqualsVLambdaAscending()
    {
        using var scope = TensorScope.Begin();
        Tensor b = TestData.Normal(4, [4, 4]);
        Tensor a = b + b.T();
        (Tensor lambda, Tensor v) = Torch.Linalg.Eigh(a);
        AssertClose(a.MatMul(v), v.MatMul(Diag(lambda)), "A·V = V·diag(λ)");
        AssertClose(Tensor.Eye(4, dtype: DType.Float64), v.T().MatMul(v), "VᵀV");
        double[] values = lambda.ToArray<double>();
        for (int i = 1; i < values.Length; i++)
        {
            Assert.True(values[i - 1] <= values[i], $"eigenvalues ascend: {values[i - 1]} > {values[i]}");
        }
        // Only the lower triangle is read.
        Tensor upperGarbage = a.Add(Tensor.Ones([4, 4], DType.Float64).Mul(100).Mul(Triu(4)));
        TensorAssert.Close(values, Torch.Linalg.Eigh(upperGarbage).Eigenvalues, Tol, Tol, "eigenvalues from the lower triangle");
    }

    [Fact]
    public void Qr_ReducedAndComplete_ReconstructWithOrthonormalQAndUpperTriangularR()
    {
        using var scope = TensorScope.Begin();
        Tensor a = TestData.Normal(5, [5, 3]);
        (Tensor q, Tensor r) = Torch.Linalg.Qr(a);
        Assert.Equal([5L, 3L], q.ShapeArray());
        Assert.Equal([3L, 3L], r.ShapeArray());
        AssertClose(a, q.MatMul(r), "Q·R");
        AssertClose(Tensor.Eye(3, dtype: DType.Float64), q.T().MatMul(q), "QᵀQ");
        AssertLowerPartZero(r, "R");
        (Tensor qc, Tensor rc) = Torch.Linalg.Qr(a, complete: true);
        Assert.Equal([5L, 5L], qc.ShapeArray());
        Assert.Equal([5L, 3L], rc.ShapeArray());
        AssertClose(a, qc.MatMul(rc), "complete Q·R");
        AssertClose(Tensor.Eye(5, dtype: DType.Float64), qc.T().MatMul(qc), "complete QᵀQ");
        AssertLowerPartZero(rc, "complete R");
    }

    [Fact]
    public void Cholesky_PositiveDefinite_FactorsLowerAndUpper()
    {
        using var scope = TensorScope.Begin();
        Tensor a = SymmetricPositiveDefinite(6, 4);
        Tensor l = Torch.Linalg.Cholesky(a);
        AssertClose(a, l.MatMul(l.T()), "L·Lᵀ");
        AssertLowerPartZero(l.T(), "Lᵀ (L lower triangular)");
        Assert.All(Diagonal(l), d => Assert.True(d > 0, "positive diagonal"));
        Tensor u = Torch.Linalg.Cholesky(a, upper: true);
        AssertClose(a, u.T().MatMul(u), "Uᵀ·U");
        AssertClose(l.T(), u, "U = Lᵀ");
    }

    [Fact]
    public void Cholesky_NotPositiveDefinite_ThrowsTorchException()
    {
        using var scope = TensorScope.Begin();
        Tensor a = Tensor.From<double>([1, 2, 2, 1], [2, 2]);
        var e = Assert.Throws<TorchException>(() => Torch.Linalg.Cholesky(a));
        Assert.Contains("positive-definite", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SolveAndInverse_SatisfyTheirEquations()
    {
        using var scope = TensorScope.Begin();
        Tensor a = TestData.Normal(7, [4, 4]) + Tensor.Eye(4, dtype: DType.Float64).Mul(3);
        Tensor b = TestData.Normal(8, [4, 2]);
        Tensor x = Torch.Linalg.Solve(a, b);
        AssertClose(b, a.MatMul(x), "A·X = B");
        Tensor vector = TestData.Normal(9, [4]);
        AssertClose(vector, a.MatMul(Torch.Linalg.Solve(a, vector)), "A·x = b");
        Tensor inverse = Torch.Linalg.Inverse(a);
        AssertClose(Tensor.Eye(4, dtype: DType.Float64), a.MatMul(inverse), "A·A⁻¹");
        AssertClose(Tensor.Eye(4, dtype: DType.Float64), inverse.MatMul(a), "A⁻¹·A");
        Tensor singular = Tensor.From<double>([1, 2, 2, 4], [2, 2]);
        Assert.Throws<TorchException>(() => Torch.Linalg.Inverse(singular));
        Assert.Throws<TorchException>(() => Torch.Linalg.Solve(singular, Tensor.Ones([2], DType.Float64)));
    }

    [Fact]
    public void Pinv_RankDeficient_SatisfiesPenroseConditions()
    {
        using var scope = TensorScope.Begin();
        // Rank 2 in a 5 × 4 matrix.
        Tensor a = TestData.Normal(10, [5, 2]).MatMul(TestData.Normal(11, [2, 4]));
        Tensor p = Torch.Linalg.Pinv(a);
        Assert.Equal([4L, 5L], p.ShapeArray());
        AssertPenrose(a, p);
        // Hermitian variant on a symmetric positive semi-definite matrix of rank 2.
        Tensor c = TestData.Normal(12, [4, 2]);
        Tensor symmetric = c.MatMul(c.T());
        AssertPenrose(symmetric, Torch.Linalg.Pinv(symmetric, hermitian: true));
    }

    private static void AssertPenrose(Tensor a, Tensor p)
    {
        AssertClose(a, a.MatMul(p).MatMul(a), "A·A⁺·A = A", 1e-10);
        AssertClose(p, p.MatMul(a).MatMul(p), "A⁺·A·A⁺ = A⁺", 1e-10);
        Tensor ap = a.MatMul(p);
        Tensor pa = p.MatMul(a);
        AssertClose(ap, ap.T(), "(A·A⁺)ᵀ = A·A⁺", 1e-10);
        AssertClose(pa, pa.T(), "(A⁺·A)ᵀ = A⁺·A", 1e-10);
    }

    private static Tensor SymmetricPositiveDefinite(int seed, int n)
    {
        Tensor b = TestData.Normal(seed, [n, n]);
        return b.MatMul(b.T()) + Tensor.Eye(n, dtype: DType.Float64);
    }

    private static Tensor Diag(Tensor values)
    {
        long n = values.Size(0);
        return Tensor.Eye(n, dtype: DType.Float64).Mul(values.Unsqueeze(0));
    }

    private static Tensor Triu(int n)
    {
        var mask = new double[n * n];
        for (int i = 0; i < n; i++)
        {
            for (int j = i + 1; j < n; j++)
            {
                mask[i * n + j] = 1;
            }
        }
        return Tensor.From<double>(mask, [n, n]);
    }

    private static double[] Diagonal(Tensor m)
    {
        long n = m.Size(0);
        double[] v = m.ToArray<double>();
        var d = new double[n];
        for (int i = 0; i < n; i++)
        {
            d[i] = v[i * n + i];
        }
        return d;
    }

    private static void AssertLowerPartZero(Tensor m, string what)
    {
        long rows = m.Size(0), cols = m.Size(1);
        double[] v = m.ToArray<double>();
        for (int i = 0; i < rows; i++)
        {
            for (int j = 0; j < Math.Min(i, cols); j++)
            {
                Assert.True(v[i * cols + j] == 0, $"{what}[{i}, {j}] = {v[i * cols + j]} below the diagonal");
            }
        }
    }

    private static void AssertClose(Tensor expected, Tensor actual, string what, double tol = Tol) =>
        TensorAssert.Close(expected.ToArray<double>(), expected.ShapeArray(), actual, tol, tol, what);
}
