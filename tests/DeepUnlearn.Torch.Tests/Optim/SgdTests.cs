using System;
using System.Collections.Generic;
using System.Text.Json;
using DeepUnlearn.Torch.Optim;
using Xunit;

namespace DeepUnlearn.Torch.Tests.Optim;

public class SgdTests
{
    public static TheoryData<string> Cases => OptimizerGolden.OptimizerCases("sgd");

    [Theory]
    [MemberData(nameof(Cases))]
    public void Step_MatchesTorchSgd_After1And3Steps(string name)
    {
        OptimizerGolden.Replay(name, Create);
    }

    [Fact]
    public void Constructor_NesterovWithoutMomentum_ThrowsSayingWhatIsNeeded()
    {
        using Tensor p = Tensor.Zeros([2], requiresGrad: true);
        var e = Assert.Throws<ArgumentException>(() => new Sgd([p], lr: 0.1, nesterov: true));
        Assert.Contains("momentum > 0 and dampening = 0", e.Message, StringComparison.Ordinal);
        e = Assert.Throws<ArgumentException>(() => new Sgd([p], lr: 0.1, momentum: 0.9, dampening: 0.1, nesterov: true));
        Assert.Contains("dampening 0.1", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(-0.1, 0, 0, "lr")]
    [InlineData(0.1, -0.5, 0, "momentum")]
    [InlineData(0.1, 0.9, -1e-4, "weight_decay")]
    [InlineData(double.NaN, 0, 0, "lr")]
    public void Constructor_NegativeHyperParameter_ThrowsNamingIt(double lr, double momentum, double weightDecay, string option)
    {
        using Tensor p = Tensor.Zeros([2], requiresGrad: true);
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new Sgd([p], lr, momentum, weightDecay: weightDecay));
        Assert.Equal(option, e.ParamName);
        Assert.Contains(">= 0", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Step_InvalidOptionSetAfterConstruction_Throws()
    {
        using Tensor p = Tensor.Zeros([2], requiresGrad: true);
        using var sgd = new Sgd([p], lr: 0.1, momentum: 0.9);
        sgd.ParamGroups[0]["nesterov"] = 1;
        sgd.ParamGroups[0]["dampening"] = 0.5;
        using (var scope = TensorScope.Begin())
        {
            p.Grad = Tensor.Ones([2]);
        }
        Assert.Throws<ArgumentException>(sgd.Step);
        Assert.Throws<KeyNotFoundException>(() => sgd.ParamGroups[0]["betas"] = 1);
    }

    internal static Sgd Create(ParameterGroup[] groups, JsonElement d) => new(
        groups,
        lr: OptimizerGolden.Option(d, "lr", double.NaN),
        momentum: OptimizerGolden.Option(d, "momentum", 0),
        dampening: OptimizerGolden.Option(d, "dampening", 0),
        weightDecay: OptimizerGolden.Option(d, "weight_decay", 0),
        nesterov: OptimizerGolden.Option(d, "nesterov", 0) != 0,
        maximize: OptimizerGolden.Option(d, "maximize", 0) != 0);
}
