using System;
using DeepUnlearn.Engine;
using TorchSharp;
using Xunit;

namespace DeepUnlearn.Tests.Engine;

/// <summary><see cref="PrecisionOptions"/>: parsing, and the defaults per device and compute capability.</summary>
public sealed class PrecisionOptionsTests
{
    [Theory]
    [InlineData("auto", MixedPrecisionMode.Auto)]
    [InlineData(" BF16 ", MixedPrecisionMode.BFloat16)]
    [InlineData("bfloat16", MixedPrecisionMode.BFloat16)]
    [InlineData("fp16", MixedPrecisionMode.Float16)]
    [InlineData("off", MixedPrecisionMode.Off)]
    public void ParseAmp_ValidSpellings_Parse(string text, MixedPrecisionMode expected) =>
        Assert.Equal(expected, PrecisionOptions.ParseAmp(text));

    [Theory]
    [InlineData("int8")]
    [InlineData("")]
    [InlineData("on")]
    public void ParseAmp_Other_ThrowsListingTheValidValues(string text)
    {
        var e = Assert.Throws<ArgumentException>(() => PrecisionOptions.ParseAmp(text));
        Assert.Contains($"--amp '{text}'", e.Message, StringComparison.Ordinal);
        Assert.Contains(PrecisionOptions.AmpValues, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ParseChannelsLast_Other_ThrowsListingTheValidValues()
    {
        Assert.Equal(ChannelsLastMode.On, PrecisionOptions.ParseChannelsLast("On"));
        var e = Assert.Throws<ArgumentException>(() => PrecisionOptions.ParseChannelsLast("nhwc"));
        Assert.Contains(PrecisionOptions.ChannelsLastValues, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Resolve_AutoOnCpu_IsFloat32Contiguous()
    {
        PrecisionPolicy policy = new PrecisionOptions().Resolve(DeviceType.CPU, "cpu", hasConvolutions: true, () => throw new InvalidOperationException("the CPU must not ask CUDA"));

        Assert.True(policy.IsOff);
        Assert.False(policy.LossScaling);
    }

    [Theory]
    [InlineData(8, 0, torch.ScalarType.BFloat16, false)]
    [InlineData(9, 0, torch.ScalarType.BFloat16, false)]
    [InlineData(7, 5, torch.ScalarType.Float16, true)]
    [InlineData(6, 1, torch.ScalarType.Float16, true)]
    public void Resolve_AutoOnCuda_Bf16FromAmpereElseFp16WithScaling(int major, int minor, torch.ScalarType dtype, bool scaling)
    {
        PrecisionPolicy policy = new PrecisionOptions().Resolve(DeviceType.CUDA, "cuda:0", hasConvolutions: true, () => (major, minor));

        Assert.Equal(dtype, policy.AutocastDtype);
        Assert.Equal(scaling, policy.LossScaling);
        Assert.True(policy.ChannelsLast);
    }

    [Fact]
    public void Resolve_AutoOnCudaUnknownCapability_Fp16WithScaling()
    {
        PrecisionPolicy policy = new PrecisionOptions().Resolve(DeviceType.CUDA, "cuda:0", hasConvolutions: false, () => null);

        Assert.Equal(torch.ScalarType.Float16, policy.AutocastDtype);
        Assert.True(policy.LossScaling);
        Assert.False(policy.ChannelsLast); // no convolutions: nothing to gain
    }

    [Fact]
    public void Resolve_Bf16OnPreAmpereCuda_ThrowsNamingTheCapability()
    {
        var options = new PrecisionOptions { Amp = MixedPrecisionMode.BFloat16 };

        var e = Assert.Throws<ArgumentException>(() => options.Resolve(DeviceType.CUDA, "cuda:1", true, () => (7, 0)));

        Assert.Contains("cuda:1 has compute capability 7.0", e.Message, StringComparison.Ordinal);
        Assert.Contains("--amp fp16", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Resolve_ExplicitOnCpu_FollowsTheOptions()
    {
        PrecisionPolicy policy = new PrecisionOptions { Amp = MixedPrecisionMode.Float16, ChannelsLast = ChannelsLastMode.On }
            .Resolve(DeviceType.CPU, "cpu", false, () => null);

        Assert.Equal(torch.ScalarType.Float16, policy.AutocastDtype);
        Assert.True(policy.LossScaling);
        Assert.True(policy.ChannelsLast);
        Assert.Equal("fp16", policy.AmpName);
        Assert.Null(policy.ForGradientMeasurement().AutocastDtype); // no unscaled float16 gradients
        Assert.False(policy.ForGradientMeasurement().LossScaling);
    }
}
