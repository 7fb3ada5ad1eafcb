using System;

namespace DeepUnlearn.Evaluation;

/// <summary>Distances between two samples of a scalar (confidences, entropies), independent of any binning.</summary>
public static class DistributionDistance
{
    /// <summary>
    /// The Wasserstein-1 (earth mover's) distance between the empirical distributions of <paramref name="a"/> and
    /// <paramref name="b"/>: ∫ |F_a(x) − F_b(x)| dx, with F the empirical CDFs (as scipy.stats.wasserstein_distance).
    /// In the units of the values; NaNs are skipped; NaN when either side is empty.
    /// </summary>
    public static double Wasserstein1(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        double[] x = Sorted(a);
        double[] y = Sorted(b);
        if (x.Length == 0 || y.Length == 0)
        {
            return double.NaN;
        }
        // Sweep the merged values; between consecutive values both CDFs are constant.
        int i = 0;
        int j = 0;
        double previous = Math.Min(x[0], y[0]);
        double distance = 0;
        while (i < x.Length || j < y.Length)
        {
            double next = j >= y.Length || (i < x.Length && x[i] <= y[j]) ? x[i] : y[j];
            distance += Math.Abs(((double)i / x.Length) - ((double)j / y.Length)) * (next - previous);
            while (i < x.Length && x[i] == next)
            {
                i++;
            }
            while (j < y.Length && y[j] == next)
            {
                j++;
            }
            previous = next;
        }
        return distance;
    }

    private static double[] Sorted(ReadOnlySpan<double> values)
    {
        var list = new System.Collections.Generic.List<double>(values.Length);
        foreach (double v in values)
        {
            if (!double.IsNaN(v))
            {
                list.Add(v);
            }
        }
        list.Sort();
        return [.. list];
    }
}
