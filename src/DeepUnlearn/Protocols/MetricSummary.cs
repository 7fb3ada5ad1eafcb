using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace DeepUnlearn.Protocols;

/// <summary>
/// A metric over seeds: mean, sample standard deviation, and the half-width of the two-sided 95% confidence
/// interval of the mean from Student's t with n − 1 degrees of freedom (null for a single seed).
/// </summary>
/// <param name="Mean">The mean.</param>
/// <param name="Std">The sample standard deviation (n − 1 in the denominator; 0 for one value).</param>
/// <param name="HalfWidth95">t_{0.975, n−1} · s / √n, or null when n = 1.</param>
/// <param name="Count">n.</param>
/// <param name="Values">The values, in seed order.</param>
public sealed record MetricSummary(double Mean, double Std, double? HalfWidth95, int Count, IReadOnlyList<double> Values)
{
    /// <summary>The summary of <paramref name="values"/>; null when there are none.</summary>
    public static MetricSummary? Of(IEnumerable<double> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        double[] v = values.ToArray();
        if (v.Length == 0)
        {
            return null;
        }
        double mean = v.Average();
        double std = v.Length < 2 ? 0 : Math.Sqrt(v.Sum(x => (x - mean) * (x - mean)) / (v.Length - 1));
        return new MetricSummary(mean, std, v.Length < 2 ? null : StudentT.HalfWidth95(std, v.Length), v.Length, v);
    }

    /// <summary>"mean ± half-width" with <paramref name="decimals"/> decimals (the mean alone for one seed).</summary>
    public string Format(int decimals = 2)
    {
        string f = "F" + decimals.ToString(CultureInfo.InvariantCulture);
        return HalfWidth95 is double h
            ? $"{Mean.ToString(f, CultureInfo.InvariantCulture)} ± {h.ToString(f, CultureInfo.InvariantCulture)}"
            : Mean.ToString(f, CultureInfo.InvariantCulture);
    }
}
