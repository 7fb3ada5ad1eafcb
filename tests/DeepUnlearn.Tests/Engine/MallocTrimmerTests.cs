using System;
using System.Globalization;
using System.IO;
using System.Runtime.InteropServices;
using DeepUnlearn.Engine;
using Xunit;

namespace DeepUnlearn.Tests.Engine;

public sealed class MallocTrimmerTests
{
    private readonly RuntimeInfo _info = TorchRuntime.EnsureInitialized();

    [Theory]
    [InlineData(null, MallocTrimmer.DefaultPeriodSeconds)]
    [InlineData(" ", MallocTrimmer.DefaultPeriodSeconds)]
    [InlineData("0", 0)]
    [InlineData(" 5 ", 5)]
    [InlineData("3600", 3600)]
    public void ParsePeriod_ValidValue_GivesSeconds(string? value, int expected)
    {
        Assert.Equal(expected, MallocTrimmer.ParsePeriod(value));
    }

    [Theory]
    [InlineData("-1")]
    [InlineData("1.5")]
    [InlineData("soon")]
    [InlineData("3601")]
    public void ParsePeriod_InvalidValue_ThrowsNamingVariableAndRange(string value)
    {
        var e = Assert.Throws<EngineConfigurationException>(() => MallocTrimmer.ParsePeriod(value));

        Assert.Equal(MallocTrimmer.PeriodVariable, e.Variable);
        Assert.Contains($"DU_MALLOC_TRIM_SECONDS='{value}'", e.Message, StringComparison.Ordinal);
        Assert.Contains("from 1 to 3600, 0 to never", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void EnsureInitialized_TuningApplied_TrimsAtThePeriodAskedFor()
    {
        int asked = MallocTrimmer.ParsePeriod(Environment.GetEnvironmentVariable(MallocTrimmer.PeriodVariable));
        Assert.Equal(_info.Malloc == MallocTuning.Applied ? asked : 0, _info.MallocTrimSeconds);
    }

    [Fact]
    public unsafe void TrimIfWorthwhile_FreedBlocksBetweenLiveOnes_ReturnsTheirPagesToTheKernel()
    {
        // Under the tuned thresholds freed 8 MiB blocks stay in the heap; with a live block after each one no heap top
        // can shrink, so only the trim gives their pages back.
        if (_info.Malloc != MallocTuning.Applied)
        {
            return;
        }
        const int blocks = 40;
        const nuint size = 8 << 20;
        var big = new nint[blocks];
        var pins = new nint[blocks];
        for (int i = 0; i < blocks; i++)
        {
            big[i] = (nint)NativeMemory.Alloc(size);
            NativeMemory.Fill((void*)big[i], size, 1);
            pins[i] = (nint)NativeMemory.Alloc(4096);
        }
        try
        {
            long touched = Rss();
            for (int i = 0; i < blocks; i++)
            {
                NativeMemory.Free((void*)big[i]);
            }
            long freed = Rss();
            // The heap kept the freed pages (what the trimmer exists for)...
            Assert.True(touched - freed < 64L << 20, $"free alone returned {(touched - freed) >> 20} MiB");

            Assert.True(MallocTrimmer.TrimIfWorthwhile());
            long trimmed = Rss();

            // ...and the trim returned nearly all of the 320 MiB.
            Assert.True(freed - trimmed > 256L << 20, $"the trim returned only {(freed - trimmed) >> 20} MiB");
        }
        finally
        {
            foreach (nint pin in pins)
            {
                NativeMemory.Free((void*)pin);
            }
        }
    }

    [Fact]
    public void TrimIfWorthwhile_LittleFreeMemory_DoesNothing()
    {
        if (_info.Malloc != MallocTuning.Applied)
        {
            return;
        }
        // Settle the heaps first, then nothing is left worth a trim.
        MallocTrimmer.TrimIfWorthwhile();
        long before = MallocTrimmer.Trims;

        Assert.False(MallocTrimmer.TrimIfWorthwhile());
        Assert.Equal(before, MallocTrimmer.Trims);
    }

    private static long Rss()
    {
        foreach (string line in File.ReadLines("/proc/self/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
            }
        }
        throw new InvalidOperationException("no VmRSS in /proc/self/status");
    }
}
