using System;
using DeepUnlearn.Torch.Tests.Support;
using Xunit;
using Xunit.Sdk;

namespace DeepUnlearn.Torch.Tests.Differentiation;

/// <summary>The gradient checker must pass correct gradients and catch wrong ones.</summary>
public class GradCheckTests
{
    [Fact]
    public void Check_CorrectGradient_Passes()
    {
        using var scope = TensorScope.Begin();
        Tensor x = TestData.Normal(1, [2, 3]);
        Tensor y = TestData.Normal(2, [3]);
        GradCheck.Check(xs => (xs[0] * xs[1]).Sin() + xs[0].Square(), [x, y]);
    }

    [Fact]
    public void Check_WrongGradient_FailsNamingTheElement()
    {
        using var scope = TensorScope.Begin();
        Tensor x = Tensor.From<double>([0.5, -1.5, 2.0], [3]);
        // x · detach(x): autograd sees d/dx = detach(x) = x, the true derivative is 2x.
        var e = Assert.Throws<FailException>(() => GradCheck.Check(t => t * t.Detach(), x, "detached factor"));
        Assert.Contains("'detached factor'", e.Message, StringComparison.Ordinal);
        Assert.Contains("d output[0] / d input 0[0]", e.Message, StringComparison.Ordinal);
        Assert.Contains("autograd 0.5", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_WrongGradientInSecondInput_ReportsThatInputAndIndex()
    {
        using var scope = TensorScope.Begin();
        Tensor a = TestData.Normal(3, [2]);
        Tensor b = Tensor.From<double>([1.0, 2.0, 3.0, 4.0], [2, 2]);
        var e = Assert.Throws<FailException>(() => GradCheck.Check(xs => xs[0].Sum() + (xs[1] * xs[1].Detach()).Sum(), [a, b]));
        Assert.Contains("d input 1[0, 0]", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_NonFloat64Input_IsRejected()
    {
        using var scope = TensorScope.Begin();
        Tensor x = Tensor.Ones([2]);
        Assert.Throws<TrueException>(() => GradCheck.Check(t => t * 2, x));
    }
}
