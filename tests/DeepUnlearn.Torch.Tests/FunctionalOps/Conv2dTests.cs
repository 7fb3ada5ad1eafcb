using System;
using System.Text.Json;
using DeepUnlearn.Torch.Tests.Support;
using Xunit;
using F = DeepUnlearn.Torch.Nn.Functional;

namespace DeepUnlearn.Torch.Tests.FunctionalOps;

public class Conv2dTests
{
    [Theory]
    [InlineData(1, 1, 0, 0, 1, 1, 1, true)]
    [InlineData(2, 1, 0, 0, 1, 1, 1, true)]
    [InlineData(1, 1, 1, 2, 1, 1, 1, false)]
    [InlineData(1, 1, 0, 0, 2, 1, 1, true)]
    [InlineData(1, 1, 0, 0, 1, 1, 2, true)]
    [InlineData(2, 3, 1, 1, 2, 1, 2, true)]
    [InlineData(1, 2, 1, 0, 1, 2, 4, false)]
    public void Conv2d_StridePaddingDilationGroups_GradientsMatchFiniteDifferences(int sh, int sw, int ph, int pw, int dh, int dw, int groups, bool bias)
    {
        using var scope = TensorScope.Begin();
        const int inChannels = 4;
        int outChannels = groups == 4 ? 4 : 2 * groups;
        Tensor x = TestData.Normal(10, [1, inChannels, 5, 6]);
        Tensor w = TestData.Normal(11, [outChannels, inChannels / groups, 3, 2]);
        Tensor[] inputs = bias ? [x, w, TestData.Normal(12, [outChannels])] : [x, w];
        GradCheck.Check(
            xs => F.Conv2d(xs[0], xs[1], bias ? xs[2] : null, (sh, sw), (ph, pw), (dh, dw), groups),
            inputs,
            $"stride ({sh}, {sw}) padding ({ph}, {pw}) dilation ({dh}, {dw}) groups {groups}");
    }

    [Fact]
    public void Conv2d_GoldenCases_MatchNumPyReference()
    {
        using JsonDocument golden = Golden.Load("nn.json");
        foreach (JsonElement c in golden.RootElement.GetProperty("conv2d").EnumerateArray())
        {
            using var scope = TensorScope.Begin();
            Tensor y = F.Conv2d(
                Golden.Float64(c.GetProperty("input")),
                Golden.Float64(c.GetProperty("weight")),
                Golden.OptionalFloat64(c.GetProperty("bias")),
                Golden.Pair(c.GetProperty("stride")),
                Golden.Pair(c.GetProperty("padding")),
                Golden.Pair(c.GetProperty("dilation")),
                c.GetProperty("groups").GetInt64());
            JsonElement expected = c.GetProperty("output");
            TensorAssert.Close(Golden.Values(expected), Golden.Shape(expected), y, 1e-10, 1e-10, $"conv2d '{c.GetProperty("name").GetString()}'");
        }
    }

    [Fact]
    public void Conv2d_ScalarStrideOverload_EqualsTupleOverload()
    {
        using var scope = TensorScope.Begin();
        Tensor x = TestData.Normal(13, [1, 2, 6, 6]);
        Tensor w = TestData.Normal(14, [3, 2, 3, 3]);
        Tensor expected = F.Conv2d(x, w, null, (2, 2), (1, 1), (1, 1));
        TensorAssert.Close(expected.ToArray<double>(), expected.ShapeArray(), F.Conv2d(x, w, stride: 2, padding: 1), 0, 0);
    }

    [Fact]
    public void Conv2d_ChannelMismatch_ThrowsLibTorchMessage()
    {
        using var scope = TensorScope.Begin();
        Tensor x = Tensor.Zeros([1, 2, 5, 5], DType.Float64);
        Tensor w = Tensor.Zeros([4, 3, 3, 3], DType.Float64);
        var e = Assert.Throws<TorchException>(() => F.Conv2d(x, w));
        Assert.Contains("expected input[1, 2, 5, 5] to have 3 channels", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception raised from", e.Message, StringComparison.Ordinal);
    }
}
