using System;
using DeepUnlearn.Torch.Nn;
using DeepUnlearn.Torch.Tests.Support;
using Xunit;
using F = DeepUnlearn.Torch.Nn.Functional;

namespace DeepUnlearn.Torch.Tests.FunctionalOps;

/// <summary>nll_loss, kl_div, mse_loss and binary_cross_entropy_with_logits: definitions and finite differences.</summary>
public class LossTests
{
    [Fact]
    public void NllLoss_WeightedReductions_MatchDefinition()
    {
        using var scope = TensorScope.Begin();
        double[] x = [-0.5, -1.2, -2.0, -0.1, -3.0, -0.7, -1.0, -0.2, -0.9];
        long[] y = [1, 2, 0];
        double[] w = [2.0, 0.5, 1.0];
        Tensor input = Tensor.From<double>(x, [3, 3]);
        Tensor target = Tensor.From<long>(y, [3]);
        Tensor weight = Tensor.From<double>(w, [3]);
        double[] none = [-0.5 * -1.2, -1.0 * -0.7, -2.0 * -1.0];
        TensorAssert.Close(none, F.NllLoss(input, target, weight, Reduction.None), 1e-15, 1e-15, "none");
        TensorAssert.Close(none[0] + none[1] + none[2], F.NllLoss(input, target, weight, Reduction.Sum).Item(), 1e-15, 1e-15, "sum");
        TensorAssert.Close((none[0] + none[1] + none[2]) / 3.5, F.NllLoss(input, target, weight).Item(), 1e-15, 1e-15, "mean");
        TensorAssert.Close((1.2 + 0.7 + 1.0) / 3, F.NllLoss(input, target).Item(), 1e-15, 1e-15, "unweighted mean");
        TensorAssert.Close(0.7 + 1.0, F.NllLoss(input, Tensor.From<long>([-100, 2, 0], [3]), reduction: Reduction.Sum).Item(), 1e-15, 1e-15, "ignore_index");
    }

    [Theory]
    [InlineData(Reduction.None, false)]
    [InlineData(Reduction.Mean, false)]
    [InlineData(Reduction.Mean, true)]
    [InlineData(Reduction.Sum, true)]
    public void NllLoss_GradientsMatchFiniteDifferences(Reduction reduction, bool weighted)
    {
        using var scope = TensorScope.Begin();
        Tensor target = Tensor.From<long>([1, 2, 0, 2], [4]);
        Tensor? weight = weighted ? Tensor.From<double>([2.0, 0.5, 1.0], [3]) : null;
        GradCheck.Check(t => F.NllLoss(F.LogSoftmax(t, 1), target, weight, reduction), TestData.Normal(80, [4, 3]));
    }

    [Fact]
    public void KlDiv_Reductions_MatchDefinition()
    {
        using var scope = TensorScope.Begin();
        Tensor logits = TestData.Normal(81, [3, 4]);
        Tensor input = F.LogSoftmax(logits, 1);
        Tensor target = F.Softmax(TestData.Normal(82, [3, 4]), 1);
        double[] q = input.ToArray<double>();
        double[] p = target.ToArray<double>();
        var pointwise = new double[12];
        double sum = 0;
        for (int i = 0; i < 12; i++)
        {
            pointwise[i] = p[i] * (Math.Log(p[i]) - q[i]);
            sum += pointwise[i];
        }
        TensorAssert.Close(pointwise, F.KlDiv(input, target, Reduction.None), 1e-15, 1e-14, "none");
        TensorAssert.Close(sum, F.KlDiv(input, target, Reduction.Sum).Item(), 1e-15, 1e-14, "sum");
        TensorAssert.Close(sum / 12, F.KlDiv(input, target).Item(), 1e-15, 1e-14, "mean (over elements)");
        TensorAssert.Close(sum / 3, F.KlDiv(input, target, batchMean: true).Item(), 1e-15, 1e-14, "batchmean");
        TensorAssert.Close(sum, F.KlDiv(input, target.Log(), Reduction.Sum, logTarget: true).Item(), 1e-15, 1e-14, "log target");
    }

    [Theory]
    [InlineData(Reduction.None, false, false)]
    [InlineData(Reduction.Mean, false, false)]
    [InlineData(Reduction.Sum, true, false)]
    [InlineData(Reduction.Sum, false, true)]
    public void KlDiv_GradientsMatchFiniteDifferencesForInputAndTarget(Reduction reduction, bool logTarget, bool batchMean)
    {
        using var scope = TensorScope.Begin();
        Tensor input = F.LogSoftmax(TestData.Normal(83, [3, 4]), 1);
        Tensor target = F.Softmax(TestData.Normal(84, [3, 4]), 1);
        if (logTarget)
        {
            target = target.Log();
        }
        GradCheck.Check(xs => F.KlDiv(xs[0], xs[1], reduction, logTarget, batchMean), [input, target]);
    }

    [Fact]
    public void MseLoss_Reductions_MatchDefinition()
    {
        using var scope = TensorScope.Begin();
        Tensor x = Tensor.From<double>([1, 2, 3, 4], [2, 2]);
        Tensor y = Tensor.From<double>([1.5, 0, 3, 2], [2, 2]);
        TensorAssert.Close([0.25, 4, 0, 4], [2, 2], F.MseLoss(x, y, Reduction.None), 0, 0, "none");
        TensorAssert.Close(8.25, F.MseLoss(x, y, Reduction.Sum).Item(), 0, 0, "sum");
        TensorAssert.Close(8.25 / 4, F.MseLoss(x, y).Item(), 0, 0, "mean");
    }

    [Theory]
    [InlineData(Reduction.None)]
    [InlineData(Reduction.Mean)]
    [InlineData(Reduction.Sum)]
    public void MseLoss_GradientsMatchFiniteDifferences(Reduction reduction)
    {
        using var scope = TensorScope.Begin();
        GradCheck.Check(xs => F.MseLoss(xs[0], xs[1], reduction), [TestData.Normal(85, [2, 3]), TestData.Normal(86, [2, 3])]);
    }

    [Fact]
    public void BinaryCrossEntropyWithLogits_Reductions_MatchStableDefinition()
    {
        using var scope = TensorScope.Begin();
        double[] x = [-3, -0.5, 0.2, 4, 50, -60];
        double[] y = [0, 1, 0.3, 1, 0, 1];
        var none = new double[6];
        double sum = 0;
        for (int i = 0; i < 6; i++)
        {
            // −[y·log σ(x) + (1 − y)·log(1 − σ(x))] = max(x, 0) − x·y + log(1 + e^−|x|).
            none[i] = Math.Max(x[i], 0) - x[i] * y[i] + Math.Log(1 + Math.Exp(-Math.Abs(x[i])));
            sum += none[i];
        }
        Tensor input = Tensor.From<double>(x, [2, 3]);
        Tensor target = Tensor.From<double>(y, [2, 3]);
        TensorAssert.Close(none, [2, 3], F.BinaryCrossEntropyWithLogits(input, target, Reduction.None), 1e-14, 1e-14, "none");
        TensorAssert.Close(sum, F.BinaryCrossEntropyWithLogits(input, target, Reduction.Sum).Item(), 1e-13, 1e-14, "sum");
        TensorAssert.Close(sum / 6, F.BinaryCrossEntropyWithLogits(input, target).Item(), 1e-13, 1e-14, "mean");
    }

    [Theory]
    [InlineData(Reduction.None)]
    [InlineData(Reduction.Mean)]
    [InlineData(Reduction.Sum)]
    public void BinaryCrossEntropyWithLogits_GradientsMatchFiniteDifferencesForInputAndTarget(Reduction reduction)
    {
        using var scope = TensorScope.Begin();
        GradCheck.Check(
            xs => F.BinaryCrossEntropyWithLogits(xs[0], xs[1], reduction),
            [TestData.Normal(87, [2, 3], scale: 2), TestData.Uniform(88, [2, 3], 0, 1)]);
    }
}
