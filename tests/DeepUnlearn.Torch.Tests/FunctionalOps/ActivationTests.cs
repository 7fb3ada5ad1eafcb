using System;
using DeepUnlearn.Torch.Tests.Support;
using Xunit;
using F = DeepUnlearn.Torch.Nn.Functional;

namespace DeepUnlearn.Torch.Tests.FunctionalOps;

/// <summary>relu, leaky_relu, gelu, silu, sigmoid and tanh: closed forms and finite differences.</summary>
public class ActivationTests
{
    private static readonly double[] s_points = [-2.5, -1, -0.3, 0.4, 1, 2];

    [Fact]
    public void Activations_SamplePoints_MatchClosedForms()
    {
        using var scope = TensorScope.Begin();
        Tensor x = Tensor.From<double>(s_points, [s_points.Length]);
        TensorAssert.Close(Map(v => Math.Max(v, 0)), F.Relu(x), 0, 0, "relu");
        TensorAssert.Close(Map(v => v > 0 ? v : 0.2 * v), F.LeakyRelu(x, 0.2), 1e-15, 1e-15, "leaky_relu");
        TensorAssert.Close(Map(v => v > 0 ? v : 0.01 * v), F.LeakyRelu(x), 1e-15, 1e-15, "leaky_relu default slope");
        TensorAssert.Close(Map(v => 1 / (1 + Math.Exp(-v))), F.Sigmoid(x), 1e-15, 1e-15, "sigmoid");
        TensorAssert.Close(Map(Math.Tanh), F.Tanh(x), 1e-15, 1e-15, "tanh");
        TensorAssert.Close(Map(v => v / (1 + Math.Exp(-v))), F.Silu(x), 1e-15, 1e-15, "silu");
        TensorAssert.Close(
            Map(v => 0.5 * v * (1 + Math.Tanh(Math.Sqrt(2 / Math.PI) * (v + 0.044715 * v * v * v)))),
            F.Gelu(x, tanhApproximation: true), 1e-15, 1e-15, "gelu (tanh)");
    }

    [Fact]
    public void Gelu_Exact_MatchesXTimesNormalCdf()
    {
        using var scope = TensorScope.Begin();
        // Φ(±1), Φ(2), Φ(0.5) to 16 digits.
        Tensor x = Tensor.From<double>([-1, 0, 0.5, 1, 2], [5]);
        double[] expected = [-1 * 0.15865525393145707, 0, 0.5 * 0.6914624612740131, 0.8413447460685429, 2 * 0.9772498680518208];
        TensorAssert.Close(expected, F.Gelu(x), 1e-15, 1e-15, "gelu");
    }

    [Fact]
    public void Activations_GradientsMatchFiniteDifferences()
    {
        using var scope = TensorScope.Begin();
        // Distinct values stay at least 0.05 away from the kink of relu and leaky_relu at 0.
        Tensor x = TestData.Distinct(50, [3, 4], gap: 0.3);
        GradCheck.Check(F.Relu, x, "relu");
        GradCheck.Check(t => F.LeakyRelu(t, 0.2), x, "leaky_relu");
        GradCheck.Check(t => F.Gelu(t), x, "gelu");
        GradCheck.Check(t => F.Gelu(t, tanhApproximation: true), x, "gelu tanh");
        GradCheck.Check(F.Silu, x, "silu");
        GradCheck.Check(F.Sigmoid, x, "sigmoid");
        GradCheck.Check(F.Tanh, x, "tanh");
    }

    private static double[] Map(Func<double, double> f) => Array.ConvertAll(s_points, v => f(v));
}
