using System;
using System.Runtime.InteropServices;
using TorchSharp;
using static TorchSharp.torch;

namespace DeepUnlearn.TopicModels;

/// <summary>Conversions between row-major <c>double[,]</c> matrices and float64 tensors, and small helpers.</summary>
internal static class DenseMatrix
{
    public static Tensor ToTensor(double[,] m, Device? device = null) => torch.tensor(m, ScalarType.Float64, device);

    public static double[,] FromTensor(Tensor t)
    {
        if (t.dim() != 2)
        {
            throw new ArgumentException($"expected a matrix, got shape [{string.Join(", ", t.shape)}]", nameof(t));
        }
        return Reshape(ToArray(t), (int)t.size(0), (int)t.size(1));
    }

    /// <summary>The values of <paramref name="t"/> (any dtype, any device) as float64, in row-major order.</summary>
    public static double[] ToArray(Tensor t)
    {
        using var scope = torch.NewDisposeScope();
        Tensor host = t.to(ScalarType.Float64, torch.CPU).contiguous();
        return MemoryMarshal.Cast<byte, double>(host.bytes).ToArray();
    }

    public static double[] Flatten(double[,] m)
    {
        var flat = new double[m.Length];
        Buffer.BlockCopy(m, 0, flat, 0, flat.Length * sizeof(double));
        return flat;
    }

    public static double[,] Reshape(double[] flat, int rows, int cols)
    {
        if (flat.Length != rows * cols)
        {
            throw new ArgumentException($"{flat.Length} values do not fill a {rows}×{cols} matrix", nameof(flat));
        }
        var m = new double[rows, cols];
        Buffer.BlockCopy(flat, 0, m, 0, flat.Length * sizeof(double));
        return m;
    }

    /// <summary>The smallest and largest eigenvalue of a symmetric matrix.</summary>
    public static (double Min, double Max) EigenvalueRange(double[,] symmetric)
    {
        using var scope = torch.NewDisposeScope();
        Tensor t = ToTensor(symmetric);
        (Tensor values, _) = torch.linalg.eigh((t + t.t()) * 0.5);
        double[] v = ToArray(values);
        return (v[0], v[^1]);
    }

    /// <summary>Frobenius norm of a − b.</summary>
    public static double FrobeniusDistance(double[,] a, double[,] b)
    {
        if (a.GetLength(0) != b.GetLength(0) || a.GetLength(1) != b.GetLength(1))
        {
            throw new ArgumentException("matrices differ in shape");
        }
        double s = 0;
        for (int i = 0; i < a.GetLength(0); i++)
        {
            for (int j = 0; j < a.GetLength(1); j++)
            {
                double d = a[i, j] - b[i, j];
                s += d * d;
            }
        }
        return Math.Sqrt(s);
    }

    public static double FrobeniusNorm(double[,] a)
    {
        double s = 0;
        foreach (double x in a)
        {
            s += x * x;
        }
        return Math.Sqrt(s);
    }
}
