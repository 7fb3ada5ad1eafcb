using System;
using DeepUnlearn.Engine;
using TorchSharp;
using Xunit;

namespace DeepUnlearn.Tests.Engine;

public sealed class DeviceResolverTests
{
    public DeviceResolverTests() => TorchRuntime.EnsureInitialized();

    [Theory]
    [InlineData("auto", false, 0, DeviceType.CPU, -1)]
    [InlineData("auto", true, 2, DeviceType.CUDA, 0)]
    [InlineData(" CPU ", true, 2, DeviceType.CPU, -1)]
    [InlineData("cuda", true, 1, DeviceType.CUDA, 0)]
    [InlineData("cuda:1", true, 2, DeviceType.CUDA, 1)]
    [InlineData("CUDA:0", true, 1, DeviceType.CUDA, 0)]
    public void Resolve_ValidSpec_GivesDevice(string spec, bool cuda, int count, DeviceType type, int index)
    {
        torch.Device device = DeviceResolver.Resolve(spec, cuda, count);

        Assert.Equal(type, device.type);
        Assert.Equal(index, device.index);
    }

    [Theory]
    [InlineData("cuda", false, 0, "device 'cuda': CUDA is not available")]
    [InlineData("cuda:0", false, 0, "device 'cuda:0': CUDA is not available")]
    [InlineData("cuda:2", true, 2, "device 'cuda:2': this machine has 2 CUDA device(s), so valid indices are 0 to 1")]
    [InlineData("cuda:x", true, 2, "device 'cuda:x': 'x' is not a device index")]
    [InlineData("cuda:-1", true, 2, "device 'cuda:-1': '-1' is not a device index")]
    [InlineData("gpu", true, 2, "unknown device 'gpu'; valid devices: auto, cpu, cuda, cuda:N")]
    [InlineData("", false, 0, "unknown device ''")]
    [InlineData("cpu:0", false, 0, "unknown device 'cpu:0'")]
    public void Resolve_InvalidSpec_ThrowsSayingWhatIsValid(string spec, bool cuda, int count, string message)
    {
        var e = Assert.Throws<ArgumentException>(() => DeviceResolver.Resolve(spec, cuda, count));

        Assert.Contains(message, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Resolve_OnThisMachine_AutoAndCpuWork()
    {
        Assert.Equal(DeviceType.CPU, DeviceResolver.Resolve("cpu").type);
        Assert.Equal(torch.cuda.is_available() ? DeviceType.CUDA : DeviceType.CPU, DeviceResolver.Resolve("auto").type);
        if (!torch.cuda.is_available())
        {
            Assert.Contains("CUDA is not available", Assert.Throws<ArgumentException>(() => DeviceResolver.Resolve("cuda")).Message, StringComparison.Ordinal);
        }
    }
}
