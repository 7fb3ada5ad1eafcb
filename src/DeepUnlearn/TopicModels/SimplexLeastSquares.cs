using System;
using System.Threading.Tasks;

namespace DeepUnlearn.TopicModels;

/// <summary>
/// Least squares over the probability simplex: minimise f(c) = cᵀ G c − 2 bᵀ c subject to c ≥ 0,
/// Σ c = 1, for a symmetric positive semi-definite K×K matrix G. This is the per-word problem of
/// RecoverL2 (Arora et al. 2013, Algorithm 3) with G = Q̄_S Q̄_Sᵀ and b = Q̄_S Q̄_iᵀ, and the per-document
/// topic inference with G = AᵀA and b = Aᵀx. Solved by accelerated projected gradient (FISTA with
/// gradient-based restart) with step 1/L, L = 2 λ_max(G), and Euclidean projection onto the simplex.
/// </summary>
internal static class SimplexLeastSquares
{
    /// <summary>Euclidean projection of <paramref name="v"/> onto the probability simplex, in place
    /// (sort-based; Held, Wolfe and Crowder 1974, Duchi et al. 2008).</summary>
    public static void ProjectOntoSimplex(Span<double> v)
    {
        int k = v.Length;
        Span<double> sorted = k <= 64 ? stackalloc double[k] : new double[k];
        v.CopyTo(sorted);
        sorted.Sort();
        double cumulative = 0;
        double theta = 0;
        for (int i = k - 1; i >= 0; i--)
        {
            cumulative += sorted[i];
            double t = (cumulative - 1) / (k - i);
            if (i == 0 || sorted[i - 1] <= t)
            {
                theta = t;
                break;
            }
        }
        for (int i = 0; i < k; i++)
        {
            v[i] = Math.Max(v[i] - theta, 0);
        }
    }

    /// <summary>
    /// Solves the problem for every row of <paramref name="b"/> (n×K) in parallel, warm-started from the
    /// rows of <paramref name="start"/> if given (else the simplex centre). Returns the n×K solutions.
    /// </summary>
    public static double[,] SolveRows(double[,] g, double[,] b, double lambdaMax, double tolerance, int maxIterations, double[,]? start = null)
    {
        int n = b.GetLength(0);
        int k = b.GetLength(1);
        var result = new double[n, k];
        Parallel.For(0, n, i =>
        {
            double[] bi = new double[k];
            double[] c = new double[k];
            for (int j = 0; j < k; j++)
            {
                bi[j] = b[i, j];
                c[j] = start is null ? 1.0 / k : start[i, j];
            }
            if (start is not null)
            {
                ProjectOntoSimplex(c);
            }
            Solve(g, bi, c, lambdaMax, tolerance, maxIterations);
            for (int j = 0; j < k; j++)
            {
                result[i, j] = c[j];
            }
        });
        return result;
    }

    /// <summary>Solves one problem in place in <paramref name="c"/> (which must start on the simplex).</summary>
    public static void Solve(double[,] g, double[] b, double[] c, double lambdaMax, double tolerance, int maxIterations)
    {
        int k = c.Length;
        if (k == 1)
        {
            c[0] = 1;
            return;
        }
        double step = 1.0 / (2 * Math.Max(lambdaMax, 1e-300));
        double[] y = (double[])c.Clone();
        double[] previous = new double[k];
        double[] grad = new double[k];
        double t = 1;
        for (int iteration = 0; iteration < maxIterations; iteration++)
        {
            Array.Copy(c, previous, k);
            // c ← Π(y − ∇f(y)/L), ∇f(y) = 2 (G y − b)
            for (int r = 0; r < k; r++)
            {
                double gy = 0;
                for (int s = 0; s < k; s++)
                {
                    gy += g[r, s] * y[s];
                }
                grad[r] = 2 * (gy - b[r]);
                c[r] = y[r] - (step * grad[r]);
            }
            ProjectOntoSimplex(c);
            double change = 0;
            double restart = 0;
            for (int r = 0; r < k; r++)
            {
                double d = c[r] - previous[r];
                change = Math.Max(change, Math.Abs(d));
                restart += grad[r] * d;
            }
            if (change <= tolerance)
            {
                return;
            }
            if (restart > 0)
            {
                // O'Donoghue and Candès (2015) gradient restart: momentum points uphill, drop it.
                t = 1;
                Array.Copy(c, y, k);
                continue;
            }
            double tNext = (1 + Math.Sqrt(1 + (4 * t * t))) / 2;
            double momentum = (t - 1) / tNext;
            for (int r = 0; r < k; r++)
            {
                y[r] = c[r] + (momentum * (c[r] - previous[r]));
            }
            t = tNext;
        }
    }
}
