using System.Linq;
using Xunit;

namespace DeepUnlearn.Torch.Tests.Ops;

public class TensorCreationTests
{
    [Fact]
    public void ZerosOnesFullEmpty_HaveShapeDTypeAndValues()
    {
        using var scope = TensorScope.Begin();
        Tensor z = Tensor.Zeros([2, 3]);
        Assert.Equal(DType.Float32, z.DType);
        Assert.Equal([2L, 3L], z.ShapeArray());
        Assert.All(z.ToArray<float>(), v => Assert.Equal(0f, v));
        Assert.All(Tensor.Ones([4], DType.Int32).ToArray<int>(), v => Assert.Equal(1, v));
        Assert.Equal([7L, 7L], Tensor.Full([2], 7, DType.Int64).ToArray<long>());
        Assert.Equal([-0.25, -0.25, -0.25], Tensor.Full([3, 1], -0.25, DType.Float64).ToArray<double>());
        Tensor e = Tensor.Empty([3, 0, 2], DType.UInt8);
        Assert.Equal([3L, 0L, 2L], e.ShapeArray());
        Assert.Equal(DType.UInt8, e.DType);
        Assert.Equal([2L, 5L], Tensor.Empty([2, 5], DType.Float64).ShapeArray());
    }

    [Fact]
    public void Factories_RequiresGrad_CreateTrackedLeaves()
    {
        using var scope = TensorScope.Begin();
        Tensor[] leaves =
        [
            Tensor.Zeros([2], DType.Float64, requiresGrad: true),
            Tensor.Ones([2], DType.Float64, requiresGrad: true),
            Tensor.Full([2], 3, DType.Float64, requiresGrad: true),
            Tensor.Empty([2], DType.Float64, requiresGrad: true),
        ];
        foreach (Tensor leaf in leaves)
        {
            Assert.True(leaf.RequiresGrad);
            leaf.ZerosLike().Add(leaf).Sum().Backward();
            Assert.Equal([1.0, 1.0], leaf.Grad!.ToArray<double>());
        }
        Assert.False(Tensor.Zeros([2], DType.Float64).RequiresGrad);
    }

    [Fact]
    public void LikeFactories_KeepDTypeAndShape()
    {
        using var scope = TensorScope.Begin();
        Tensor x = Tensor.From<int>([1, 2, 3, 4, 5, 6], [3, 2]);
        Assert.Equal([0, 0, 0, 0, 0, 0], x.ZerosLike().ToArray<int>());
        Assert.Equal([1, 1, 1, 1, 1, 1], x.OnesLike().ToArray<int>());
        Tensor f = x.FullLike(-4);
        Assert.Equal(DType.Int32, f.DType);
        Assert.Equal([3L, 2L], f.ShapeArray());
        Assert.All(f.ToArray<int>(), v => Assert.Equal(-4, v));
    }

    [Fact]
    public void ArangeLinspaceEye_MatchHandValues()
    {
        using var scope = TensorScope.Begin();
        Tensor a = Tensor.Arange(5);
        Assert.Equal(DType.Int64, a.DType);
        Assert.Equal([0L, 1, 2, 3, 4], a.ToArray<long>());
        Assert.Equal([1.0, 1.25, 1.5, 1.75], Tensor.Arange(1, 2, 0.25, DType.Float64).ToArray<double>());
        Assert.Equal([5L, 3, 1], Tensor.Arange(5, 0, -2).ToArray<long>());
        Assert.Equal([0f, 0.25f, 0.5f, 0.75f, 1f], Tensor.Linspace(0, 1, 5).ToArray<float>());
        Assert.Equal([-1.0], Tensor.Linspace(-1, 1, 1, DType.Float64).ToArray<double>());
        Assert.Equal([1f, 0, 0, 0, 1, 0, 0, 0, 1], Tensor.Eye(3).ToArray<float>());
        Tensor rect = Tensor.Eye(2, 3, DType.Int64);
        Assert.Equal([2L, 3L], rect.ShapeArray());
        Assert.Equal([1L, 0, 0, 0, 1, 0], rect.ToArray<long>());
    }

    [Fact]
    public void Rand_Samples_LieInUnitIntervalWithMeanOneHalf()
    {
        using var scope = TensorScope.Begin();
        LibTorch.ManualSeed(1);
        double[] u = Tensor.Rand([20000], DType.Float64).ToArray<double>();
        Assert.All(u, v => Assert.True(v is >= 0 and < 1, $"{v} is outside [0, 1)"));
        Assert.InRange(u.Average(), 0.49, 0.51);
        Assert.InRange(u.Min(), 0, 0.001);
        Assert.InRange(u.Max(), 0.999, 1);
    }

    [Fact]
    public void Randn_Samples_HaveStandardNormalMoments()
    {
        using var scope = TensorScope.Begin();
        LibTorch.ManualSeed(2);
        Tensor x = Tensor.Randn([20000], DType.Float64);
        // Standard errors: mean 0.007, variance 0.01; skewness and excess kurtosis near 0.
        Assert.InRange(x.Mean().Item(), -0.03, 0.03);
        Assert.InRange(x.Var().Item(), 0.95, 1.05);
        Tensor z = x - x.Mean();
        Assert.InRange(z.Pow(3).Mean().Item(), -0.1, 0.1);
        Assert.InRange(z.Pow(4).Mean().Item(), 2.8, 3.2);
        Assert.Equal(DType.Float32, Tensor.Randn([2]).DType);
    }

    [Fact]
    public void Randint_Samples_CoverExactlyTheHalfOpenRange()
    {
        using var scope = TensorScope.Begin();
        LibTorch.ManualSeed(3);
        long[] v = Tensor.Randint(-2, 3, [2000]).ToArray<long>();
        Assert.Equal([-2L, -1, 0, 1, 2], v.Distinct().Order().ToArray());
        Tensor i32 = Tensor.Randint(0, 10, [5, 2], DType.Int32);
        Assert.Equal(DType.Int32, i32.DType);
        Assert.All(i32.ToArray<int>(), x => Assert.InRange(x, 0, 9));
        Assert.Throws<TorchException>(() => Tensor.Randint(5, 2, [3]));
    }

    [Fact]
    public void Randperm_IsAPermutation()
    {
        using var scope = TensorScope.Begin();
        LibTorch.ManualSeed(4);
        long[] p = Tensor.Randperm(100).ToArray<long>();
        Assert.Equal(Enumerable.Range(0, 100).Select(i => (long)i), p.Order());
        Assert.NotEqual(Enumerable.Range(0, 100).Select(i => (long)i), p);
        Assert.Empty(Tensor.Randperm(0).ToArray<long>());
    }

    [Fact]
    public void InPlaceSamplers_AndBernoulli_RespectParameters()
    {
        using var scope = TensorScope.Begin();
        LibTorch.ManualSeed(5);
        Tensor u = Tensor.Empty([10000], DType.Float64);
        Assert.Same(u, u.UniformInPlace(-3, -1));
        Assert.All(u.ToArray<double>(), v => Assert.InRange(v, -3, -1));
        Assert.InRange(u.Mean().Item(), -2.03, -1.97);
        Tensor n = Tensor.Empty([10000], DType.Float64).NormalInPlace(5, 0.5);
        Assert.InRange(n.Mean().Item(), 4.97, 5.03);
        Assert.InRange(n.Std([]).Item(), 0.48, 0.52);
        Tensor b = n.Bernoulli(0.3);
        Assert.Equal(DType.Float64, b.DType);
        Assert.All(b.ToArray<double>(), v => Assert.True(v is 0 or 1));
        Assert.InRange(b.Mean().Item(), 0.27, 0.33);
    }
}
