using System;

namespace DeepUnlearn.Tests.Bayesian;

/// <summary>Small dense SPD linear algebra on double[,] for test oracles.</summary>
internal static class Dense
{
    /// <summary>The lower Cholesky factor of an SPD matrix.</summary>
    public static double[,] Cholesky(double[,] a)
    {
        int n = a.GetLength(0);
        var l = new double[n, n];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j <= i; j++)
            {
                double sum = a[i, j];
                for (int k = 0; k < j; k++)
                {
                    sum -= l[i, k] * l[j, k];
                }
                if (i == j)
                {
                    if (!(sum > 0))
                    {
                        throw new ArgumentException("matrix is not positive definite");
                    }
                    l[i, i] = Math.Sqrt(sum);
                }
                else
                {
                    l[i, j] = sum / l[j, j];
                }
            }
        }
        return l;
    }

    public static double LogDetSpd(double[,] a)
    {
        double[,] l = Cholesky(a);
        double sum = 0;
        for (int i = 0; i < a.GetLength(0); i++)
        {
            sum += 2 * Math.Log(l[i, i]);
        }
        return sum;
    }

    /// <summary>A⁻¹ of an SPD matrix through its Cholesky factor, column by column.</summary>
    public static double[,] InverseSpd(double[,] a)
    {
        int n = a.GetLength(0);
        double[,] l = Cholesky(a);
        var inverse = new double[n, n];
        for (int c = 0; c < n; c++)
        {
            var e = new double[n];
            e[c] = 1;
            double[] x = SolveSpd(l, e);
            for (int r = 0; r < n; r++)
            {
                inverse[r, c] = x[r];
            }
        }
        return inverse;
    }

    /// <summary>Solves L Lᵀ x = b given the Cholesky factor L.</summary>
    public static double[] SolveSpd(double[,] l, double[] b)
    {
        int n = b.Length;
        var y = new double[n];
        for (int i = 0; i < n; i++)
        {
            double sum = b[i];
            for (int k = 0; k < i; k++)
            {
                sum -= l[i, k] * y[k];
            }
            y[i] = sum / l[i, i];
        }
        var x = new double[n];
        for (int i = n - 1; i >= 0; i--)
        {
            double sum = y[i];
            for (int k = i + 1; k < n; k++)
            {
                sum -= l[k, i] * x[k];
            }
            x[i] = sum / l[i, i];
        }
        return x;
    }

    public static double[] MatVec(double[,] a, double[] v)
    {
        int n = a.GetLength(0);
        var r = new double[n];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < v.Length; j++)
            {
                r[i] += a[i, j] * v[j];
            }
        }
        return r;
    }
}
