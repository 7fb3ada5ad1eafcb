using System;
using System.Linq;
using DeepUnlearn.Engine;
using TorchSharp;
using Xunit;

namespace DeepUnlearn.Tests.Engine;

public sealed class KlDivergenceTests
{
    private static readonly double[][] s_p = [[0.7, 0.2, 0.1], [0.25, 0.25, 0.5]];
    private static readonly double[][] s_q = [[0.5, 0.3, 0.2], [0.1, 0.6, 0.3]];

    public KlDivergenceTests() => TorchRuntime.EnsureInitialized();

    [Fact]
    public void TorchSharpKlDiv_DefaultLogTarget_IsNotTheKlDivergence()
    {
        // The fault: ported from PyTorch, F.kl_div(log q, p) means KL(p‖q); TorchSharp's default log_target = true
        // reads p as log p and computes Σ exp(p)(p − log q) instead.
        using var scope = torch.NewDisposeScope();
        (torch.Tensor logQ, torch.Tensor p) = Inputs();

        double torchSharpDefault = torch.nn.functional.kl_div(logQ, p, reduction: torch.nn.Reduction.Sum).item<double>();

        Assert.True(Math.Abs(torchSharpDefault - ClosedFormKlSum()) > 0.1, $"{torchSharpDefault} vs {ClosedFormKlSum()}");
    }

    [Fact]
    public void Loss_ProbabilityTarget_IsTheClosedFormKlDivergence()
    {
        using var scope = torch.NewDisposeScope();
        (torch.Tensor logQ, torch.Tensor p) = Inputs();

        Assert.Equal(ClosedFormKlSum(), KlDivergence.Loss(logQ, p, targetIsLog: false, KlReduction.Sum).item<double>(), 12);
        Assert.Equal(ClosedFormKlSum() / 2, KlDivergence.Loss(logQ, p, targetIsLog: false, KlReduction.BatchMean).item<double>(), 12);
        Assert.Equal(ClosedFormKlSum() / 6, KlDivergence.Loss(logQ, p, targetIsLog: false, KlReduction.ElementMean).item<double>(), 12);
        Assert.Equal([2L, 3L], KlDivergence.Loss(logQ, p, targetIsLog: false, KlReduction.None).shape);
        Assert.Equal(ClosedFormKlSum() / 2, KlDivergence.Loss(logQ, p.log(), targetIsLog: true, KlReduction.BatchMean).item<double>(), 12);
    }

    [Fact]
    public void Loss_UniformTargetBatchMean_GradientIsSoftmaxMinusUniformOverBatch()
    {
        // FAMR's forget loss KL(u ‖ softmax(z)): d/dz = (softmax(z) − u) / N with batchmean (closed form).
        using var scope = torch.NewDisposeScope();
        torch.Tensor logits = torch.tensor(new double[] { 2, -1, 0.5, 0, 1, -3 }, new long[] { 2, 3 }, requires_grad: true);
        torch.Tensor uniform = torch.full(new long[] { 2, 3 }, 1.0 / 3, torch.float64);

        KlDivergence.Loss(logits.log_softmax(1), uniform, targetIsLog: false, KlReduction.BatchMean).backward();

        torch.Tensor expected = (logits.detach().softmax(1) - uniform) / 2;
        Assert.True(logits.grad!.allclose(expected, rtol: 1e-12, atol: 1e-14));
    }

    [Fact]
    public void Loss_UnknownReduction_ThrowsListingValidOnes()
    {
        using var scope = torch.NewDisposeScope();
        (torch.Tensor logQ, torch.Tensor p) = Inputs();

        var e = Assert.Throws<ArgumentOutOfRangeException>(() => KlDivergence.Loss(logQ, p, false, (KlReduction)9));

        Assert.Contains("BatchMean, Sum, ElementMean, None", e.Message, StringComparison.Ordinal);
    }

    private static (torch.Tensor LogQ, torch.Tensor P) Inputs() =>
        (torch.tensor(s_q.SelectMany(r => r).ToArray(), new long[] { 2, 3 }).log(), torch.tensor(s_p.SelectMany(r => r).ToArray(), new long[] { 2, 3 }));

    private static double ClosedFormKlSum()
    {
        double sum = 0;
        for (int i = 0; i < s_p.Length; i++)
        {
            for (int k = 0; k < s_p[i].Length; k++)
            {
                sum += s_p[i][k] * Math.Log(s_p[i][k] / s_q[i][k]);
            }
        }
        return sum;
    }
}
