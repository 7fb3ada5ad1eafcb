using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace DeepUnlearn.Reporting;

/// <summary>Mean and sample standard deviation of a metric over seeds.</summary>
/// <param name="Mean">The mean.</param>
/// <param name="Std">The sample standard deviation (0 for a single run).</param>
/// <param name="Count">How many values.</param>
public readonly record struct Stat(double Mean, double Std, int Count)
{
    /// <summary>The statistic of the non-NaN <paramref name="values"/>; null when there are none.</summary>
    public static Stat? Of(IEnumerable<double?> values)
    {
        double[] v = values.Where(x => x is double d && !double.IsNaN(d)).Select(x => x!.Value).ToArray();
        if (v.Length == 0)
        {
            return null;
        }
        double mean = v.Average();
        double std = v.Length < 2 ? 0 : Math.Sqrt(v.Sum(x => (x - mean) * (x - mean)) / (v.Length - 1));
        return new Stat(mean, std, v.Length);
    }

    /// <summary>"mean ± std" with <paramref name="decimals"/> decimals (just the mean for one run).</summary>
    public string Format(int decimals = 2)
    {
        string f = "F" + decimals.ToString(CultureInfo.InvariantCulture);
        return Count > 1
            ? $"{Mean.ToString(f, CultureInfo.InvariantCulture)} ± {Std.ToString(f, CultureInfo.InvariantCulture)}"
            : Mean.ToString(f, CultureInfo.InvariantCulture);
    }
}
