using System;
using System.Linq;
using DeepUnlearn.Torch;
using DeepUnlearn.Torch.Nn;
using DeepUnlearn.Unlearning.Methods.Pgu;
using Xunit;

namespace DeepUnlearn.Tests.Unlearning.Methods;

/// <summary>PGU's projection: the energy rule, either stored basis, and that a projected step leaves retain-span outputs unchanged.</summary>
public class PguProjectorTests
{
    [Fact]
    public void Step_Linear_KeepsOutputsOnTheRetainSubspaceAndChangesThemOffIt()
    {
        using var scope = TensorScope.Begin();
        using var generator = new Generator(7);
        // Retain inputs span a known 2-D subspace of R^6 (orthonormal basis Q).
        var (q, _) = Linalg.Qr(Tensor.Randn([6, 2], DType.Float64, generator: generator));
        Tensor retainInputs = Tensor.Randn([40, 2], DType.Float64, generator: generator).Mm(q.T()); // rows in span(Q)
        using PguProjector projector = PguProjector.FromCovariance(retainInputs.T().Mm(retainInputs), 0.95, DType.Float64);
        Assert.Equal(2, projector.Rank);
        Tensor p = projector.Matrix();
        AssertClose(q.Mm(q.T()), p, 1e-10);

        using var layer = new Linear(6, 3);
        layer.To(DType.Float64);
        Tensor before;
        Tensor offSubspace = Tensor.Randn([5, 6], DType.Float64, generator: generator);
        offSubspace = offSubspace.Sub(offSubspace.Mm(p)); // the orthogonal complement of span(Q)
        Tensor beforeOff;
        using (LibTorch.NoGrad())
        {
            before = layer.Forward(retainInputs);
            beforeOff = layer.Forward(offSubspace);
        }
        // A gradient from generic inputs, then one projected step.
        Tensor generic = Tensor.Randn([8, 6], DType.Float64, generator: generator);
        layer.Forward(generic).Square().Sum().Backward();
        Tensor biasBefore = layer.Bias!.Detach().Clone();
        projector.Step(layer.Weight, learningRate: 0.5);

        using (LibTorch.NoGrad())
        {
            AssertClose(before, layer.Forward(retainInputs), 1e-10);
            double moved = layer.Forward(offSubspace).Sub(beforeOff).Abs().Max().Item();
            Assert.True(moved > 1e-2, $"outputs off the retain subspace moved by only {moved}");
        }
        AssertClose(biasBefore, layer.Bias!, 0); // PGU updates weights only
    }

    [Fact]
    public void Step_Conv_ProjectsRowsOfTheUnfoldedWeight()
    {
        using var scope = TensorScope.Begin();
        using var generator = new Generator(11);
        using var conv = new Conv2d(2, 4, 3, stride: 2, bias: false);
        conv.To(DType.Float64);
        // Retain images are per-channel constants, so every 3×3 patch is (a·1₉, b·1₉): a 2-D span in R^18
        // (channel-major, as the weight's rows [out, in·3·3]).
        Tensor retain = Tensor.Randn([6, 2, 1, 1], DType.Float64, generator: generator).Repeat(1, 1, 7, 7).Contiguous();
        Tensor patches = Functional.Unfold(retain, 3, 1, 0, 2).Transpose(1, 2).Reshape(-1, 18);
        using PguProjector projector = PguProjector.FromCovariance(patches.T().Mm(patches), 0.99, DType.Float64);
        Assert.Equal(2, projector.Rank);
        Tensor before;
        Tensor other = Tensor.Randn([3, 2, 7, 7], DType.Float64, generator: generator);
        Tensor otherBefore;
        using (LibTorch.NoGrad())
        {
            before = conv.Forward(retain);
            otherBefore = conv.Forward(other);
        }
        conv.Forward(other).Square().Sum().Backward();
        projector.Step(conv.Weight, learningRate: 0.1);
        using (LibTorch.NoGrad())
        {
            AssertClose(before, conv.Forward(retain), 1e-9);
            Assert.True(conv.Forward(other).Sub(otherBefore).Abs().Max().Item() > 1e-3);
        }
    }

    [Theory]
    [InlineData(0.95, 4)]
    [InlineData(0.9, 4)]   // the cumulative share must exceed ε: 0.9 is not > 0.9
    [InlineData(0.8, 3)]
    [InlineData(0.5, 2)]
    [InlineData(0.3, 1)]
    public void FromCovariance_KeepsDirectionsUntilTheirSingularValuesExceedTheShare(double energy, int expectedRank)
    {
        using var scope = TensorScope.Begin();
        // Eigenvalues 16, 9, 4, 1 and 0 in a rotated basis: σ = 4, 3, 2, 1, 0, cumulative shares .4 .7 .9 1 1.
        using var generator = new Generator(5);
        var (basis, _) = Linalg.Qr(Tensor.Randn([5, 5], DType.Float64, generator: generator));
        Tensor covariance = basis.Mul(Tensor.From<double>([16, 9, 4, 1, 0], [5])).Mm(basis.T()); // B·diag(λ)·Bᵀ
        using PguProjector projector = PguProjector.FromCovariance(covariance, energy, DType.Float64);
        Assert.Equal(expectedRank, projector.Rank);
        Tensor kept = basis.Narrow(1, 0, expectedRank);
        AssertClose(kept.Mm(kept.T()), projector.Matrix(), 1e-9);
    }

    [Theory]
    [InlineData(2)]    // k ≤ d/5: the projector keeps U_k and forms G − (G·U_k)·U_kᵀ
    [InlineData(18)]   // d − k ≤ d/5: it keeps the complement U_⊥ and forms (G·U_⊥)·U_⊥ᵀ
    [InlineData(10)]   // both large: it forms G·(I − P) with the dense complement projection
    [InlineData(0)]    // nothing to protect: G unchanged
    [InlineData(20)]   // everything protected: G·(I − P) = 0
    public void Project_EveryForm_EqualsGMinusGTimesTheConstructedProjection(int rank)
    {
        using var scope = TensorScope.Begin();
        using var generator = new Generator(3);
        const int d = 20;
        // A covariance with a known rank-k range Q_k (eigenvalues 5..1 on it, 0 elsewhere).
        var (q, _) = Linalg.Qr(Tensor.Randn([d, d], DType.Float64, generator: generator));
        double[] lambda = Enumerable.Range(0, d).Select(i => i < rank ? 5.0 - (4.0 * i / Math.Max(rank - 1, 1)) : 0).ToArray();
        Tensor covariance = q.Mul(Tensor.From<double>(lambda, [d])).Mm(q.T());
        using PguProjector projector = PguProjector.FromCovariance(covariance, 0.99, DType.Float64);
        Assert.Equal(rank, projector.Rank);
        Tensor qk = q.Narrow(1, 0, rank);
        Tensor g = Tensor.Randn([4, d], DType.Float64, generator: generator);
        Tensor expected = g.Sub(g.Mm(qk).Mm(qk.T())); // G − G·Q_k·Q_kᵀ
        AssertClose(expected, projector.Project(g), 1e-9);
        AssertClose(qk.Mm(qk.T()), projector.Matrix(), 1e-9);
    }

    private static void AssertClose(Tensor expected, Tensor actual, double tolerance)
    {
        using var scope = TensorScope.Begin();
        using var noGrad = LibTorch.NoGrad();
        double[] e = expected.To(DType.Float64).ToArray<double>();
        double[] a = actual.To(DType.Float64).ToArray<double>();
        Assert.Equal(e.Length, a.Length);
        double worst = e.Zip(a, (x, z) => Math.Abs(x - z)).Max();
        Assert.True(worst <= tolerance, $"largest difference {worst} > {tolerance}");
    }
}
