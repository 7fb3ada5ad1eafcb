using System;
using Xunit;

namespace DeepUnlearn.Torch.Tests.Randomness;

/// <summary>Explicit generators: reproducible, independent of the global seed, and their state replays.</summary>
public class GeneratorTests
{
    [Fact]
    public void Generator_SameSeed_GivesIdenticalSequences()
    {
        using var g1 = new Generator(7);
        using var g2 = new Generator(7);
        Assert.Equal(Draw(g1), Draw(g2));
        // And the sequences continue identically.
        Assert.Equal(Draw(g1), Draw(g2));
    }

    [Fact]
    public void Generator_DifferentSeeds_GiveDifferentSequences()
    {
        using var g1 = new Generator(7);
        using var g2 = new Generator(8);
        Assert.NotEqual(Draw(g1).AsSpan(0, 6).ToArray(), Draw(g2).AsSpan(0, 6).ToArray());
    }

    [Fact]
    public void Generator_IsIndependentOfTheGlobalSeed()
    {
        using var g1 = new Generator(11);
        LibTorch.ManualSeed(1);
        var first = Draw(g1);
        using var g2 = new Generator(11);
        LibTorch.ManualSeed(2);
        using (TensorScope.Begin())
        {
            // Draws from the default generator in between change nothing.
            Tensor.Randn([100]);
        }
        Assert.Equal(first, Draw(g2));
    }

    [Fact]
    public void Generator_DrawsDoNotAdvanceTheDefaultGenerator()
    {
        using var scope = TensorScope.Begin();
        using var g = new Generator(3);
        LibTorch.ManualSeed(5);
        double[] expected = Tensor.Randn([6], DType.Float64).ToArray<double>();
        LibTorch.ManualSeed(5);
        Draw(g);
        Assert.Equal(expected, Tensor.Randn([6], DType.Float64).ToArray<double>());
    }

    [Fact]
    public void GetStateSetState_ReplaysTheSequence()
    {
        using var scope = TensorScope.Begin();
        using var g = new Generator(21);
        Draw(g);
        Tensor state = g.GetState();
        Assert.Equal(DType.UInt8, state.DType);
        var expected = Draw(g);
        Assert.NotEqual(expected, Draw(g));
        g.SetState(state);
        Assert.Equal(expected, Draw(g));
        // A state restores into another generator too.
        using var other = new Generator(999);
        other.SetState(state);
        Assert.Equal(expected, Draw(other));
    }

    [Fact]
    public void ManualSeed_OnGenerator_RestartsItsSequence()
    {
        using var g = new Generator(4);
        var first = Draw(g);
        g.ManualSeed(4);
        Assert.Equal(first, Draw(g));
    }

    [Fact]
    public void DisposedGenerator_ThrowsObjectDisposedException()
    {
        using var scope = TensorScope.Begin();
        var g = new Generator(1);
        g.Dispose();
        Assert.Throws<ObjectDisposedException>(() => Tensor.Randn([2], generator: g));
        Assert.Throws<ObjectDisposedException>(() => g.GetState());
    }

    [Fact]
    public void SetState_InvalidState_ThrowsTorchException()
    {
        using var scope = TensorScope.Begin();
        using var g = new Generator(1);
        Assert.Throws<TorchException>(() => g.SetState(Tensor.Zeros([3], DType.UInt8)));
        Assert.Throws<TorchException>(() => g.SetState(Tensor.Zeros([3])));
    }

    /// <summary>One draw from each sampler, concatenated (integers as float64): normal values come first.</summary>
    private static double[] Draw(Generator g)
    {
        using var scope = TensorScope.Begin();
        return Tensor.Cat(
        [
            Tensor.Randn([6], DType.Float64, generator: g),
            Tensor.Rand([6], DType.Float64, generator: g),
            Tensor.Randint(0, 1000, [6], generator: g).To(DType.Float64),
            Tensor.Randperm(12, generator: g).To(DType.Float64),
            Tensor.Empty([3], DType.Float64).NormalInPlace(0, 1, g),
            Tensor.Empty([3], DType.Float64).UniformInPlace(0, 1, g),
            Tensor.Zeros([8], DType.Float64).Bernoulli(0.5, g),
        ]).ToArray<double>();
    }
}
