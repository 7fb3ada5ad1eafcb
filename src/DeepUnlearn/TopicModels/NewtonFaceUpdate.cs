using System;
using System.Threading.Tasks;

namespace DeepUnlearn.TopicModels;

/// <summary>
/// The Newton step of <see cref="TopicUnlearningUpdate.NewtonStep"/>: for each word, minimise the retained
/// RecoverL2 objective f'_i(c) = cᵀG'c − 2b'_iᵀc on the face of the simplex that holds the stored solution
/// C_i (Boyd and Vandenberghe 2004, §10.2, Newton's method with the equality constraint Σ c = 1 on the
/// support F of C_i), then project onto the simplex.
/// </summary>
/// <remarks>
/// On F the KKT system is G'_FF c_F − b'_F = ν 1, 1ᵀ c_F = 1, so c_F = y₁ + ν y₂ with G'_FF y₁ = b'_F,
/// G'_FF y₂ = 1 and ν = (1 − 1ᵀy₁) / 1ᵀy₂. The result is the exact minimiser of f'_i over the simplex
/// (the fixed-anchor re-fit) when c_F ≥ 0 and the off-support coordinates satisfy the dual condition
/// (G'c − b'_i)_k ≥ ν; <c>exact</c> reports that per word.
/// </remarks>
internal static class NewtonFaceUpdate
{
    /// <summary>Applies the step to every row of <paramref name="wordTopic"/> (V×K).</summary>
    public static (double[,] Updated, bool[] Exact) Apply(double[,] wordTopic, double[,] gram, double[,] cross)
    {
        int v = wordTopic.GetLength(0);
        int k = wordTopic.GetLength(1);
        var updated = new double[v, k];
        var exact = new bool[v];
        Parallel.For(0, v, i =>
        {
            var c = new double[k];
            var b = new double[k];
            for (int j = 0; j < k; j++)
            {
                c[j] = wordTopic[i, j];
                b[j] = cross[i, j];
            }
            exact[i] = Step(gram, b, c);
            for (int j = 0; j < k; j++)
            {
                updated[i, j] = c[j];
            }
        });
        return (updated, exact);
    }

    /// <summary>One word, in place in <paramref name="c"/> (which must lie on the simplex); returns whether the result is the exact minimiser.</summary>
    public static bool Step(double[,] g, double[] b, double[] c)
    {
        int k = c.Length;
        int[] support = Support(c);
        int f = support.Length;
        if (f == 0)
        {
            return false;
        }
        var m = new double[f, f];
        var rhs1 = new double[f];
        var rhs2 = new double[f];
        for (int a = 0; a < f; a++)
        {
            for (int e = 0; e < f; e++)
            {
                m[a, e] = g[support[a], support[e]];
            }
            rhs1[a] = b[support[a]];
            rhs2[a] = 1;
        }
        if (!SolveTwo(m, rhs1, rhs2))
        {
            // G'_FF is singular to working precision: no Newton step; keep C_i (not exact).
            return false;
        }
        double sum1 = 0;
        double sum2 = 0;
        for (int a = 0; a < f; a++)
        {
            sum1 += rhs1[a];
            sum2 += rhs2[a];
        }
        if (!(Math.Abs(sum2) > 1e-300))
        {
            return false;
        }
        double nu = (1 - sum1) / sum2;
        Array.Clear(c);
        bool feasible = true;
        for (int a = 0; a < f; a++)
        {
            c[support[a]] = rhs1[a] + (nu * rhs2[a]);
            feasible &= c[support[a]] >= 0;
        }
        if (!feasible)
        {
            SimplexLeastSquares.ProjectOntoSimplex(c);
            return false;
        }
        // Dual feasibility off the support: raising a zero coordinate must not lower f'_i.
        double scale = 1e-10 * (1 + Math.Abs(nu));
        for (int j = 0; j < k; j++)
        {
            if (c[j] > 0 || Array.IndexOf(support, j) >= 0)
            {
                continue;
            }
            double h = -b[j];
            for (int e = 0; e < k; e++)
            {
                h += g[j, e] * c[e];
            }
            if (h < nu - scale)
            {
                return false;
            }
        }
        return true;
    }

    private static int[] Support(double[] c)
    {
        int count = 0;
        foreach (double x in c)
        {
            count += x > 0 ? 1 : 0;
        }
        var support = new int[count];
        int n = 0;
        for (int j = 0; j < c.Length; j++)
        {
            if (c[j] > 0)
            {
                support[n++] = j;
            }
        }
        return support;
    }

    // Gaussian elimination with partial pivoting on a small symmetric system, two right-hand sides in place.
    private static bool SolveTwo(double[,] m, double[] x1, double[] x2)
    {
        int n = x1.Length;
        double norm = 0;
        foreach (double value in m)
        {
            norm = Math.Max(norm, Math.Abs(value));
        }
        double tiny = 1e-14 * Math.Max(norm, 1e-300);
        for (int col = 0; col < n; col++)
        {
            int pivot = col;
            for (int r = col + 1; r < n; r++)
            {
                if (Math.Abs(m[r, col]) > Math.Abs(m[pivot, col]))
                {
                    pivot = r;
                }
            }
            if (!(Math.Abs(m[pivot, col]) > tiny))
            {
                return false;
            }
            if (pivot != col)
            {
                for (int e = 0; e < n; e++)
                {
                    (m[col, e], m[pivot, e]) = (m[pivot, e], m[col, e]);
                }
                (x1[col], x1[pivot]) = (x1[pivot], x1[col]);
                (x2[col], x2[pivot]) = (x2[pivot], x2[col]);
            }
            for (int r = col + 1; r < n; r++)
            {
                double factor = m[r, col] / m[col, col];
                if (factor == 0)
                {
                    continue;
                }
                for (int e = col; e < n; e++)
                {
                    m[r, e] -= factor * m[col, e];
                }
                x1[r] -= factor * x1[col];
                x2[r] -= factor * x2[col];
            }
        }
        for (int r = n - 1; r >= 0; r--)
        {
            double s1 = x1[r];
            double s2 = x2[r];
            for (int e = r + 1; e < n; e++)
            {
                s1 -= m[r, e] * x1[e];
                s2 -= m[r, e] * x2[e];
            }
            x1[r] = s1 / m[r, r];
            x2[r] = s2 / m[r, r];
        }
        return true;
    }
}
