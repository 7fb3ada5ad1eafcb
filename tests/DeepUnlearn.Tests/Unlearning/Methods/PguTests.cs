using System;
using System.Linq;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using DeepUnlearn.Unlearning.Methods.Pgu;
using Xunit;

namespace DeepUnlearn.Tests.Unlearning.Methods;

public class PguTests
{
    [Fact]
    public void ProjectedStep_Linear_KeepsOutputsOnTheRetainSubspaceAndChangesThemOffIt()
    {
        using var scope = torch.NewDisposeScope();
        using var generator = new Generator(7);
        // Retain inputs span a known 2-D subspace of R^6 (orthonormal basis Q).
        var (q, _) = Linalg.Qr(torch.randn([6, 2], ScalarType.Float64, generator: generator));
        Tensor retainInputs = torch.randn([40, 2], ScalarType.Float64, generator: generator).mm(q.T()); // rows in span(Q)
        var (p, rank) = PguMethod.ProjectionMatrix(retainInputs.T().mm(retainInputs), 0.95);
        Assert.Equal(2, rank);
        AssertClose(q.mm(q.T()), p, 1e-10);

        using var layer = new Linear(6, 3);
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
        layer.call(generic).square().Sum().backward();
        Tensor biasBefore = layer.Bias!.detach().clone();
        PguMethod.ProjectedStep(layer.Weight, p, learningRate: 0.5);

        using (torch.no_grad())
        {
            AssertClose(before, layer.call(retainInputs), 1e-10);
            double moved = layer.call(offSubspace).sub(beforeOff).abs().Max().ToDouble();
            Assert.True(moved > 1e-2, $"outputs off the retain subspace moved by only {moved}");
        }
        AssertClose(biasBefore, layer.Bias!, 0); // PGU updates weights only
    }

    [Fact]
    public void ProjectedStep_Conv_ProjectsRowsOfTheUnfoldedWeight()
    {
        using var scope = torch.NewDisposeScope();
        using var generator = new Generator(11);
        using var conv = new Conv2d(2, 4, 3, stride: 2, bias: false);
        conv.to(ScalarType.Float64);
        // Retain images are per-channel constants, so every 3×3 patch is (a·1₉, b·1₉): a 2-D span in R^18
        // (channel-major, as the weight's rows [out, in·3·3]).
        Tensor retain = torch.randn([6, 2, 1, 1], ScalarType.Float64, generator: generator).Repeat(1, 1, 7, 7).contiguous();
        Tensor patches = torch.nn.functional.unfold(retain, 3, 1, 0, 2).transpose(1, 2).reshape(-1, 18);
        var (p, rank) = PguMethod.ProjectionMatrix(patches.T().mm(patches), 0.99);
        Assert.Equal(2, rank);
        Tensor before;
        Tensor other = torch.randn([3, 2, 7, 7], ScalarType.Float64, generator: generator);
        Tensor otherBefore;
        using (torch.no_grad())
        {
            before = conv.call(retain);
            otherBefore = conv.call(other);
        }
        conv.call(other).square().Sum().backward();
        PguMethod.ProjectedStep(conv.Weight, p, learningRate: 0.1);
        using (torch.no_grad())
        {
            AssertClose(before, conv.call(retain), 1e-9);
            Assert.True(conv.call(other).sub(otherBefore).abs().Max().ToDouble() > 1e-3);
        }
    }

    [Theory]
    [InlineData(0.95, 4)]
    [InlineData(0.9, 4)]   // the cumulative share must exceed ε: 0.9 is not > 0.9
    [InlineData(0.8, 3)]
    [InlineData(0.5, 2)]
    [InlineData(0.3, 1)]
    public void ProjectionMatrix_KeepsDirectionsUntilTheirSingularValuesExceedTheShare(double energy, int expectedRank)
    {
        using var scope = torch.NewDisposeScope();
        // Eigenvalues 16, 9, 4, 1 and 0 in a rotated basis: σ = 4, 3, 2, 1, 0, cumulative shares .4 .7 .9 1 1.
        using var generator = new Generator(5);
        var (basis, _) = Linalg.Qr(torch.randn([5, 5], ScalarType.Float64, generator: generator));
        Tensor covariance = basis.mul(Tensor.From<double>([16, 9, 4, 1, 0], [5])).mm(basis.T()); // B·diag(λ)·Bᵀ
        var (p, rank) = PguMethod.ProjectionMatrix(covariance, energy);
        Assert.Equal(expectedRank, rank);
        Tensor kept = basis.narrow(1, 0, expectedRank);
        AssertClose(kept.mm(kept.T()), p, 1e-9);
    }

    [Fact]
    public void ForgetLoss_MatchesTheClosedForm()
    {
        using var scope = torch.NewDisposeScope();
        Tensor logits = Tensor.From<double>([2, 0, -1, 0.5, 0.5, 0.5], [2, 3]);
        Tensor labels = Tensor.From<long>([0, 2], [2]);
        double loss = PguMethod.ForgetLoss(logits, labels, offset: 0.05, confidenceWeight: 1, entropyWeight: 0.2).ToDouble();

        double expected = 0;
        double[][] rows = [[2, 0, -1], [0.5, 0.5, 0.5]];
        int[] y = [0, 2];
        for (int i = 0; i < 2; i++)
        {
            double norm = rows[i].Sum(Math.Exp);
            double[] prob = rows[i].Select(v => Math.Exp(v) / norm).ToArray();
            expected += (-Math.Log(1 - (prob[y[i]] - 0.05)) + (0.2 * prob.Sum(pk => pk * Math.Log(pk)))) / 2;
        }
        Assert.Equal(expected, loss, 12);
    }

    private static void AssertClose(Tensor expected, Tensor actual, double tolerance)
    {
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        double[] e = expected.to(ScalarType.Float64).ToArray<double>();
        double[] a = actual.to(ScalarType.Float64).ToArray<double>();
        Assert.Equal(e.Length, a.Length);
        double worst = e.Zip(a, (x, z) => Math.Abs(x - z)).Max();
        Assert.True(worst <= tolerance, $"largest difference {worst} > {tolerance}");
    }
}
