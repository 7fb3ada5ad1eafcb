using System;
using System.Runtime.InteropServices;
using DeepUnlearn.Engine;
using TorchSharp;
using Xunit;
using Xunit.Abstractions;

namespace DeepUnlearn.Tests.Engine;

public sealed class LibTorchErrorTests
{
    private readonly ITestOutputHelper _output;

    public LibTorchErrorTests(ITestOutputHelper output)
    {
        _output = output;
        TorchRuntime.EnsureInitialized();
    }

    [Fact]
    public void Mm_ShapeMismatch_ThrowsCatchableExternalExceptionWithLibTorchsMessage()
    {
        using var scope = torch.NewDisposeScope();
        torch.Tensor a = torch.ones(2, 3);
        torch.Tensor b = torch.ones(4, 5);
        long live = torch.Tensor.TotalCount;

        var e = Assert.ThrowsAny<Exception>(() => a.mm(b));
        _output.WriteLine($"{e.GetType().FullName}: {e.Message}");

        Assert.IsType<ExternalException>(e);
        Assert.True(LibTorchErrors.IsLibTorchError(e));
        Assert.Contains("mat1 and mat2 shapes cannot be multiplied (2x3 and 4x5)", e.Message, StringComparison.Ordinal);
        Assert.Contains("Exception raised from", e.Message, StringComparison.Ordinal);
        Assert.Equal("mat1 and mat2 shapes cannot be multiplied (2x3 and 4x5)", LibTorchErrors.Summarize(e));
        Assert.Equal(live, torch.Tensor.TotalCount);
        // libtorch carries on: the next call works and reports no stale error.
        Assert.Equal(new long[] { 2, 5 }, a.mm(torch.ones(3, 5)).shape);
    }

    [Fact]
    public void Summarize_OtherExceptions_KeepsTheirMessage()
    {
        Assert.Equal("plain", LibTorchErrors.Summarize(new InvalidOperationException("plain")));
        Assert.False(LibTorchErrors.IsLibTorchError(new InvalidOperationException("plain")));
    }

    [Theory]
    [InlineData(new long[] { 2, 3 }, new long[] { 4, 5 }, "mat1 and mat2 shapes cannot be multiplied (2x3 and 4x5)")]
    [InlineData(new long[] { 3 }, new long[] { 4 }, "mat1 and mat2 shapes cannot be multiplied (3 and 4)")]
    [InlineData(new long[] { 2, 3 }, new long[] { 4 }, "mat1 and mat2 shapes cannot be multiplied (2x3 and 4)")]
    [InlineData(new long[] { 5, 2, 3 }, new long[] { 4, 3, 7 }, "batch dimensions of 5x2x3 and 4x3x7 do not broadcast")]
    public void MatMul_ShapesLibTorchRejects_ThrowsManagedExceptionInsteadOfAborting(long[] left, long[] right, string message)
    {
        // TorchSharp's THSTensor_matmul has no native try/catch: the same call through Tensor.matmul aborts the
        // process ("terminate called after throwing an instance of 'c10::Error'"), so it cannot run here.
        using var scope = torch.NewDisposeScope();

        var e = Assert.Throws<ArgumentException>(() => NativeGuards.MatMul(torch.ones(left), torch.ones(right)));

        Assert.Contains(message, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MatMul_DTypeOrDeviceMismatch_ThrowsManagedException()
    {
        using var scope = torch.NewDisposeScope();

        var e = Assert.Throws<ArgumentException>(() => NativeGuards.MatMul(torch.ones(2, 3), torch.ones(new long[] { 3, 2 }, torch.float64)));

        Assert.Contains("same dtype, got Float32 and Float64", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new long[] { 2, 3 }, new long[] { 3, 4 }, new long[] { 2, 4 })]
    [InlineData(new long[] { 3 }, new long[] { 3 }, new long[0])]
    [InlineData(new long[] { 3 }, new long[] { 3, 4 }, new long[] { 4 })]
    [InlineData(new long[] { 2, 3 }, new long[] { 3 }, new long[] { 2 })]
    [InlineData(new long[] { 5, 1, 2, 3 }, new long[] { 4, 3, 7 }, new long[] { 5, 4, 2, 7 })]
    [InlineData(new long[] { 2, 3 }, new long[] { 6, 3, 4 }, new long[] { 6, 2, 4 })]
    public void MatMul_ValidShapes_MatchesTorchMatmul(long[] left, long[] right, long[] expected)
    {
        using var scope = torch.NewDisposeScope();
        using var generator = new torch.Generator(7);
        torch.Tensor a = torch.randn(left, generator: generator);
        torch.Tensor b = torch.randn(right, generator: generator);

        torch.Tensor product = NativeGuards.MatMul(a, b);

        Assert.Equal(expected, product.shape);
        Assert.True(product.allclose(a.matmul(b)));
    }

    [Fact]
    public void SetRngState_WrongSizeOrDType_ThrowsManagedExceptionAndKeepsState()
    {
        using var scope = torch.NewDisposeScope();
        using var generator = new torch.Generator(3);
        torch.Tensor before = generator.get_state();

        var e1 = Assert.Throws<ArgumentException>(() => NativeGuards.SetRngState(generator, torch.zeros(new long[] { 10 }, torch.uint8)));
        var e2 = Assert.Throws<ArgumentException>(() => NativeGuards.SetRngState(generator, torch.zeros(before.shape, torch.float32)));

        Assert.Contains("not a random-generator state of this libtorch", e1.Message, StringComparison.Ordinal);
        Assert.Contains("Float32", e2.Message, StringComparison.Ordinal);
        Assert.True(before.Same(generator.get_state()));
    }

    [Fact]
    public void SetRngState_SavedState_ReplaysTheSameDraws()
    {
        using var scope = torch.NewDisposeScope();
        using var generator = new torch.Generator(11);
        torch.Tensor state = generator.get_state();
        torch.Tensor first = torch.rand(new long[] { 5 }, generator: generator);

        NativeGuards.SetRngState(generator, state);

        Assert.True(first.Same(torch.rand(new long[] { 5 }, generator: generator)));
    }
}
