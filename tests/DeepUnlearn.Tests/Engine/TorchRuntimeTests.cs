using System;
using System.Runtime.InteropServices;
using DeepUnlearn.Engine;
using TorchSharp;
using Xunit;

namespace DeepUnlearn.Tests.Engine;

public sealed class TorchRuntimeTests
{
    private readonly RuntimeInfo _info = TorchRuntime.EnsureInitialized();

    [Fact]
    public void EnsureInitialized_CalledAgain_ReturnsTheSameInfo()
    {
        Assert.Same(_info, TorchRuntime.EnsureInitialized());
    }

    [Fact]
    public void EnsureInitialized_ReportsVersionsThreadsAndDevices()
    {
        Assert.Equal("0.107.0", _info.TorchSharpVersion);
        Assert.StartsWith("2.10.", _info.LibTorchVersion, StringComparison.Ordinal);
        Assert.Equal(Environment.ProcessorCount, _info.Cores);
        int? requested = TorchRuntime.ParseThreads(Environment.GetEnvironmentVariable(TorchRuntime.ThreadsVariable), _info.Cores);
        Assert.Equal(requested ?? _info.Cores, _info.Threads);
        Assert.Equal(requested is not null, _info.ThreadsFromVariable);
        Assert.Equal(_info.Threads, torch.get_num_threads());
        Assert.Equal(torch.cuda.is_available(), _info.CudaAvailable);
        Assert.Equal(_info.CudaAvailable ? torch.cuda.device_count() : 0, _info.CudaDeviceCount);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-1")]
    [InlineData("abc")]
    [InlineData("2.5")]
    [InlineData("1000")]
    [InlineData("9")]
    [InlineData("99999999999")]
    public void ParseThreads_InvalidValue_ThrowsNamingVariableValueAndRange(string value)
    {
        var e = Assert.Throws<EngineConfigurationException>(() => TorchRuntime.ParseThreads(value, cores: 2));

        Assert.Equal(TorchRuntime.ThreadsVariable, e.Variable);
        Assert.Contains($"DU_NUM_THREADS='{value}'", e.Message, StringComparison.Ordinal);
        Assert.Contains("from 1 to 8 (4 × the 2 cores of this machine)", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null, null)]
    [InlineData("", null)]
    [InlineData("  ", null)]
    [InlineData("1", 1)]
    [InlineData(" 8 ", 8)]
    public void ParseThreads_ValidValue_GivesCount(string? value, int? expected)
    {
        Assert.Equal(expected, TorchRuntime.ParseThreads(value, cores: 2));
    }

    [Theory]
    [InlineData(null, true)]
    [InlineData("1", true)]
    [InlineData("On", true)]
    [InlineData("true", true)]
    [InlineData("0", false)]
    [InlineData("off", false)]
    [InlineData("FALSE", false)]
    public void ParseMallocSwitch_KnownValues_GiveSwitch(string? value, bool expected)
    {
        Assert.Equal(expected, TorchRuntime.ParseMallocSwitch(value));
    }

    [Fact]
    public void ParseMallocSwitch_UnknownValue_ThrowsNamingVariable()
    {
        var e = Assert.Throws<EngineConfigurationException>(() => TorchRuntime.ParseMallocSwitch("maybe"));

        Assert.Equal(TorchRuntime.MallocTuningVariable, e.Variable);
        Assert.Contains("DU_MALLOC_TUNING='maybe'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public unsafe void MallocTuning_Applied_LibTorchBuffersBelow256MiBComeFromTheHeap()
    {
        // glibc's default mmap threshold starts at 128 KiB (rising to at most 32 MiB as mapped blocks are freed): a
        // 16 MiB tensor would be a fresh mmap (and munmap on free) every step. With the tuned threshold it comes from
        // the heap; a 300 MiB one is still mmapped. The chunk header before the block says which (glibc's IS_MMAPPED
        // bit), whatever other threads allocate. (A thread's own arena grows in heaps of at most 64 MiB, so there
        // blocks above ~64 MiB are mmapped whatever the threshold; the main thread's arena has no such limit.)
        if (!TorchRuntime.ParseMallocSwitch(Environment.GetEnvironmentVariable(TorchRuntime.MallocTuningVariable))
            || Environment.GetEnvironmentVariable("GLIBC_TUNABLES") is not null)
        {
            Assert.NotEqual(MallocTuning.Applied, _info.Malloc);
            return;
        }
        Assert.Equal(MallocTuning.Applied, _info.Malloc);

        using (torch.Tensor medium = torch.empty(new long[] { 4L << 20 }, torch.float32))
        using (torch.Tensor large = torch.empty(new long[] { 75L << 20 }, torch.float32))
        {
            Assert.False(IsMmapped(medium));
            Assert.True(IsMmapped(large));
        }
        void* block = NativeMemory.Alloc(16 << 20);
        try
        {
            Assert.False(IsMmapped(block));
        }
        finally
        {
            NativeMemory.Free(block);
        }
    }

    [Fact]
    public void EnsureInitialized_OmpWaitPolicy_PassiveUnlessTheUserChose()
    {
        string? user = Environment.GetEnvironmentVariable(TorchRuntime.OmpWaitPolicyVariable);
        if (string.IsNullOrEmpty(user))
        {
            Assert.Equal("PASSIVE", _info.OmpWaitPolicy);
        }
        else
        {
            Assert.Equal($"{user} (user's setting)", _info.OmpWaitPolicy);
        }
    }

    private static unsafe bool IsMmapped(torch.Tensor tensor)
    {
        fixed (byte* data = tensor.bytes)
        {
            return IsMmapped(data);
        }
    }

    // glibc keeps each chunk's size just before the block, with flag bit 1 (IS_MMAPPED, malloc.c) for mmapped chunks.
    private static unsafe bool IsMmapped(void* block) => (*((nuint*)block - 1) & 2) != 0;
}
