using System;
using System.Linq;
using System.Text.Json;
using DeepUnlearn.Torch.Optim;
using Xunit;

namespace DeepUnlearn.Torch.Tests.Optim;

public class AdamTests
{
    public static TheoryData<string> Cases => OptimizerGolden.OptimizerCases("adam");

    [Theory]
    [MemberData(nameof(Cases))]
    public void Step_MatchesTorchAdam_After1And3Steps(string name)
    {
        OptimizerGolden.Replay(name, Create);
    }

    [Theory]
    [InlineData(-1e-3, 0.9, 0.999, 1e-8, 0, "lr")]
    [InlineData(1e-3, 1.0, 0.999, 1e-8, 0, "beta1")]
    [InlineData(1e-3, -0.1, 0.999, 1e-8, 0, "beta1")]
    [InlineData(1e-3, 0.9, 1.0, 1e-8, 0, "beta2")]
    [InlineData(1e-3, 0.9, 0.999, -1e-8, 0, "eps")]
    [InlineData(1e-3, 0.9, 0.999, 1e-8, -0.01, "weight_decay")]
    public void Constructor_InvalidHyperParameter_ThrowsNamingIt(double lr, double beta1, double beta2, double eps, double weightDecay, string option)
    {
        using Tensor p = Tensor.Zeros([2], requiresGrad: true);
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new Adam([p], lr, beta1, beta2, eps, weightDecay));
        Assert.Equal(option, e.ParamName);
        Assert.Contains(option + " must be", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Step_FirstStep_MovesEachCoordinateByLrAgainstTheGradientSign()
    {
        // At t = 1 Adam's update is lr · g / (|g| + eps'), i.e. about lr · sign(g): a closed form that
        // needs no reference implementation.
        using var scope = TensorScope.Begin();
        Tensor p = Tensor.From<double>([1, -2, 3], [3]).RequiresGradInPlace();
        using var adam = new Adam([p], lr: 0.01, eps: 0);
        p.Grad = Tensor.From<double>([0.5, -4, 1e-3], [3]);
        adam.Step();
        double[] expected = [0.99, -1.99, 2.99];
        Assert.True(expected.Zip(p.ToArray<double>()).All(x => Math.Abs(x.First - x.Second) < 1e-15));
    }

    internal static Adam Create(ParameterGroup[] groups, JsonElement d)
    {
        double[] betas = d.GetProperty("betas").EnumerateArray().Select(b => b.GetDouble()).ToArray();
        return new Adam(
            groups,
            lr: OptimizerGolden.Option(d, "lr", double.NaN),
            beta1: betas[0],
            beta2: betas[1],
            eps: OptimizerGolden.Option(d, "eps", 1e-8),
            weightDecay: OptimizerGolden.Option(d, "weight_decay", 0),
            amsgrad: OptimizerGolden.Option(d, "amsgrad", 0) != 0,
            maximize: OptimizerGolden.Option(d, "maximize", 0) != 0);
    }
}
