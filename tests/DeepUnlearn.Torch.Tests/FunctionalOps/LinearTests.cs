using DeepUnlearn.Torch.Tests.Support;
using Xunit;
using F = DeepUnlearn.Torch.Nn.Functional;

namespace DeepUnlearn.Torch.Tests.FunctionalOps;

public class LinearTests
{
    [Fact]
    public void Linear_SmallInput_MatchesHandComputed()
    {
        using var scope = TensorScope.Begin();
        Tensor x = Tensor.From<double>([1, 2, 3, 4], [2, 2]);
        Tensor w = Tensor.From<double>([1, 0, 0.5, -1, 2, 1], [3, 2]);
        Tensor b = Tensor.From<double>([0.1, 0.2, 0.3], [3]);
        // y = x·Wᵀ + b: row 0 = (1, 0.5 − 2, 2 + 2) + b, row 1 = (3, 1.5 − 4, 6 + 4) + b.
        TensorAssert.Close([1.1, -1.3, 4.3, 3.1, -2.3, 10.3], [2, 3], F.Linear(x, w, b));
        TensorAssert.Close([1, -1.5, 4, 3, -2.5, 10], [2, 3], F.Linear(x, w));
    }

    [Fact]
    public void Linear_WithBias_GradientsMatchFiniteDifferences()
    {
        using var scope = TensorScope.Begin();
        GradCheck.Check(xs => F.Linear(xs[0], xs[1], xs[2]), [TestData.Normal(1, [3, 4]), TestData.Normal(2, [2, 4]), TestData.Normal(3, [2])]);
    }

    [Fact]
    public void Linear_BatchedWithoutBias_GradientsMatchFiniteDifferences()
    {
        using var scope = TensorScope.Begin();
        GradCheck.Check(xs => F.Linear(xs[0], xs[1]), [TestData.Normal(4, [2, 2, 3]), TestData.Normal(5, [4, 3])]);
    }
}
