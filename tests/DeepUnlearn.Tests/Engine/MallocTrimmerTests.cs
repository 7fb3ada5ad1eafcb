using System;
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
        // Under the tuned thresholds freed 8 MiB blocks stay in the heap, resident; with a live block after each one no
        // heap top can shrink, so only the trim gives their pages back. Residency is read page by page (mincore) on the
        // blocks themselves, so nothing else in the process (finalizers, the GC) can move the measurement.
        if (_info.Malloc != MallocTuning.Applied)
        {
            return;
        }
        // The periodic trim must not run between the frees and the first reading.
        using IDisposable quiet = MallocTrimmer.Suspend();
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
            Assert.Equal(1.0, ResidentShare(big, size), 3);
            for (int i = 0; i < blocks; i++)
            {
                NativeMemory.Free((void*)big[i]);
            }
            // In the main arena the heap keeps the freed pages resident (what the trimmer exists for); a thread's arena may
            // already unmap a heap on free, so that is not asserted here.
            Assert.True(MallocTrimmer.TrimIfWorthwhile());

            // The trim returned them. Not all: other threads of the process share the arena and may reuse a freed block
            // before or after the trim (in the full suite 2 of the 40 were resident again); without the trim all 40 are.
            double left = ResidentShare(big, size);
            Assert.True(left < 0.25, $"{left:P1} of the freed pages still resident after the trim");
        }
        finally
        {
            foreach (nint pin in pins)
            {
                NativeMemory.Free((void*)pin);
            }
        }
    }

    // The share of the whole pages inside the blocks that are resident (mincore); a range glibc has unmapped counts as
    // not resident.
    private static unsafe double ResidentShare(nint[] blocks, nuint size)
    {
        const long page = 4096;
        long resident = 0;
        long pages = 0;
        foreach (nint block in blocks)
        {
            long start = (block + page - 1) & ~(page - 1);
            long end = (block + (long)size) & ~(page - 1);
            long count = (end - start) / page;
            byte[] vector = new byte[count];
            fixed (byte* v = vector)
            {
                if (mincore((void*)start, (nuint)(end - start), v) != 0)
                {
                    // ENOMEM: glibc unmapped the range (a thread arena's heap given back): nothing of it is resident.
                    pages += count;
                    continue;
                }
            }
            foreach (byte b in vector)
            {
                resident += b & 1;
            }
            pages += count;
        }
        return resident / (double)pages;
    }

    [DllImport("libc.so.6", SetLastError = true)]
    private static extern unsafe int mincore(void* address, nuint length, byte* vector);
}
