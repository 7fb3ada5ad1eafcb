using System;
using System.Linq;

namespace DeepUnlearn.TopicModels;

/// <summary>The pairing of estimated topics with reference topics and the per-topic L1 errors.</summary>
/// <param name="Assignment">Assignment[k] is the estimated topic matched to reference topic k.</param>
/// <param name="L1Errors">‖a_est − a_ref‖₁ for each reference topic.</param>
public sealed record TopicMatch(int[] Assignment, double[] L1Errors)
{
    /// <summary>The mean of <see cref="L1Errors"/>.</summary>
    public double MeanL1Error => L1Errors.Average();

    /// <summary>The largest of <see cref="L1Errors"/>.</summary>
    public double MaxL1Error => L1Errors.Max();
}

/// <summary>
/// Matches the columns of two V×K topic matrices one-to-one so that the summed L1 distance is least
/// (topics are identifiable only up to permutation), by the Hungarian algorithm.
/// </summary>
public static class TopicMatching
{
    /// <summary>The optimal matching of the columns of <paramref name="estimated"/> to those of <paramref name="reference"/>.</summary>
    public static TopicMatch Match(double[,] estimated, double[,] reference)
    {
        ArgumentNullException.ThrowIfNull(estimated);
        ArgumentNullException.ThrowIfNull(reference);
        int v = reference.GetLength(0);
        int k = reference.GetLength(1);
        if (estimated.GetLength(0) != v || estimated.GetLength(1) != k)
        {
            throw new ArgumentException($"topic matrices differ in shape: {estimated.GetLength(0)}×{estimated.GetLength(1)} vs {v}×{k}");
        }
        var cost = new double[k, k];
        for (int r = 0; r < k; r++)
        {
            for (int e = 0; e < k; e++)
            {
                double s = 0;
                for (int i = 0; i < v; i++)
                {
                    s += Math.Abs(estimated[i, e] - reference[i, r]);
                }
                cost[r, e] = s;
            }
        }
        int[] assignment = Hungarian(cost);
        return new TopicMatch(assignment, Enumerable.Range(0, k).Select(r => cost[r, assignment[r]]).ToArray());
    }

    // Minimum-cost perfect matching of rows to columns of a square matrix (Kuhn–Munkres with potentials).
    private static int[] Hungarian(double[,] cost)
    {
        int n = cost.GetLength(0);
        var u = new double[n + 1];
        var v = new double[n + 1];
        var p = new int[n + 1];
        var way = new int[n + 1];
        for (int i = 1; i <= n; i++)
        {
            p[0] = i;
            int j0 = 0;
            var minv = Enumerable.Repeat(double.PositiveInfinity, n + 1).ToArray();
            var used = new bool[n + 1];
            do
            {
                used[j0] = true;
                int i0 = p[j0];
                double delta = double.PositiveInfinity;
                int j1 = 0;
                for (int j = 1; j <= n; j++)
                {
                    if (!used[j])
                    {
                        double cur = cost[i0 - 1, j - 1] - u[i0] - v[j];
                        if (cur < minv[j])
                        {
                            minv[j] = cur;
                            way[j] = j0;
                        }
                        if (minv[j] < delta)
                        {
                            delta = minv[j];
                            j1 = j;
                        }
                    }
                }
                for (int j = 0; j <= n; j++)
                {
                    if (used[j])
                    {
                        u[p[j]] += delta;
                        v[j] -= delta;
                    }
                    else
                    {
                        minv[j] -= delta;
                    }
                }
                j0 = j1;
            }
            while (p[j0] != 0);
            do
            {
                int j1 = way[j0];
                p[j0] = p[j1];
                j0 = j1;
            }
            while (j0 != 0);
        }
        var assignment = new int[n];
        for (int j = 1; j <= n; j++)
        {
            assignment[p[j] - 1] = j - 1;
        }
        return assignment;
    }
}
