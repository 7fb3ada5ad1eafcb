using System;
using System.Linq;
using System.Text.Json;
using DeepUnlearn.Torch.Optim;
using Xunit;

namespace DeepUnlearn.Torch.Tests.Optim;

public class AdamWTests
{
    public static TheoryData<string> Cases => OptimizerGolden.OptimizerCases("adamw");

    [Theory]
    [MemberData(nameof(Cases))]
    public void Step_MatchesTorchAdamW_After1And3Steps(string name)
    {
        OptimizerGolden.Replay(name, Create);
    }

    [Fact]
    public void Step_ZeroGradient_OnlyDecaysTheWeights()
    {
        // With g = 0 the moments stay 0, so the only change is the decoupled decay p · (1 − lr · wd);
        // Adam's L2 decay instead goes through the normalised moments and moves p by about lr.
        using var scope = TensorScope.Begin();
        Tensor p = Tensor.From<double>([2, -4], [2]).RequiresGradInPlace();
        Tensor q = Tensor.From<double>([2, -4], [2]).RequiresGradInPlace();
        using var adamw = new AdamW([p], lr: 0.1, weightDecay: 0.5);
        using var adam = new Adam([q], lr: 0.1, weightDecay: 0.5);
        p.Grad = Tensor.Zeros([2], DType.Float64);
        q.Grad = Tensor.Zeros([2], DType.Float64);
        adamw.Step();
        adam.Step();
        Assert.Equal([2 * (1 - 0.1 * 0.5), -4 * (1 - 0.1 * 0.5)], p.ToArray<double>());
        Assert.True(Math.Abs(q.ToArray<double>()[0] - 1.9) < 1e-6);
    }

    [Fact]
    public void Constructor_NegativeWeightDecay_Throws()
    {
        using Tensor p = Tensor.Zeros([2], requiresGrad: true);
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new AdamW([p], weightDecay: -1));
        Assert.Equal("weight_decay", e.ParamName);
    }

    internal static AdamW Create(ParameterGroup[] groups, JsonElement d)
    {
        double[] betas = d.GetProperty("betas").EnumerateArray().Select(b => b.GetDouble()).ToArray();
        return new AdamW(
            groups,
            lr: OptimizerGolden.Option(d, "lr", double.NaN),
            beta1: betas[0],
            beta2: betas[1],
            eps: OptimizerGolden.Option(d, "eps", 1e-8),
            weightDecay: OptimizerGolden.Option(d, "weight_decay", 0.01),
            amsgrad: OptimizerGolden.Option(d, "amsgrad", 0) != 0,
            maximize: OptimizerGolden.Option(d, "maximize", 0) != 0);
    }
}
