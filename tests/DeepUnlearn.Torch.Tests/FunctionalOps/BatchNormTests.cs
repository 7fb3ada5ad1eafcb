using System.Text.Json;
using DeepUnlearn.Torch.Tests.Support;
using Xunit;
using F = DeepUnlearn.Torch.Nn.Functional;

namespace DeepUnlearn.Torch.Tests.FunctionalOps;

public class BatchNormTests
{
    [Fact]
    public void BatchNorm_GoldenCases_MatchNumPyReferenceIncludingRunningStats()
    {
        using JsonDocument golden = Golden.Load("nn.json");
        foreach (JsonElement c in golden.RootElement.GetProperty("batch_norm").EnumerateArray())
        {
            using var scope = TensorScope.Begin();
            string name = c.GetProperty("name").GetString()!;
            Tensor runningMean = Golden.Float64(c.GetProperty("running_mean"));
            Tensor runningVar = Golden.Float64(c.GetProperty("running_var"));
            Tensor y = F.BatchNorm(
                Golden.Float64(c.GetProperty("input")), runningMean, runningVar,
                Golden.Float64(c.GetProperty("weight")), Golden.Float64(c.GetProperty("bias")),
                c.GetProperty("training").GetBoolean(), c.GetProperty("momentum").GetDouble(), c.GetProperty("eps").GetDouble());
            JsonElement output = c.GetProperty("output");
            TensorAssert.Close(Golden.Values(output), Golden.Shape(output), y, 1e-10, 1e-10, $"batch_norm '{name}' output");
            TensorAssert.Close(Golden.Values(c.GetProperty("running_mean_after")), runningMean, 1e-10, 1e-10, $"batch_norm '{name}' running mean");
            TensorAssert.Close(Golden.Values(c.GetProperty("running_var_after")), runningVar, 1e-10, 1e-10, $"batch_norm '{name}' running var");
        }
    }

    [Fact]
    public void BatchNorm_Training_GradientsMatchFiniteDifferences()
    {
        using var scope = TensorScope.Begin();
        Tensor x = TestData.Normal(30, [4, 3, 2, 2], scale: 1.5, shift: 0.3);
        GradCheck.Check(
            xs =>
            {
                Tensor runningMean = Tensor.Zeros([3], DType.Float64);
                Tensor runningVar = Tensor.Ones([3], DType.Float64);
                return F.BatchNorm(xs[0], runningMean, runningVar, xs[1], xs[2], training: true);
            },
            [x, TestData.Uniform(31, [3], 0.5, 1.5), TestData.Normal(32, [3])]);
    }

    [Fact]
    public void BatchNorm_TrainingWithoutRunningStatsOrAffine_GradientsMatchFiniteDifferences()
    {
        using var scope = TensorScope.Begin();
        GradCheck.Check(t => F.BatchNorm(t, null, null, training: true), TestData.Normal(33, [5, 2]));
    }

    [Fact]
    public void BatchNorm_Eval_GradientsMatchFiniteDifferencesAndRunningStatsStay()
    {
        using var scope = TensorScope.Begin();
        Tensor runningMean = Tensor.From<double>([0.2, -0.1, 0.05], [3]);
        Tensor runningVar = Tensor.From<double>([1.5, 0.7, 1.1], [3]);
        GradCheck.Check(
            xs => F.BatchNorm(xs[0], runningMean, runningVar, xs[1], xs[2], training: false),
            [TestData.Normal(34, [3, 3, 2, 2]), TestData.Uniform(35, [3], 0.5, 1.5), TestData.Normal(36, [3])]);
        TensorAssert.Close([0.2, -0.1, 0.05], runningMean, 0, 0, "running mean after eval");
        TensorAssert.Close([1.5, 0.7, 1.1], runningVar, 0, 0, "running var after eval");
    }

    [Fact]
    public void BatchNorm_Training_OutputHasZeroMeanAndUnitBiasedVariancePerChannel()
    {
        using var scope = TensorScope.Begin();
        Tensor x = TestData.Normal(37, [8, 2, 3, 3], scale: 3, shift: 5);
        Tensor y = F.BatchNorm(x, null, null, training: true, eps: 0);
        TensorAssert.Close([0, 0], y.Mean([0, 2, 3]), 1e-12, 0, "channel means");
        TensorAssert.Close([1, 1], y.Var([0, 2, 3], unbiased: false), 1e-12, 1e-12, "channel variances");
    }
}
