using DeepUnlearn.Torch.Tests.Support;
using Xunit;

namespace DeepUnlearn.Torch.Tests.Differentiation;

/// <summary>Gradients of the reductions against finite differences (values are in Ops/ReductionTests).</summary>
public class ReductionGradTests
{
    [Fact]
    public void SumMean_AllAndDims_GradientsMatchFiniteDifferences()
    {
        using var scope = TensorScope.Begin();
        Tensor x = TestData.Normal(1, [2, 3, 2]);
        GradCheck.Check(t => t.Sum(), x, "sum");
        GradCheck.Check(t => t.Sum([0, 2], keepDim: true), x, "sum dims keepdim");
        GradCheck.Check(t => t.Mean(), x, "mean");
        GradCheck.Check(t => t.Mean(1), x, "mean dim");
    }

    [Fact]
    public void VarStd_BiasedAndUnbiased_GradientsMatchFiniteDifferences()
    {
        using var scope = TensorScope.Begin();
        Tensor x = TestData.Normal(2, [3, 4]);
        GradCheck.Check(t => t.Var(), x, "var");
        GradCheck.Check(t => t.Var([1], unbiased: false), x, "var biased dim");
        GradCheck.Check(t => t.Std([0], keepDim: true), x, "std dim keepdim");
        GradCheck.Check(t => t.Std([], unbiased: false), x, "std all biased");
    }

    [Fact]
    public void Norm_SeveralP_GradientsMatchFiniteDifferences()
    {
        using var scope = TensorScope.Begin();
        // Distinct, non-zero values: |x| and the max-abs are differentiable there.
        Tensor x = TestData.Distinct(3, [3, 4], gap: 0.2);
        GradCheck.Check(t => t.Norm(), x, "2-norm");
        GradCheck.Check(t => t.Norm(1), x, "1-norm");
        GradCheck.Check(t => t.Norm(3, [1]), x, "3-norm over dim 1");
        GradCheck.Check(t => t.Norm(double.PositiveInfinity, [0], keepDim: true), x, "inf-norm over dim 0");
    }

    [Fact]
    public void LogSumExpMaxProd_GradientsMatchFiniteDifferences()
    {
        using var scope = TensorScope.Begin();
        Tensor x = TestData.Distinct(4, [3, 4], gap: 0.2);
        GradCheck.Check(t => t.LogSumExp(1), x, "logsumexp dim");
        GradCheck.Check(t => t.LogSumExp([0, 1], keepDim: true), x, "logsumexp all keepdim");
        GradCheck.Check(t => t.Max(1).Values, x, "max values dim 1");
        GradCheck.Check(t => t.Min(0, keepDim: true).Values, x, "min values dim 0");
        GradCheck.Check(t => t.Max(), x, "max of all");
        GradCheck.Check(t => t.Prod(1), x, "prod dim 1");
        GradCheck.Check(t => t.Prod(0, keepDim: true), x, "prod dim 0 keepdim");
    }

    [Fact]
    public void CumSum_GradientMatchesFiniteDifferences()
    {
        using var scope = TensorScope.Begin();
        GradCheck.Check(t => t.CumSum(1), TestData.Normal(5, [2, 4]), "cumsum");
    }
}
