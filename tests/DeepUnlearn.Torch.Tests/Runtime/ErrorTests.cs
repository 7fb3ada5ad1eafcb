using System;
using System.Threading;
using DeepUnlearn.Torch.Nn;
using DeepUnlearn.Torch.Tests.Support;
using Xunit;
using F = DeepUnlearn.Torch.Nn.Functional;

namespace DeepUnlearn.Torch.Tests.Runtime;

/// <summary>
/// Failures become managed exceptions carrying libtorch's message (without its C++ backtrace), bad
/// codes are named, disposed objects throw ObjectDisposedException, NaN flows through, and the
/// process keeps working after every one of them.
/// </summary>
public class ErrorTests
{
    [Fact]
    public void ShapeMismatch_InConv2dLinearCat_ThrowsLibTorchMessages()
    {
        using var scope = TensorScope.Begin();
        Tensor image = Tensor.Zeros([1, 3, 8, 8]);
        AssertTorchError(() => F.Conv2d(image, Tensor.Zeros([4, 2, 3, 3])), "expected input[1, 3, 8, 8] to have 2 channels, but got 3 channels instead");
        AssertTorchError(() => F.Conv2d(Tensor.Zeros([1, 3, 2, 2]), Tensor.Zeros([4, 3, 3, 3])), "Kernel size can't be greater than actual input size");
        AssertTorchError(() => F.Linear(Tensor.Zeros([2, 5]), Tensor.Zeros([4, 6])), "mat1 and mat2 shapes cannot be multiplied (2x5 and 6x4)");
        AssertTorchError(() => Tensor.Cat([Tensor.Zeros([2, 3]), Tensor.Zeros([2, 4])]), "Sizes of tensors must match except in dimension 0");
        AssertTorchError(() => Tensor.Cat([]), "expected a non-empty list of Tensors");
        AssertTorchError(() => F.CrossEntropy(Tensor.Zeros([2, 3]), Tensor.From<long>([0, 3], [2])), "out of bounds");
        AssertStillWorks();
    }

    [Fact]
    public void InvalidCodes_ThrowMessagesListingValidValues()
    {
        using var scope = TensorScope.Begin();
        var dtype = Assert.Throws<TorchException>(() => Tensor.Zeros([2], (DType)42));
        Assert.Equal(3, dtype.Status);
        Assert.Contains("unknown dtype code 42", dtype.Message, StringComparison.Ordinal);
        Assert.Contains("float32=6", dtype.Message, StringComparison.Ordinal);
        Assert.Throws<TorchException>(() => Tensor.FromBytes([1, 2], [2], (DType)2));
        Assert.Throws<TorchException>(() => Tensor.Ones([2]).To((DType)99));
        var device = Assert.Throws<TorchException>(() => Tensor.Zeros([2], DType.Float32, new Device((DeviceType)7, 0)));
        Assert.Contains("unknown device type 7 (valid: cpu=0, cuda=1)", device.Message, StringComparison.Ordinal);
        var reduction = Assert.Throws<TorchException>(() => F.MseLoss(Tensor.Zeros([2]), Tensor.Zeros([2]), (Reduction)5));
        Assert.Contains("unknown reduction code 5 (valid: none=0, mean=1, sum=2)", reduction.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => ((DType)42).ElementSize());
        Assert.Throws<FormatException>(() => Device.Parse("tpu"));
        AssertStillWorks();
    }

    [Fact]
    public void CudaDevice_OnCpuOnlyLibTorch_ThrowsTorchException()
    {
        if (LibTorch.CudaIsAvailable)
        {
            return;
        }
        using var scope = TensorScope.Begin();
        Assert.Equal(0, LibTorch.CudaDeviceCount);
        Assert.Equal(Device.Cpu, Device.Auto);
        Assert.Throws<TorchException>(() => Tensor.Ones([2]).To(Device.Cuda(0)));
        Assert.Throws<TorchException>(() => Tensor.Zeros([2], DType.Float32, Device.Cuda(0)));
        AssertStillWorks();
    }

    [Fact]
    public void DisposedTensor_ThrowsObjectDisposedExceptionEverywhere()
    {
        using var scope = TensorScope.Begin();
        Tensor live = Tensor.Ones([2, 2]);
        Tensor dead = Tensor.Ones([2, 2]);
        // Metadata read before disposal must not outlive the tensor.
        Assert.Equal(2, dead.Dim);
        Assert.Equal(DType.Float32, dead.DType);
        Assert.Equal(Device.Cpu, dead.Device);
        dead.Dispose();
        Assert.True(dead.IsDisposed);
        Assert.Equal("Tensor(disposed)", dead.ToString());
        Assert.Throws<ObjectDisposedException>(() => dead.Sum());
        Assert.Throws<ObjectDisposedException>(() => dead.ToArray<float>());
        Assert.Throws<ObjectDisposedException>(() => dead.Shape.Length);
        Assert.Throws<ObjectDisposedException>(() => dead.NumEl);
        Assert.Throws<ObjectDisposedException>(() => dead.DType);
        Assert.Throws<ObjectDisposedException>(() => dead.Device);
        Assert.Throws<ObjectDisposedException>(() => dead.RequiresGrad);
        Assert.Throws<ObjectDisposedException>(() => dead.Grad);
        Assert.Throws<ObjectDisposedException>(() => live.Add(dead));
        Assert.Throws<ObjectDisposedException>(() => live + dead);
        Assert.Throws<ObjectDisposedException>(() => Tensor.Cat([live, dead]));
        Assert.Throws<ObjectDisposedException>(() => F.Linear(live, live, dead));
        Assert.Throws<ObjectDisposedException>(() => Torch.Autograd.Grad([live], [dead]));
        Assert.Throws<ObjectDisposedException>(() => dead.Backward());
        dead.Dispose();
        AssertStillWorks();
    }

    [Fact]
    public void NaN_FlowsThroughOpsWithoutCrashing()
    {
        using var scope = TensorScope.Begin();
        Tensor x = Tensor.From<double>([1, double.NaN, -2, 3], [2, 2]);
        Assert.True(double.IsNaN(x.Sum().Item()));
        Assert.True(double.IsNaN(x.Max().Item()));
        Assert.True(double.IsNaN(F.Softmax(x, 1).ToArray<double>()[0]));
        Assert.True(double.IsNaN(F.CrossEntropy(x, Tensor.From<long>([0, 1], [2])).Item()));
        Assert.True(double.IsNaN(F.BatchNorm(x, null, null, training: true).ToArray<double>()[1]));
        Assert.True(double.IsNaN(Tensor.From<double>([-1], [1]).Log().Item()));
        Assert.Equal(1L, x.ArgMax().ItemInt64());
        double[] sorted = x.Flatten().Sort().Values.ToArray<double>();
        Assert.Equal([-2.0, 1, 3], sorted.AsSpan(0, 3).ToArray());
        Assert.True(double.IsNaN(sorted[3]), "NaN sorts last");
        Assert.Equal([true, false, true, true], x.IsFinite().ToArray<bool>());
        Tensor leaf = Tensor.From<double>([0.0], [1]).RequiresGradInPlace();
        leaf.Sqrt().Mul(0).Sum().Backward();
        Assert.True(double.IsNaN(leaf.Grad!.Item()), "0 · ∞ = NaN gradient, not a crash");
        var e = Assert.Throws<TorchException>(() => Tensor.Scalar(double.NaN, DType.Float64).ItemInt64());
        Assert.Contains("cannot be converted", e.Message, StringComparison.Ordinal);
        Tensor nanMatrix = Tensor.Full([3, 3], double.NaN, DType.Float64);
        try
        {
            (Tensor u, _, _) = Torch.Linalg.Svd(nanMatrix);
            Assert.True(u.IsNan().Any().ToArray<bool>()[0]);
        }
        catch (TorchException)
        {
            // libtorch may report non-finite input instead; either way the process survives.
        }
        try
        {
            // Reference LAPACK's potrf reports a NaN pivot; OpenBLAS's returns NaN factors instead.
            Assert.True(Torch.Linalg.Cholesky(nanMatrix).IsNan().Any().ToArray<bool>()[0]);
        }
        catch (TorchException e2)
        {
            Assert.Contains("positive-definite", e2.Message, StringComparison.Ordinal);
        }
        AssertStillWorks();
    }

    [Fact]
    public void ErrorMessages_AreThreadLocal()
    {
        const int rounds = 50;
        string?[] failures = new string?[2];
        using var start = new Barrier(2);
        void Run(int id)
        {
            start.SignalAndWait();
            for (int i = 0; i < rounds; i++)
            {
                using var scope = TensorScope.Begin();
                try
                {
                    if (id == 0)
                    {
                        Tensor.Zeros([2, 3]).Mm(Tensor.Zeros([4, 5]));
                    }
                    else
                    {
                        Tensor.Zeros([2], (DType)42);
                    }
                    failures[id] = "no exception";
                }
                catch (TorchException e)
                {
                    string expected = id == 0 ? "cannot be multiplied" : "unknown dtype code 42";
                    if (!e.Message.Contains(expected, StringComparison.Ordinal))
                    {
                        failures[id] = e.Message;
                    }
                }
            }
        }
        var other = new Thread(() => Run(1));
        other.Start();
        Run(0);
        other.Join();
        Assert.Null(failures[0]);
        Assert.Null(failures[1]);
    }

    private static void AssertTorchError(Func<Tensor> action, string fragment)
    {
        var e = Assert.Throws<TorchException>(() => action());
        Assert.Equal(1, e.Status);
        Assert.Contains(fragment, e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception raised from", e.Message, StringComparison.Ordinal);
    }

    private static void AssertStillWorks()
    {
        using var scope = TensorScope.Begin();
        TensorAssert.Close(6, Tensor.From<double>([1, 2, 3], [3]).Sum().Item());
    }
}
