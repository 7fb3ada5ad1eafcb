using TorchSharp;
using static TorchSharp.torch;

namespace DeepUnlearn.Bayesian;

/// <summary>Small dense-matrix helpers the binding does not carry as single ops.</summary>
internal static class Matrices
{
    /// <summary>The diagonal of a square [n, n] matrix, as [n] (differentiable).</summary>
    public static Tensor Diagonal(Tensor a)
    {
        using var scope = torch.NewDisposeScope();
        Tensor eye = torch.eye(a.size(0), dtype: a.dtype, device: a.Device);
        return scope.Keep(a.mul(eye).Sum(1));
    }

    /// <summary>The [n, n] matrix with <paramref name="v"/> on its diagonal (differentiable).</summary>
    public static Tensor DiagEmbed(Tensor v)
    {
        using var scope = torch.NewDisposeScope();
        Tensor eye = torch.eye(v.size(0), dtype: v.dtype, device: v.Device);
        return (eye.mul(v.unsqueeze(0))).MoveToOuterDisposeScope();
    }

    /// <summary>A constant [n, n] mask with ones strictly below the diagonal.</summary>
    public static Tensor StrictLowerMask(long n, ScalarType dtype, Device device)
    {
        var values = new double[n * n];
        for (long i = 0; i < n; i++)
        {
            for (long j = 0; j < i; j++)
            {
                values[(i * n) + j] = 1;
            }
        }
        using Tensor cpu = Tensor.From<double>(values, [n, n]);
        return cpu.to(device, dtype, copy: true);
    }
}
