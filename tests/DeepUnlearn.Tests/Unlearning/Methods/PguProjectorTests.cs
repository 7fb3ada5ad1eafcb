using System;
using System.Linq;
using DeepUnlearn.Engine;
using DeepUnlearn.Unlearning.Methods.Pgu;
using TorchSharp;
using TorchSharp.Modules;
using Xunit;
using static TorchSharp.torch;

namespace DeepUnlearn.Tests.Unlearning.Methods;

/// <summary>PGU's projection: the energy rule, either stored basis, and that a projected step leaves retain-span outputs unchanged.</summary>
public class PguProjectorTests
{
    [Fact]
    public void Step_Linear_KeepsOutputsOnTheRetainSubspaceAndChangesThemOffIt()
    {
        using var scope = torch.NewDisposeScope();
        using var generator = new Generator(7);
        // Retain inputs span a known 2-D subspace of R^6 (orthonormal basis Q).
        var (q, _) = torch.linalg.qr(torch.randn([6, 2], ScalarType.Float64, generator: generator));
        Tensor retainInputs = torch.randn([40, 2], ScalarType.Float64, generator: generator).mm(q.T); // rows in span(Q)
        using PguProjector projector = PguProjector.FromCovariance(retainInputs.T.mm(retainInputs), 0.95, ScalarType.Float64);
        Assert.Equal(2, projector.Rank);
        Tensor p = projector.Matrix();
        AssertClose(q.mm(q.T), p, 1e-10);

        using Linear layer = nn.Linear(6, 3);
        SeededInitializer.Initialize(layer, 7, InitRules.PyTorchDefault);
        layer.to(ScalarType.Float64);
        Tensor before;
        Tensor offSubspace = torch.randn([5, 6], ScalarType.Float64, generator: generator);
        offSubspace = offSubspace.sub(offSubspace.mm(p)); // the orthogonal complement of span(Q)
        Tensor beforeOff;
        using (torch.no_grad())
        {
            before = layer.call(retainInputs);
            beforeOff = layer.call(offSubspace);
        }
        // A gradient from generic inputs, then one projected step.
        Tensor generic = torch.randn([8, 6], ScalarType.Float64, generator: generator);
        layer.call(generic).square().sum().backward();
        Tensor biasBefore = layer.bias!.detach().clone();
        projector.Step(layer.weight, learningRate: 0.5);

        using (torch.no_grad())
        {
            AssertClose(before, layer.call(retainInputs), 1e-10);
            double moved = layer.call(offSubspace).sub(beforeOff).abs().max().ToDouble();
            Assert.True(moved > 1e-2, $"outputs off the retain subspace moved by only {moved}");
        }
        AssertClose(biasBefore, layer.bias!, 0); // PGU updates weights only
    }

    [Fact]
    public void Step_Conv_ProjectsRowsOfTheUnfoldedWeight()
    {
        using var scope = torch.NewDisposeScope();
        using var generator = new Generator(11);
        using Conv2d conv = nn.Conv2d(2, 4, 3, stride: 2, bias: false);
        SeededInitializer.Initialize(conv, 11, InitRules.PyTorchDefault);
        conv.to(ScalarType.Float64);
        // Retain images are per-channel constants, so every 3×3 patch is (a·1₉, b·1₉): a 2-D span in R^18
        // (channel-major, as the weight's rows [out, in·3·3]).
        Tensor retain = torch.randn([6, 2, 1, 1], ScalarType.Float64, generator: generator).repeat(1, 1, 7, 7).contiguous();
        Tensor patches = torch.nn.functional.unfold(retain, 3, 1, 0, 2).transpose(1, 2).reshape(-1, 18);
        using PguProjector projector = PguProjector.FromCovariance(patches.T.mm(patches), 0.99, ScalarType.Float64);
        Assert.Equal(2, projector.Rank);
        Tensor before;
        Tensor other = torch.randn([3, 2, 7, 7], ScalarType.Float64, generator: generator);
        Tensor otherBefore;
        using (torch.no_grad())
        {
            before = conv.call(retain);
            otherBefore = conv.call(other);
        }
        conv.call(other).square().sum().backward();
        projector.Step(conv.weight, learningRate: 0.1);
        using (torch.no_grad())
        {
            AssertClose(before, conv.call(retain), 1e-9);
            Assert.True(conv.call(other).sub(otherBefore).abs().max().ToDouble() > 1e-3);
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
        using var scope = torch.NewDisposeScope();
        // Eigenvalues 16, 9, 4, 1 and 0 in a rotated basis: σ = 4, 3, 2, 1, 0, cumulative shares .4 .7 .9 1 1.
        using var generator = new Generator(5);
        var (basis, _) = torch.linalg.qr(torch.randn([5, 5], ScalarType.Float64, generator: generator));
        Tensor covariance = basis.mul(torch.tensor(new double[] { 16, 9, 4, 1, 0 }, [5])).mm(basis.T); // B·diag(λ)·Bᵀ
        using PguProjector projector = PguProjector.FromCovariance(covariance, energy, ScalarType.Float64);
        Assert.Equal(expectedRank, projector.Rank);
        Tensor kept = basis.narrow(1, 0, expectedRank);
        AssertClose(kept.mm(kept.T), projector.Matrix(), 1e-9);
    }

    [Theory]
    [InlineData(2)]    // k ≤ d/5: the projector keeps U_k and forms G − (G·U_k)·U_kᵀ
    [InlineData(18)]   // d − k ≤ d/5: it keeps the complement U_⊥ and forms (G·U_⊥)·U_⊥ᵀ
    [InlineData(10)]   // both large: it forms G·(I − P) with the dense complement projection
    [InlineData(0)]    // nothing to protect: G unchanged
    [InlineData(20)]   // everything protected: G·(I − P) = 0
    public void Project_EveryForm_EqualsGMinusGTimesTheConstructedProjection(int rank)
    {
        using var scope = torch.NewDisposeScope();
        using var generator = new Generator(3);
        const int d = 20;
        // A covariance with a known rank-k range Q_k (eigenvalues 5..1 on it, 0 elsewhere).
        var (q, _) = torch.linalg.qr(torch.randn([d, d], ScalarType.Float64, generator: generator));
        double[] lambda = Enumerable.Range(0, d).Select(i => i < rank ? 5.0 - (4.0 * i / Math.Max(rank - 1, 1)) : 0).ToArray();
        Tensor covariance = q.mul(torch.tensor(lambda, [d])).mm(q.T);
        using PguProjector projector = PguProjector.FromCovariance(covariance, 0.99, ScalarType.Float64);
        Assert.Equal(rank, projector.Rank);
        Tensor qk = q.narrow(1, 0, rank);
        Tensor g = torch.randn([4, d], ScalarType.Float64, generator: generator);
        Tensor expected = g.sub(g.mm(qk).mm(qk.T)); // G − G·Q_k·Q_kᵀ
        AssertClose(expected, projector.Project(g), 1e-9);
        AssertClose(qk.mm(qk.T), projector.Matrix(), 1e-9);
    }

    private static void AssertClose(Tensor expected, Tensor actual, double tolerance)
    {
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        double[] e = expected.to(ScalarType.Float64).data<double>().ToArray();
        double[] a = actual.to(ScalarType.Float64).data<double>().ToArray();
        Assert.Equal(e.Length, a.Length);
        double worst = e.Zip(a, (x, z) => Math.Abs(x - z)).Max();
        Assert.True(worst <= tolerance, $"largest difference {worst} > {tolerance}");
    }
}
