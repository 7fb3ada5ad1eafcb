using System;
using DeepUnlearn.Torch.Tests.Support;
using Xunit;

namespace DeepUnlearn.Torch.Tests.Differentiation;

/// <summary>
/// Hessian-vector products by double backward (∇(∇f · v) with createGraph), as influence functions,
/// Newton steps and DeltaGrad use them, checked against Hessians known in closed form.
/// </summary>
public class HessianVectorProductTests
{
    [Fact]
    public void Hvp_QuadraticPlusCubic_EqualsClosedForm()
    {
        using var scope = TensorScope.Begin();
        const int n = 4;
        double[] a = TestData.NormalValues(1, n * n);
        double[] x0 = TestData.NormalValues(2, n);
        double[] v = TestData.NormalValues(3, n);
        Tensor matrix = Tensor.From<double>(a, [n, n]);
        Tensor x = Tensor.From<double>(x0, [n]).RequiresGradInPlace();
        Tensor vector = Tensor.From<double>(v, [n]);

        // f(x) = ½ xᵀAx + Σ xᵢ³; ∇f = ½(A + Aᵀ)x + 3x²; H = ½(A + Aᵀ) + diag(6x).
        Tensor f = x.MatMul(matrix.MatMul(x)).Mul(0.5) + x.Pow(3).Sum();
        Tensor hv = Hvp(f, x, vector);

        var expected = new double[n];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < n; j++)
            {
                double h = 0.5 * (a[i * n + j] + a[j * n + i]) + (i == j ? 6 * x0[i] : 0);
                expected[i] += h * v[j];
            }
        }
        TensorAssert.Close(expected, hv, 1e-12, 1e-12, "Hv");
    }

    [Fact]
    public void Hvp_LogisticRegressionLoss_EqualsXtDiagSigmaOneMinusSigmaX()
    {
        using var scope = TensorScope.Begin();
        const int samples = 6, features = 3;
        double[] xData = TestData.NormalValues(10, samples * features);
        double[] labels = [1, 0, 1, 1, 0, 0];
        double[] w0 = TestData.NormalValues(11, features, scale: 0.5);
        double[] v = TestData.NormalValues(12, features);
        Tensor data = Tensor.From<double>(xData, [samples, features]);
        Tensor y = Tensor.From<double>(labels, [samples]);
        Tensor w = Tensor.From<double>(w0, [features]).RequiresGradInPlace();

        // L(w) = mean BCE(σ(Xw), y); H = Xᵀ diag(σ(1 − σ)) X / N, independent of y.
        Tensor loss = Nn.Functional.BinaryCrossEntropyWithLogits(data.MatMul(w), y);
        Tensor hv = Hvp(loss, w, Tensor.From<double>(v, [features]));

        var expected = new double[features];
        for (int s = 0; s < samples; s++)
        {
            double z = 0, xv = 0;
            for (int k = 0; k < features; k++)
            {
                z += xData[s * features + k] * w0[k];
                xv += xData[s * features + k] * v[k];
            }
            double sigma = 1 / (1 + Math.Exp(-z));
            for (int i = 0; i < features; i++)
            {
                expected[i] += xData[s * features + i] * sigma * (1 - sigma) * xv / samples;
            }
        }
        TensorAssert.Close(expected, hv, 1e-13, 1e-12, "Hv");
    }

    [Fact]
    public void Hvp_SeveralParameterTensors_MatchesFiniteDifferenceOfGradient()
    {
        using var scope = TensorScope.Begin();
        // A tiny two-layer network; Hv checked against (∇f(θ + εv) − ∇f(θ − εv)) / 2ε.
        Tensor input = TestData.Normal(20, [5, 3]);
        Tensor w1 = TestData.Normal(21, [4, 3]).RequiresGradInPlace();
        Tensor w2 = TestData.Normal(22, [2, 4]).RequiresGradInPlace();
        Tensor v1 = TestData.Normal(23, [4, 3]);
        Tensor v2 = TestData.Normal(24, [2, 4]);
        Tensor target = Tensor.From<long>([0, 1, 1, 0, 1], [5]);
        Tensor Loss(Tensor a, Tensor b) => Nn.Functional.CrossEntropy(Nn.Functional.Linear(Nn.Functional.Linear(input, a).Tanh(), b), target);

        Tensor[] grads = Torch.Autograd.Grad(Loss(w1, w2), [w1, w2], createGraph: true);
        Tensor dot = (grads[0] * v1).Sum() + (grads[1] * v2).Sum();
        Tensor[] hv = Torch.Autograd.Grad(dot, [w1, w2]);

        const double eps = 1e-6;
        Tensor[] Gradient(double step)
        {
            Tensor a = (w1.Detach() + v1 * step).RequiresGradInPlace();
            Tensor b = (w2.Detach() + v2 * step).RequiresGradInPlace();
            return Torch.Autograd.Grad(Loss(a, b), [a, b]);
        }
        Tensor[] plus = Gradient(eps);
        Tensor[] minus = Gradient(-eps);
        for (int i = 0; i < 2; i++)
        {
            Tensor numeric = (plus[i] - minus[i]) / (2 * eps);
            TensorAssert.Close(numeric.ToArray<double>(), hv[i], 1e-7, 1e-6, $"Hv block {i}");
        }
    }

    private static Tensor Hvp(Tensor f, Tensor x, Tensor v)
    {
        Tensor gradient = Torch.Autograd.Grad(f, [x], createGraph: true)[0];
        Assert.True(gradient.RequiresGrad, "the gradient built with createGraph must itself be differentiable");
        return Torch.Autograd.Grad(gradient.Dot(v), [x])[0];
    }
}
