using System;
using System.Threading;
using DeepUnlearn.Engine;
using TorchSharp;
using static TorchSharp.torch;
using Xunit;

namespace DeepUnlearn.Tests.Engine;

/// <summary>
/// <see cref="Autocast"/> calls libtorch's <c>at::autocast</c> functions by their mangled names with fixed-width
/// arguments; these tests check the binding against what libtorch's own kernels then do (a wrong argument width or
/// enum value would leave the linear layer in float32, or fail the exact comparison with an explicit bfloat16 linear).
/// </summary>
public sealed class AutocastTests
{
    public AutocastTests() => TorchRuntime.EnsureInitialized();

    [Fact]
    public void Enter_CpuBFloat16_LinearRunsInBFloat16AndFloat32Returns()
    {
        using var scope = torch.NewDisposeScope();
        using var generator = new Generator(1);
        var linear = nn.Linear(8, 4);
        Tensor x = torch.randn([3, 8], generator: generator);

        using (Autocast region = Autocast.Enter(DeviceType.CPU, ScalarType.BFloat16))
        {
            Assert.True(Autocast.IsEnabled(DeviceType.CPU));
            Assert.Equal(ScalarType.BFloat16, Autocast.DtypeOf(DeviceType.CPU));
            Assert.Equal(ScalarType.BFloat16, linear.call(x).dtype);
        }

        Assert.False(Autocast.IsEnabled(DeviceType.CPU));
        Assert.Equal(ScalarType.Float32, linear.call(x).dtype);
    }

    [Fact]
    public void Enter_CpuBFloat16_EqualsTheLinearOnExplicitBFloat16Operands()
    {
        // Autocast's CPU linear casts x, W and b to bfloat16 and runs the bfloat16 kernel: the same numbers as doing so by hand.
        using var scope = torch.NewDisposeScope();
        using var generator = new Generator(2);
        var linear = nn.Linear(16, 5);
        Tensor x = torch.randn([4, 16], generator: generator);
        Tensor expected = nn.functional.linear(x.to(ScalarType.BFloat16), linear.weight!.to(ScalarType.BFloat16), linear.bias!.to(ScalarType.BFloat16));

        Tensor actual;
        using (Autocast.Enter(DeviceType.CPU, ScalarType.BFloat16))
        {
            actual = linear.call(x);
        }

        Assert.True(actual.to(ScalarType.Float32).equal(expected.to(ScalarType.Float32)).all().item<bool>());
        // ... and not the float32 result, which bfloat16 rounding moves.
        Assert.False(actual.to(ScalarType.Float32).equal(linear.call(x)).all().item<bool>());
    }

    [Fact]
    public void Enter_CpuFloat16_LinearRunsInFloat16()
    {
        // libtorch 2.10's CPU autocast accepts float16 too (so loss scaling can be exercised without a GPU).
        using var scope = torch.NewDisposeScope();
        var linear = nn.Linear(8, 4);
        using (Autocast.Enter(DeviceType.CPU, ScalarType.Float16))
        {
            Assert.Equal(ScalarType.Float16, linear.call(torch.ones(2, 8)).dtype);
        }
    }

    [Fact]
    public void Dispose_NestedRegions_RestoresTheOuterStateThenTheOriginal()
    {
        using var scope = torch.NewDisposeScope();
        ScalarType original = Autocast.DtypeOf(DeviceType.CPU);
        var linear = nn.Linear(4, 2);
        Tensor x = torch.ones(1, 4);
        Autocast outer = Autocast.Enter(DeviceType.CPU, ScalarType.BFloat16);
        try
        {
            using (Autocast.Enter(DeviceType.CPU, ScalarType.BFloat16))
            {
                Assert.Equal(ScalarType.BFloat16, linear.call(x).dtype);
            }
            Assert.True(Autocast.IsEnabled(DeviceType.CPU));
            Assert.Equal(ScalarType.BFloat16, linear.call(x).dtype);
        }
        finally
        {
            outer.Dispose();
        }
        outer.Dispose(); // idempotent

        Assert.False(Autocast.IsEnabled(DeviceType.CPU));
        Assert.Equal(original, Autocast.DtypeOf(DeviceType.CPU));
        Assert.Equal(ScalarType.Float32, linear.call(x).dtype);
    }

    [Fact]
    public void Dispose_Outermost_ClearsTheWeightCache()
    {
        // libtorch caches the reduced-precision copy of each weight per region, keyed by the weight alone (not the
        // dtype). Closing the outermost region must clear it, as PyTorch's __exit__ does: otherwise the next region's
        // linear would find the float16 copy of W beside a bfloat16 input ("must have the same dtype").
        using var scope = torch.NewDisposeScope();
        var linear = nn.Linear(4, 2);
        Tensor x = torch.ones(3, 4);
        using (Autocast.Enter(DeviceType.CPU, ScalarType.Float16))
        {
            Assert.Equal(ScalarType.Float16, linear.call(x).dtype);
        }
        using (Autocast.Enter(DeviceType.CPU, ScalarType.BFloat16))
        {
            Assert.Equal(ScalarType.BFloat16, linear.call(x).dtype);
        }
    }

    [Fact]
    public void Enter_OtherThread_StaysFloat32()
    {
        // The state is per thread, as libtorch keeps it: a region on this thread does not reach another.
        using var scope = torch.NewDisposeScope();
        using Autocast region = Autocast.Enter(DeviceType.CPU, ScalarType.BFloat16);
        bool enabledElsewhere = true;
        var thread = new Thread(() => enabledElsewhere = Autocast.IsEnabled(DeviceType.CPU));
        thread.Start();
        thread.Join();

        Assert.False(enabledElsewhere);
    }

    [Fact]
    public void Dispose_OnAnotherThread_ThrowsSayingWhy()
    {
        Autocast region = Autocast.Enter(DeviceType.CPU, ScalarType.BFloat16);
        try
        {
            Exception? error = null;
            var thread = new Thread(() => error = Record.Exception(region.Dispose));
            thread.Start();
            thread.Join();

            var e = Assert.IsType<InvalidOperationException>(error);
            Assert.Contains("per thread", e.Message, StringComparison.Ordinal);
        }
        finally
        {
            region.Dispose();
        }
        Assert.False(Autocast.IsEnabled(DeviceType.CPU));
    }

    [Theory]
    [InlineData(ScalarType.Float32)]
    [InlineData(ScalarType.Float64)]
    public void Enter_NotAReducedPrecision_Throws(ScalarType dtype)
    {
        var e = Assert.Throws<ArgumentException>(() => Autocast.Enter(DeviceType.CPU, dtype));
        Assert.Contains("BFloat16 or Float16", e.Message, StringComparison.Ordinal);
        Assert.False(Autocast.IsEnabled(DeviceType.CPU));
    }
}
