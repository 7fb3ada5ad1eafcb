using System;
using Xunit;
using F = DeepUnlearn.Torch.Nn.Functional;

namespace DeepUnlearn.Torch.Tests.Randomness;

/// <summary>LibTorch.ManualSeed makes every sampler drawing from the default generator reproducible.</summary>
public class ManualSeedTests
{
    [Fact]
    public void ManualSeed_SameSeed_ReplaysEverySampler()
    {
        Assert.Equal(Draw(123), Draw(123));
    }

    [Fact]
    public void ManualSeed_DifferentSeeds_GiveDifferentSamplesFromEverySampler()
    {
        double[] a = Draw(1);
        double[] b = Draw(2);
        // Compare sampler by sampler: each segment must differ.
        int[] lengths = [8, 8, 8, 20, 4, 4, 4, 8];
        int offset = 0;
        foreach (int length in lengths)
        {
            Assert.NotEqual(a.AsSpan(offset, length).ToArray(), b.AsSpan(offset, length).ToArray());
            offset += length;
        }
    }

    [Fact]
    public void ManualSeed_ReplaysTheDefaultGeneratorState()
    {
        using var scope = TensorScope.Begin();
        LibTorch.ManualSeed(9);
        Tensor state = Generator.GetState(null);
        double[] first = Tensor.Randn([5], DType.Float64).ToArray<double>();
        Generator.SetState(null, state);
        Assert.Equal(first, Tensor.Randn([5], DType.Float64).ToArray<double>());
    }

    /// <summary>Seeds, then draws from each sampler in turn (in-place fills, Bernoulli and dropout included), concatenated.</summary>
    private static double[] Draw(ulong seed)
    {
        using var scope = TensorScope.Begin();
        LibTorch.ManualSeed(seed);
        return Tensor.Cat(
        [
            Tensor.Randn([8], DType.Float64),
            Tensor.Rand([8], DType.Float64),
            Tensor.Randint(0, 1000, [8]).To(DType.Float64),
            Tensor.Randperm(20).To(DType.Float64),
            Tensor.Empty([4], DType.Float64).NormalInPlace(2, 3),
            Tensor.Empty([4], DType.Float64).UniformInPlace(-1, 1),
            Tensor.Zeros([4], DType.Float64).Bernoulli(0.5),
            F.Dropout(Tensor.Ones([8], DType.Float64), 0.5),
        ]).ToArray<double>();
    }
}
