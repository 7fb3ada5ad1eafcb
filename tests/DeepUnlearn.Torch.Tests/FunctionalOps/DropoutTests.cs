using System;
using DeepUnlearn.Torch.Tests.Support;
using Xunit;
using F = DeepUnlearn.Torch.Nn.Functional;

namespace DeepUnlearn.Torch.Tests.FunctionalOps;

/// <summary>
/// Dropout is made checkable by reseeding the global generator before every call, so each call draws
/// the same mask; the mask is recovered from the output (the inputs are all non-zero).
/// </summary>
public class DropoutTests
{
    private const double P = 0.4;

    [Fact]
    public void Dropout_SeededTraining_OutputIsInputTimesRecoveredMaskOverKeepProbability()
    {
        using var scope = TensorScope.Begin();
        Tensor x = TestData.Distinct(40, [6, 7]);
        Tensor y = SeededDropout(x);
        double[] xs = x.ToArray<double>();
        double[] ys = y.ToArray<double>();
        int dropped = 0;
        for (int i = 0; i < xs.Length; i++)
        {
            if (ys[i] == 0)
            {
                dropped++;
            }
            else
            {
                TensorAssert.Close(xs[i] / (1 - P), ys[i], 1e-15, 1e-15, $"kept element {i}");
            }
        }
        Assert.InRange(dropped, 1, xs.Length - 1);
        // The same seed gives the same mask.
        Assert.Equal(ys, SeededDropout(x).ToArray<double>());
    }

    [Fact]
    public void Dropout_SeededTraining_GradientIsRecoveredMaskOverKeepProbability()
    {
        using var scope = TensorScope.Begin();
        Tensor x = TestData.Distinct(41, [4, 5]).RequiresGradInPlace();
        Tensor y = SeededDropout(x);
        Tensor weights = TestData.Normal(42, [4, 5]);
        (y * weights).Sum().Backward();
        double[] ys = y.ToArray<double>();
        double[] ws = weights.ToArray<double>();
        var expected = new double[ys.Length];
        for (int i = 0; i < ys.Length; i++)
        {
            expected[i] = ys[i] == 0 ? 0 : ws[i] / (1 - P);
        }
        TensorAssert.Close(expected, x.Grad!, 1e-15, 1e-15, "dropout gradient");
        GradCheck.Check(SeededDropout, x);
    }

    [Fact]
    public void Dropout_ManySamples_DropsAboutP()
    {
        using var scope = TensorScope.Begin();
        LibTorch.ManualSeed(43);
        Tensor y = F.Dropout(Tensor.Ones([20000], DType.Float64), P);
        double dropped = y.Eq(0).To(DType.Float64).Mean().Item();
        // Binomial standard error is sqrt(p(1-p)/n) ≈ 0.0035; allow 5 of them.
        Assert.InRange(dropped, P - 0.0175, P + 0.0175);
        TensorAssert.Close(1.0, y.Mean().Item(), 0.03, 0, "mean is preserved");
    }

    [Fact]
    public void Dropout_EvalOrZeroProbability_IsIdentity()
    {
        using var scope = TensorScope.Begin();
        Tensor x = TestData.Normal(44, [3, 4]);
        Assert.Equal(x.ToArray<double>(), F.Dropout(x, P, training: false).ToArray<double>());
        Assert.Equal(x.ToArray<double>(), F.Dropout(x, 0, training: true).ToArray<double>());
        Assert.All(F.Dropout(x, 1, training: true).ToArray<double>(), v => Assert.Equal(0.0, v));
        GradCheck.Check(t => F.Dropout(t, 0), x);
    }

    [Fact]
    public void Dropout_ProbabilityOutsideUnitInterval_Throws()
    {
        using var scope = TensorScope.Begin();
        Tensor x = Tensor.Ones([2]);
        Assert.Throws<ArgumentOutOfRangeException>(() => F.Dropout(x, 1.5));
        Assert.Throws<ArgumentOutOfRangeException>(() => F.Dropout(x, -0.1));
    }

    private static Tensor SeededDropout(Tensor x)
    {
        LibTorch.ManualSeed(4242);
        return F.Dropout(x, P, training: true);
    }
}
