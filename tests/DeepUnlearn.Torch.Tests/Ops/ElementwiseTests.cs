using System;
using DeepUnlearn.Torch.Tests.Support;
using Xunit;

namespace DeepUnlearn.Torch.Tests.Ops;

/// <summary>Arithmetic, unary functions and their in-place forms against hand-computed values.</summary>
public class ElementwiseTests
{
    private static readonly double[] s_a = [1, 2, -3, 4];
    private static readonly double[] s_b = [2, 0.5, 2, -4];

    [Fact]
    public void BinaryArithmetic_MatchesHandValues()
    {
        using var scope = TensorScope.Begin();
        Tensor a = Tensor.From(s_a);
        Tensor b = Tensor.From(s_b);
        Assert.Equal([5.0, 3, 1, -4], a.Add(b, alpha: 2).ToArray<double>());
        Assert.Equal([-1.0, 1.5, -5, 8], a.Sub(b).ToArray<double>());
        Assert.Equal([0.0, 1.75, -4, 6], a.Sub(b, alpha: 0.5).ToArray<double>());
        Assert.Equal([2.0, 1, -6, -16], (a * b).ToArray<double>());
        Assert.Equal([0.5, 4, -1.5, -1], (a / b).ToArray<double>());
        TensorAssert.Close([1, Math.Sqrt(2), 9, 1.0 / 256], a.Pow(b), 1e-15, 1e-15, "pow");
        Assert.Equal([2.0, 2, 2, 4], a.Maximum(b).ToArray<double>());
        Assert.Equal([1.0, 0.5, -3, -4], a.Minimum(b).ToArray<double>());
        // Python-style remainder takes the divisor's sign.
        Assert.Equal([1.0, 0, 1, 0], a.Remainder(b).ToArray<double>());
        Assert.Equal([-1.0, 0, -1, 0], a.Remainder(Tensor.From<double>([-2, 1, -2, 2], [4])).ToArray<double>());
        TensorAssert.Close([Math.Atan2(1, 2), Math.Atan2(2, 0.5), Math.Atan2(-3, 2), Math.Atan2(4, -4)], a.Atan2(b), 1e-15, 1e-15);
        TensorAssert.Close([1 + 3 * 1 * 2, 2 + 3 * 2 * 0.5, -3 + 3 * -3 * 2, 4 + 3 * 4 * -4], a.AddCMul(a, b, 3), 0, 0, "addcmul");
        TensorAssert.Close([1 + 0.5, 2 + 4, -3 - 1.5, 4 - 1], a.AddCDiv(a, b), 0, 0, "addcdiv");
    }

    [Fact]
    public void ScalarArithmeticAndOperators_MatchHandValues()
    {
        using var scope = TensorScope.Begin();
        Tensor a = Tensor.From(s_a);
        Assert.Equal([3.0, 4, -1, 6], (a + 2).ToArray<double>());
        Assert.Equal([3.0, 4, -1, 6], (2 + a).ToArray<double>());
        Assert.Equal([-1.0, 0, -5, 2], (a - 2).ToArray<double>());
        Assert.Equal([1.0, 0, 5, -2], (2 - a).ToArray<double>());
        Assert.Equal([3.0, 6, -9, 12], (a * 3).ToArray<double>());
        Assert.Equal([3.0, 6, -9, 12], (3 * a).ToArray<double>());
        Assert.Equal([0.5, 1, -1.5, 2], (a / 2).ToArray<double>());
        TensorAssert.Close([12, 6, -4, 3], 12 / a, 1e-15, 1e-15, "scalar / tensor");
        Assert.Equal([-1.0, -2, 3, -4], (-a).ToArray<double>());
        Assert.Equal([1.0, 4, 9, 16], a.Pow(2).ToArray<double>());
        Assert.Equal([2.0, 4, 0.125, 16], a.RPow(2).ToArray<double>());
        Assert.Equal([1.0, 2, 0, 1], a.Remainder(3).ToArray<double>());
        Assert.Equal([-1.0, -2, 3, -4], a.RSub(0).ToArray<double>());
        Assert.Equal([1.0, 0.5, -1.0 / 3, 0.25], a.RDiv(1).ToArray<double>());
    }

    [Fact]
    public void Broadcasting_AndTypePromotion_FollowPyTorch()
    {
        using var scope = TensorScope.Begin();
        Tensor column = Tensor.From<double>([10, 20], [2, 1]);
        Tensor row = Tensor.From<double>([1, 2, 3], [3]);
        Tensor sum = column + row;
        Assert.Equal([2L, 3L], sum.ShapeArray());
        Assert.Equal([11.0, 12, 13, 21, 22, 23], sum.ToArray<double>());
        Tensor i = Tensor.From<long>([1, 2, 3], [3]);
        Assert.Equal(DType.Float64, (i + row).DType);
        Assert.Equal(DType.Int64, (i * 2).DType);
        Tensor quotient = i / Tensor.From<long>([2, 2, 2], [3]);
        Assert.Equal(DType.Float32, quotient.DType);
        Assert.Equal([0.5f, 1, 1.5f], quotient.ToArray<float>());
    }

    [Fact]
    public void IntegerTensors_IntegralScalarsAndAlpha_KeepTheIntegerDType()
    {
        using var scope = TensorScope.Begin();
        Tensor a = Tensor.From<long>([1, 2, -3], [3]);
        Tensor b = Tensor.From<long>([10, 20, 30], [3]);
        Tensor sum = a + b;
        Assert.Equal(DType.Int64, sum.DType);
        Assert.Equal([11L, 22, 27], sum.ToArray<long>());
        Assert.Equal([-9L, -18, -33], (a - b).ToArray<long>());
        Assert.Equal([21L, 42, 57], a.Add(b, alpha: 2).ToArray<long>());
        Assert.Equal([2L, 4, -6], (a * 2).ToArray<long>());
        Assert.Equal([2L, 3, -2], (a + 1).ToArray<long>());
        Assert.Equal([1L, 4, 9], a.Pow(2).ToArray<long>());
        Assert.Equal([1L, 2, 0], a.Remainder(3).ToArray<long>());
        Assert.Equal([4L, 3, 8], a.RSub(5).ToArray<long>());
        Tensor c = a.Clone();
        c.AddInPlace(1).MulInPlace(3).AddInPlace(b, -1);
        Assert.Equal(DType.Int64, c.DType);
        Assert.Equal([-4L, -11, -36], c.ToArray<long>());
        Assert.Equal([4, 6], Tensor.From<int>([2, 3], [2]).Mul(2).ToArray<int>());
        Assert.Equal([2L, 0], Tensor.From<bool>([true, false], [2]).Mul(2).ToArray<long>());
        // Non-integral scalars promote as in PyTorch; a fractional alpha is rejected for integers.
        Tensor half = a * 0.5;
        Assert.Equal(DType.Float32, half.DType);
        Assert.Equal([0.5f, 1, -1.5f], half.ToArray<float>());
        Assert.Throws<TorchException>(() => a.Add(b, alpha: 0.5));
        Assert.Throws<TorchException>(() => a.Clone().AddInPlace(0.5));
    }

    [Fact]
    public void UnaryFunctions_MatchMathLibrary()
    {
        using var scope = TensorScope.Begin();
        double[] v = [0.25, 1, 2.5, 4];
        Tensor x = Tensor.From(v);
        Tensor s = Tensor.From<double>([-1.5, -0.5, 0.5, 2.5], [4]);
        Check(v, Math.Exp, x.Exp(), "exp");
        Check(v, Math.Log, x.Log(), "log");
        Check(v, t => Math.Log(1 + t), x.Log1p(), "log1p");
        Check(v, t => Math.Exp(t) - 1, x.Expm1(), "expm1");
        Check(v, Math.Sqrt, x.Sqrt(), "sqrt");
        Check(v, t => 1 / Math.Sqrt(t), x.Rsqrt(), "rsqrt");
        Check(v, Math.Sin, x.Sin(), "sin");
        Check(v, Math.Cos, x.Cos(), "cos");
        Check(v, Math.Tanh, x.Tanh(), "tanh");
        Check(v, t => 1 / (1 + Math.Exp(-t)), x.Sigmoid(), "sigmoid");
        Check(v, t => t / (1 + Math.Exp(-t)), x.Silu(), "silu");
        Check(v, t => t * t, x.Square(), "square");
        Check(v, t => 1 / t, x.Reciprocal(), "reciprocal");
        TensorAssert.Close([-0.5204998778130465, 0.8427007929497149], Tensor.From<double>([-0.5, 1], [2]).Erf(), 1e-15, 1e-15, "erf");
        Assert.Equal([1.5, 0.5, 0.5, 2.5], s.Abs().ToArray<double>());
        Assert.Equal([1.5, 0.5, -0.5, -2.5], s.Neg().ToArray<double>());
        Assert.Equal([-1.0, -1, 1, 1], s.Sign().ToArray<double>());
        Assert.Equal([0.0, 0, 0.5, 2.5], s.Relu().ToArray<double>());
        Assert.Equal([-2.0, -1, 0, 2], s.Floor().ToArray<double>());
        Assert.Equal([-1.0, -0.0, 1, 3], s.Ceil().ToArray<double>());
        // Round half to even.
        Assert.Equal([-2.0, -0.0, 0, 2], s.Round().ToArray<double>());
        Assert.Equal([0.0], Tensor.From<double>([0], [1]).Sign().ToArray<double>());
    }

    [Fact]
    public void Predicates_FlagNanInfAndLogicalNot()
    {
        using var scope = TensorScope.Begin();
        Tensor x = Tensor.From<double>([1, double.NaN, double.PositiveInfinity, double.NegativeInfinity], [4]);
        Assert.Equal([false, true, false, false], x.IsNan().ToArray<bool>());
        Assert.Equal([false, false, true, true], x.IsInf().ToArray<bool>());
        Assert.Equal([true, false, false, false], x.IsFinite().ToArray<bool>());
        Assert.Equal([false, true], Tensor.From<bool>([true, false], [2]).LogicalNot().ToArray<bool>());
    }

    [Fact]
    public void InPlaceArithmetic_ModifiesAndReturnsThis()
    {
        using var scope = TensorScope.Begin();
        Tensor b = Tensor.From(s_b);
        Tensor x = Tensor.From(s_a);
        Assert.Same(x, x.AddInPlace(b, 2));
        Assert.Equal([5.0, 3, 1, -4], x.ToArray<double>());
        Assert.Same(x, x.SubInPlace(b, 2));
        Assert.Equal(s_a, x.ToArray<double>());
        Assert.Equal([2.0, 1, -6, -16], x.MulInPlace(b).ToArray<double>());
        Assert.Equal([1.0, 2, -3, 4], x.DivInPlace(b).ToArray<double>());
        Assert.Equal([2.0, 2, 2, 4], x.MaximumInPlace(b).ToArray<double>());
        Assert.Equal([2.0, 0.5, 2, -4], x.MinimumInPlace(b).ToArray<double>());
        Assert.Equal([4.0, 0.25, 4, 16], x.PowInPlace(Tensor.Full([4], 2, DType.Float64)).ToArray<double>());
        Assert.Equal([5.0, 1.25, 5, 17], x.AddInPlace(1).ToArray<double>());
        Assert.Equal([4.0, 0.25, 4, 16], x.SubInPlace(1).ToArray<double>());
        Assert.Equal([8.0, 0.5, 8, 32], x.MulInPlace(2).ToArray<double>());
        Assert.Equal([2.0, 0.125, 2, 8], x.DivInPlace(4).ToArray<double>());
        Assert.Equal([4.0, 1.0 / 64, 4, 64], x.PowInPlace(2).ToArray<double>());
        Assert.Equal([4 + 2 * 2.0, 1.0 / 64 + 2 * 0.5, 4 + 2 * 2.0, 64 + 2 * -4.0], x.AddCMulInPlace(b, Tensor.Ones([4], DType.Float64), 2).ToArray<double>());
        Assert.Equal([8 + 1.0, 1.0 / 64 + 1 + 0.25, 8 + 1.0, 56 - 2.0], x.AddCDivInPlace(b, Tensor.Full([4], 2, DType.Float64)).ToArray<double>());
        Assert.Equal([9 + 0.25 * (2 - 9.0), 1.265625 + 0.25 * (0.5 - 1.265625), 9 + 0.25 * (2 - 9.0), 54 + 0.25 * (-4 - 54.0)], x.LerpInPlace(b, 0.25).ToArray<double>());
        Assert.Equal([7.0, 7, 7, 7], x.FillInPlace(7).ToArray<double>());
        Assert.Equal([0.0, 0, 0, 0], x.ZeroInPlace().ToArray<double>());
    }

    [Fact]
    public void InPlaceUnary_ModifiesAndReturnsThis()
    {
        using var scope = TensorScope.Begin();
        Tensor x = Tensor.From<double>([-1.5, 0.25, 2.5, 4], [4]);
        Assert.Same(x, x.NegInPlace());
        Assert.Equal([1.5, -0.25, -2.5, -4], x.ToArray<double>());
        Assert.Equal([1.5, 0.25, 2.5, 4], x.AbsInPlace().ToArray<double>());
        Assert.Equal([1.5 * 1.5, 0.0625, 6.25, 16], x.SquareInPlace().ToArray<double>());
        Assert.Equal([1.5, 0.25, 2.5, 4], x.SqrtInPlace().ToArray<double>());
        Assert.Equal([1 / 1.5, 4, 0.4, 0.25], x.ReciprocalInPlace().ToArray<double>());
        TensorAssert.Close([Math.Log(1 / 1.5), Math.Log(4), Math.Log(0.4), Math.Log(0.25)], x.LogInPlace(), 1e-15, 1e-15, "log_");
        TensorAssert.Close([1 / 1.5, 4, 0.4, 0.25], x.ExpInPlace(), 1e-15, 1e-15, "exp_");
        Assert.Equal([-2.0, 0, 2, 4], Tensor.From<double>([-1.5, 0.5, 2.5, 4], [4]).FloorInPlace().ToArray<double>());
        Tensor r = Tensor.From<double>([0.5, 1.5, -2.5, -0.4], [4]);
        Assert.Equal([0.0, 2, -2, -0.0], r.RoundInPlace().ToArray<double>());
        Assert.Equal([0.0, 1, -1, 0], r.SignInPlace().ToArray<double>());
        Assert.Equal([0.0, 1, 0, 0], r.ReluInPlace().ToArray<double>());
        TensorAssert.Close([0.5, 1 / (1 + Math.Exp(-1)), 0.5, 0.5], r.SigmoidInPlace(), 1e-15, 1e-15, "sigmoid_");
        TensorAssert.Close([Math.Tanh(0.5), Math.Tanh(1 / (1 + Math.Exp(-1))), Math.Tanh(0.5), Math.Tanh(0.5)], r.TanhInPlace(), 1e-15, 1e-15, "tanh_");
    }

    [Fact]
    public void InPlaceOnLeafRequiringGrad_ThrowsTorchException()
    {
        using var scope = TensorScope.Begin();
        Tensor leaf = Tensor.Ones([2], DType.Float64, requiresGrad: true);
        var e = Assert.Throws<TorchException>(() => leaf.MulInPlace(2));
        Assert.Contains("leaf Variable that requires grad", e.Message, StringComparison.Ordinal);
        using (LibTorch.NoGrad())
        {
            leaf.MulInPlace(2);
        }
        Assert.Equal([2.0, 2.0], leaf.Detach().ToArray<double>());
        Tensor leafCopy = Tensor.Ones([2], DType.Float64, requiresGrad: true);
        leafCopy.DetachInPlace();
        Assert.False(leafCopy.RequiresGrad);
    }

    private static void Check(double[] input, Func<double, double> f, Tensor actual, string what) =>
        TensorAssert.Close(Array.ConvertAll(input, t => f(t)), actual, 1e-15, 1e-15, what);
}
