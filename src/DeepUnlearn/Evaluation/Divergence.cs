using System;

namespace DeepUnlearn.Evaluation;

/// <summary>Divergences between two models' predictive distributions.</summary>
public static class Divergence
{
    /// <summary>
    /// Mean over samples of the Jensen–Shannon divergence (natural log, so in [0, ln 2]) between rows of
    /// two row-major [n, k] probability matrices: JS(p, q) = ½ KL(p ‖ m) + ½ KL(q ‖ m), m = ½(p + q).
    /// </summary>
    public static double MeanJensenShannon(ReadOnlySpan<float> p, ReadOnlySpan<float> q, int k)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);
        if (p.Length != q.Length || p.Length % k != 0)
        {
            throw new ArgumentException($"probability matrices of {p.Length} and {q.Length} values are not matching rows of {k}");
        }
        int n = p.Length / k;
        if (n == 0)
        {
            return double.NaN;
        }
        double total = 0;
        for (int i = 0; i < n; i++)
        {
            double js = 0;
            for (int j = 0; j < k; j++)
            {
                double a = p[(i * k) + j];
                double b = q[(i * k) + j];
                double m = 0.5 * (a + b);
                if (a > 0)
                {
                    js += 0.5 * a * Math.Log(a / m);
                }
                if (b > 0)
                {
                    js += 0.5 * b * Math.Log(b / m);
                }
            }
            total += js;
        }
        return total / n;
    }
}
