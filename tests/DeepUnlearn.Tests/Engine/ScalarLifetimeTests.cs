using System;
using DeepUnlearn.Engine;
using TorchSharp;
using Xunit;
using Xunit.Abstractions;

namespace DeepUnlearn.Tests.Engine;

/// <summary>
/// Operators with a .NET number (<c>x * 2.0</c>, <c>add(y, alpha: a)</c>) convert it to a native <c>Scalar</c>
/// that no dispose scope tracks; only its finalizer frees it. Measured here with glibc's allocator statistics:
/// what such scalars hold until the finalizer runs, and that it all comes back.
/// </summary>
public sealed class ScalarLifetimeTests
{
    private readonly ITestOutputHelper _output;

    public ScalarLifetimeTests(ITestOutputHelper output)
    {
        _output = output;
        TorchRuntime.EnsureInitialized();
    }

    [Fact]
    public void ImplicitScalar_IsNotTrackedByTheDisposeScope()
    {
        using var scope = torch.NewDisposeScope();
        torch.Tensor x = torch.ones(3);
        int tracked = scope.DisposablesCount;

        Scalar two = 2.0;
        torch.Tensor y = x * two;

        Assert.Equal(tracked + 1, scope.DisposablesCount);
        Assert.DoesNotContain(two, scope.DisposablesView);
        Assert.Equal(6f, y.sum().item<float>());
    }

    [Fact]
    public void OperatorScalars_HeldUntilFinalized_ThenReclaimed()
    {
        const int count = 1_000_000;
        const int cycles = 3;
        Settle();
        long baseline = InUse();
        var held = new long[cycles];
        var left = new long[cycles];

        for (int cycle = 0; cycle < cycles; cycle++)
        {
            long start = InUse();
            for (int i = 0; i < count; i++)
            {
                Allocate();
            }
            held[cycle] = InUse() - start;
            Settle();
            left[cycle] = InUse() - baseline;
            _output.WriteLine($"{count} scalars: {held[cycle] / 1024} KiB of malloc held before finalization ({(double)held[cycle] / count:F1} B each), {left[cycle] / 1024} KiB above the baseline after");
        }

        // Until a GC finalizes them, the scalars hold native memory no scope frees (a gen-0 collection may already
        // have taken some)...
        Assert.True(held[0] > count * 8L, $"only {held[0]} bytes held by {count} scalars");
        // ...and finalization returns it: repeating the cycle does not accumulate. The band is a quarter of one cycle's
        // scalars (a leak would add a whole cycle's per cycle): the measure is process-wide, and other threads of the
        // test process (loader workers, finalizers of earlier tests' objects) move it by a few MB.
        long band = held[0] / 4;
        Assert.InRange(left[cycles - 1] - left[0], -band, band);
    }

    private static void Allocate()
    {
        Scalar scalar = 2.0;
        GC.KeepAlive(scalar);
    }

    private static void Settle()
    {
        for (int i = 0; i < 3; i++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
        }
    }

    private static long InUse() => (long)Libc.Info().UordBlks;
}
