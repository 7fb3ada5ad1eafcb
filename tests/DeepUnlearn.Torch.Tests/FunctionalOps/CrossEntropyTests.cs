using System;
using System.Text.Json;
using DeepUnlearn.Torch.Nn;
using DeepUnlearn.Torch.Tests.Support;
using Xunit;
using F = DeepUnlearn.Torch.Nn.Functional;

namespace DeepUnlearn.Torch.Tests.FunctionalOps;

public class CrossEntropyTests
{
    private static readonly long[] s_targets = [2, 0, 3, 1, 2];

    [Fact]
    public void CrossEntropy_GoldenCases_MatchNumPyReference()
    {
        using JsonDocument golden = Golden.Load("nn.json");
        foreach (JsonElement c in golden.RootElement.GetProperty("cross_entropy").EnumerateArray())
        {
            using var scope = TensorScope.Begin();
            string name = c.GetProperty("name").GetString()!;
            Tensor input = Golden.Float64(c.GetProperty("input"));
            Tensor target = c.GetProperty("target_kind").GetString() == "indices"
                ? Golden.Int64(c.GetProperty("target"))
                : Golden.Float64(c.GetProperty("target"));
            Tensor? weight = Golden.OptionalFloat64(c.GetProperty("weight"));
            double smoothing = c.GetProperty("label_smoothing").GetDouble();
            JsonElement none = c.GetProperty("none");
            TensorAssert.Close(Golden.Values(none), Golden.Shape(none), F.CrossEntropy(input, target, weight, Reduction.None, labelSmoothing: smoothing), 1e-10, 1e-10, $"'{name}' none");
            TensorAssert.Close(c.GetProperty("mean").GetDouble(), F.CrossEntropy(input, target, weight, Reduction.Mean, labelSmoothing: smoothing).Item(), 1e-10, 1e-10, $"'{name}' mean");
            TensorAssert.Close(c.GetProperty("sum").GetDouble(), F.CrossEntropy(input, target, weight, Reduction.Sum, labelSmoothing: smoothing).Item(), 1e-10, 1e-10, $"'{name}' sum");
        }
    }

    [Fact]
    public void CrossEntropy_WeightedIndicesWithIgnoreIndex_MatchesDefinition()
    {
        using var scope = TensorScope.Begin();
        Tensor logits = TestData.Normal(70, [5, 4]);
        double[] w = [0.5, 1.0, 2.0, 1.5];
        long[] targets = [2, 0, 3, -100, 1];
        double[] logp = LogSoftmaxRows(logits.ToArray<double>(), 4);
        double sum = 0, weights = 0;
        var none = new double[5];
        for (int i = 0; i < 5; i++)
        {
            if (targets[i] == -100)
            {
                continue;
            }
            none[i] = -w[targets[i]] * logp[i * 4 + targets[i]];
            sum += none[i];
            weights += w[targets[i]];
        }
        Tensor target = Tensor.From<long>(targets, [5]);
        Tensor weight = Tensor.From<double>(w, [4]);
        TensorAssert.Close(none, F.CrossEntropy(logits, target, weight, Reduction.None), 1e-14, 1e-14, "none");
        TensorAssert.Close(sum, F.CrossEntropy(logits, target, weight, Reduction.Sum).Item(), 1e-14, 1e-14, "sum");
        TensorAssert.Close(sum / weights, F.CrossEntropy(logits, target, weight).Item(), 1e-14, 1e-14, "mean");
        TensorAssert.Close(sum / weights, F.NllLoss(F.LogSoftmax(logits, 1), target, weight).Item(), 1e-14, 1e-14, "nll of log_softmax");
    }

    [Theory]
    [InlineData(Reduction.None, false, 0.0)]
    [InlineData(Reduction.Mean, false, 0.0)]
    [InlineData(Reduction.Sum, false, 0.0)]
    [InlineData(Reduction.Mean, true, 0.0)]
    [InlineData(Reduction.None, true, 0.2)]
    [InlineData(Reduction.Mean, false, 0.1)]
    [InlineData(Reduction.Mean, true, 0.1)]
    [InlineData(Reduction.Sum, true, 0.3)]
    public void CrossEntropy_ClassIndices_GradientsMatchFiniteDifferences(Reduction reduction, bool weighted, double smoothing)
    {
        using var scope = TensorScope.Begin();
        Tensor target = Tensor.From<long>(s_targets, [5]);
        Tensor? weight = weighted ? Tensor.From<double>([0.5, 1.0, 2.0, 1.5], [4]) : null;
        GradCheck.Check(t => F.CrossEntropy(t, target, weight, reduction, labelSmoothing: smoothing), TestData.Normal(71, [5, 4]));
    }

    [Theory]
    [InlineData(Reduction.None, false, 0.0)]
    [InlineData(Reduction.Mean, false, 0.0)]
    [InlineData(Reduction.Sum, true, 0.0)]
    [InlineData(Reduction.Mean, true, 0.15)]
    public void CrossEntropy_SoftTargets_GradientsMatchFiniteDifferencesForLogitsAndTargets(Reduction reduction, bool weighted, double smoothing)
    {
        using var scope = TensorScope.Begin();
        Tensor target = F.Softmax(TestData.Normal(72, [3, 4]), 1);
        Tensor? weight = weighted ? Tensor.From<double>([0.5, 1.0, 2.0, 1.5], [4]) : null;
        GradCheck.Check(xs => F.CrossEntropy(xs[0], xs[1], weight, reduction, labelSmoothing: smoothing), [TestData.Normal(73, [3, 4]), target]);
    }

    [Fact]
    public void CrossEntropy_SoftOneHotTargets_EqualClassIndices()
    {
        using var scope = TensorScope.Begin();
        Tensor logits = TestData.Normal(74, [5, 4]);
        Tensor indices = Tensor.From<long>(s_targets, [5]);
        Tensor oneHot = F.OneHot(indices, 4).To(DType.Float64);
        TensorAssert.Close(F.CrossEntropy(logits, indices, labelSmoothing: 0.1).Item(), F.CrossEntropy(logits, oneHot, labelSmoothing: 0.1).Item(), 1e-14, 1e-14);
    }

    [Fact]
    public void CrossEntropy_LabelSmoothingOutsideUnitInterval_Throws()
    {
        using var scope = TensorScope.Begin();
        Tensor logits = Tensor.Zeros([2, 3], DType.Float64);
        Tensor target = Tensor.Zeros([2], DType.Int64);
        Assert.Throws<ArgumentOutOfRangeException>(() => F.CrossEntropy(logits, target, labelSmoothing: 1.5));
    }

    internal static double[] LogSoftmaxRows(double[] x, int classes)
    {
        var result = new double[x.Length];
        for (int r = 0; r < x.Length / classes; r++)
        {
            double max = double.NegativeInfinity;
            for (int c = 0; c < classes; c++)
            {
                max = Math.Max(max, x[r * classes + c]);
            }
            double z = 0;
            for (int c = 0; c < classes; c++)
            {
                z += Math.Exp(x[r * classes + c] - max);
            }
            for (int c = 0; c < classes; c++)
            {
                result[r * classes + c] = x[r * classes + c] - max - Math.Log(z);
            }
        }
        return result;
    }
}
