using System;
using System.Globalization;
using Xunit;

namespace DeepUnlearn.Torch.Tests.Runtime;

/// <summary>Process-wide settings: version, thread count, devices.</summary>
public class LibTorchTests
{
    [Fact]
    public void Version_IsASupportedLibTorch()
    {
        string version = LibTorch.Version;
        Assert.Matches(@"^(1\.13|2\.\d+)\.\d+", version);
    }

    [Fact]
    public void NumThreads_DefaultsToProcessorCountOrDuNumThreads()
    {
        string? configured = Environment.GetEnvironmentVariable("DU_NUM_THREADS");
        int expected = int.TryParse(configured, NumberStyles.None, CultureInfo.InvariantCulture, out int n) && n > 0
            ? n
            : Environment.ProcessorCount;
        Assert.Equal(expected, LibTorch.NumThreads);
    }

    [Fact]
    public void SetNumThreads_One_IsReadBackAndRestored()
    {
        int original = LibTorch.NumThreads;
        try
        {
            LibTorch.SetNumThreads(1);
            Assert.Equal(1, LibTorch.NumThreads);
            using var scope = TensorScope.Begin();
            Assert.Equal(4950.0, Tensor.Arange(0, 100, 1, DType.Float64).Sum().Item());
        }
        finally
        {
            LibTorch.SetNumThreads(original);
        }
        Assert.Equal(original, LibTorch.NumThreads);
    }

    [Fact]
    public void SetNumThreads_BelowOne_ThrowsArgumentOutOfRange()
    {
        int original = LibTorch.NumThreads;
        Assert.Throws<ArgumentOutOfRangeException>(() => LibTorch.SetNumThreads(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => LibTorch.SetNumThreads(-3));
        Assert.Equal(original, LibTorch.NumThreads);
    }

    [Fact]
    public void Cuda_AvailabilityAndDeviceCountAgree()
    {
        Assert.Equal(LibTorch.CudaIsAvailable, LibTorch.CudaDeviceCount > 0);
        Assert.Equal(LibTorch.CudaIsAvailable ? Device.Cuda(0) : Device.Cpu, Device.Auto);
    }
}
