using System;
using DeepUnlearn.Torch.Tests.Support;
using Xunit;

namespace DeepUnlearn.Torch.Tests.Differentiation;

/// <summary>Backward, .Grad, grad mode and Autograd.Grad against closed-form derivatives.</summary>
public class AutogradTests
{
    [Fact]
    public void Backward_Cubic_AccumulatesClosedFormGradient()
    {
        using var scope = TensorScope.Begin();
        Tensor x = Tensor.From<double>([1, -2, 0.5], [3]).RequiresGradInPlace();
        Assert.Null(x.Grad);
        x.Pow(3).Sum().Backward();
        TensorAssert.Close([3, 12, 0.75], x.Grad!, 0, 0, "3x²");
        // A second backward accumulates.
        x.Pow(3).Sum().Backward();
        TensorAssert.Close([6, 24, 1.5], x.Grad!, 0, 0, "accumulated");
        x.Grad = null;
        Assert.Null(x.Grad);
    }

    [Fact]
    public void Backward_NonScalarWithGradient_WeightsTheJacobian()
    {
        using var scope = TensorScope.Begin();
        Tensor x = Tensor.From<double>([1, 2], [2]).RequiresGradInPlace();
        Tensor y = x.Square();
        y.Backward(Tensor.From<double>([10, 100], [2]));
        TensorAssert.Close([20, 400], x.Grad!, 0, 0);
    }

    [Fact]
    public void Backward_RetainGraph_AllowsASecondPass()
    {
        using var scope = TensorScope.Begin();
        Tensor x = Tensor.From<double>([3], [1]).RequiresGradInPlace();
        Tensor y = x.Exp().Sum();
        y.Backward(retainGraph: true);
        y.Backward();
        TensorAssert.Close([2 * Math.Exp(3)], x.Grad!, 1e-12, 1e-15);
        // Without retainGraph the freed graph cannot be reused.
        Tensor z = x.Exp().Sum();
        z.Backward();
        Assert.Throws<TorchException>(() => z.Backward());
    }

    [Fact]
    public void GradSetter_ReplacesGradient()
    {
        using var scope = TensorScope.Begin();
        Tensor x = Tensor.Zeros([2], DType.Float64, requiresGrad: true);
        x.Grad = Tensor.From<double>([1, 2], [2]);
        x.Sum().Backward();
        TensorAssert.Close([2, 3], x.Grad!, 0, 0);
    }

    [Fact]
    public void NoGrad_StopsRecordingAndRestoresMode()
    {
        using var scope = TensorScope.Begin();
        Tensor x = Tensor.Ones([2], DType.Float64, requiresGrad: true);
        Assert.True(LibTorch.IsGradEnabled);
        using (LibTorch.NoGrad())
        {
            Assert.False(LibTorch.IsGradEnabled);
            Assert.False((x * 2).RequiresGrad);
            using (LibTorch.EnableGrad())
            {
                Assert.True((x * 2).RequiresGrad);
            }
            Assert.False(LibTorch.IsGradEnabled);
        }
        Assert.True(LibTorch.IsGradEnabled);
        Assert.True((x * 2).RequiresGrad);
        Assert.False((x * 2).Detach().RequiresGrad);
    }

    [Fact]
    public void Grad_SeveralInputs_ReturnsClosedFormWithoutTouchingDotGrad()
    {
        using var scope = TensorScope.Begin();
        Tensor a = Tensor.From<double>([2], [1]).RequiresGradInPlace();
        Tensor b = Tensor.From<double>([5], [1]).RequiresGradInPlace();
        Tensor f = (a * a * b).Sum();
        Tensor[] grads = Torch.Autograd.Grad(f, [a, b]);
        TensorAssert.Close([2 * 2 * 5], grads[0], 0, 0, "df/da = 2ab");
        TensorAssert.Close([4], grads[1], 0, 0, "df/db = a²");
        Assert.Null(a.Grad);
        Assert.Null(b.Grad);
    }

    [Fact]
    public void Grad_UnusedInput_IsNullOnlyWhenAllowed()
    {
        using var scope = TensorScope.Begin();
        Tensor a = Tensor.From<double>([2], [1]).RequiresGradInPlace();
        Tensor unused = Tensor.From<double>([5], [1]).RequiresGradInPlace();
        Tensor f = a.Square().Sum();
        Tensor?[] grads = Torch.Autograd.Grad([f], [a, unused], retainGraph: true, allowUnused: true);
        TensorAssert.Close([4], grads[0]!, 0, 0);
        Assert.Null(grads[1]);
        Assert.Throws<TorchException>(() => Torch.Autograd.Grad([f], [a, unused], retainGraph: true));
    }

    [Fact]
    public void Grad_MismatchedGradOutputs_ThrowsArgumentException()
    {
        using var scope = TensorScope.Begin();
        Tensor a = Tensor.Ones([2], DType.Float64, requiresGrad: true);
        Tensor y = a * 3;
        Tensor g = Tensor.Ones([2], DType.Float64);
        Assert.Throws<ArgumentException>(() => Torch.Autograd.Grad([y], [a], [g, g]));
    }

    [Fact]
    public void Grad_CreateGraph_GivesSecondAndThirdDerivatives()
    {
        using var scope = TensorScope.Begin();
        Tensor x = Tensor.From<double>([0.7, -1.3], [2]).RequiresGradInPlace();
        Tensor f = (x.Pow(4) + x.Sin()).Sum();
        Tensor first = Torch.Autograd.Grad(f, [x], createGraph: true)[0];
        Tensor second = Torch.Autograd.Grad(first.Sum(), [x], createGraph: true)[0];
        Tensor third = Torch.Autograd.Grad(second.Sum(), [x])[0];
        double[] v = [0.7, -1.3];
        TensorAssert.Close(Array.ConvertAll(v, t => 4 * t * t * t + Math.Cos(t)), first, 1e-14, 1e-14, "f'");
        TensorAssert.Close(Array.ConvertAll(v, t => 12 * t * t - Math.Sin(t)), second, 1e-14, 1e-14, "f''");
        TensorAssert.Close(Array.ConvertAll(v, t => 24 * t - Math.Cos(t)), third, 1e-14, 1e-14, "f'''");
    }

    [Fact]
    public void Backward_CreateGraph_MakesTheGradientDifferentiable()
    {
        using var scope = TensorScope.Begin();
        Tensor x = Tensor.From<double>([1.5], [1]).RequiresGradInPlace();
        x.Pow(3).Sum().Backward(createGraph: true);
        Tensor first = x.Grad!;
        Assert.True(first.RequiresGrad);
        TensorAssert.Close([3 * 1.5 * 1.5], first, 1e-15, 1e-15, "3x²");
        Tensor second = Torch.Autograd.Grad(first.Sum(), [x])[0];
        TensorAssert.Close([6 * 1.5], second, 1e-15, 1e-15, "6x");
        // The gradient refers to its own graph, which refers to x: break the cycle, as in PyTorch.
        x.Grad = null;
    }

    [Fact]
    public void Backward_OnTensorWithoutGraph_ThrowsTorchException()
    {
        using var scope = TensorScope.Begin();
        Tensor x = Tensor.Ones([2], DType.Float64);
        var e = Assert.Throws<TorchException>(() => x.Sum().Backward());
        Assert.Contains("does not require grad", e.Message, StringComparison.Ordinal);
    }
}
