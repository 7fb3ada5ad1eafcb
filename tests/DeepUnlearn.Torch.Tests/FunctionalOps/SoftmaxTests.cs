using System;
using DeepUnlearn.Torch.Tests.Support;
using Xunit;
using F = DeepUnlearn.Torch.Nn.Functional;

namespace DeepUnlearn.Torch.Tests.FunctionalOps;

public class SoftmaxTests
{
    [Fact]
    public void Softmax_Rows_MatchExpOverSumAndLogSoftmaxIsItsLog()
    {
        using var scope = TensorScope.Begin();
        double[] v = [1, 2, 3, -1, 0, 1000];
        Tensor x = Tensor.From<double>(v, [2, 3]);
        double z0 = Math.Exp(1) + Math.Exp(2) + Math.Exp(3);
        double[] expected = [Math.Exp(1) / z0, Math.Exp(2) / z0, Math.Exp(3) / z0, 0, 0, 1];
        TensorAssert.Close(expected, [2, 3], F.Softmax(x, 1), 1e-15, 1e-14, "softmax");
        // Stable for large logits: log_softmax of row 1 is (−1001, −1000, 0).
        double[] log = [1 - Math.Log(z0), 2 - Math.Log(z0), 3 - Math.Log(z0), -1001, -1000, 0];
        TensorAssert.Close(log, [2, 3], F.LogSoftmax(x, -1), 1e-13, 1e-15, "log_softmax");
    }

    [Fact]
    public void Softmax_Columns_SumToOne()
    {
        using var scope = TensorScope.Begin();
        Tensor y = F.Softmax(TestData.Normal(60, [4, 3]), 0);
        TensorAssert.Close([1, 1, 1], y.Sum(0), 1e-15, 0, "column sums");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(-1)]
    public void SoftmaxAndLogSoftmax_GradientsMatchFiniteDifferences(long dim)
    {
        using var scope = TensorScope.Begin();
        Tensor x = TestData.Normal(61, [3, 4, 2]);
        GradCheck.Check(t => F.Softmax(t, dim), x, "softmax");
        GradCheck.Check(t => F.LogSoftmax(t, dim), x, "log_softmax");
    }
}
