using System;
using System.Linq;

namespace DeepUnlearn.Evaluation;

/// <summary>
/// Counts of values in <c>Counts.Length</c> equal-width bins over [<paramref name="Min"/>, <paramref name="Max"/>]; bin i
/// holds [Min + i·w, Min + (i+1)·w), the last bin also holds Max, and values outside the range go to the nearest end bin.
/// </summary>
/// <param name="Min">The lower edge of the first bin.</param>
/// <param name="Max">The upper edge of the last bin.</param>
/// <param name="Counts">The count per bin.</param>
public sealed record Histogram(double Min, double Max, int[] Counts)
{
    /// <summary>The default number of bins of the report's histograms.</summary>
    public const int DefaultBins = 20;

    /// <summary>The histogram of <paramref name="values"/> (NaNs skipped).</summary>
    public static Histogram Of(ReadOnlySpan<double> values, double min, double max, int bins = DefaultBins)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(bins, 1);
        if (!(max > min))
        {
            throw new ArgumentException($"a histogram needs max > min; got [{min}, {max}]");
        }
        var counts = new int[bins];
        foreach (double v in values)
        {
            if (double.IsNaN(v))
            {
                continue;
            }
            int bin = (int)Math.Floor((v - min) / (max - min) * bins);
            counts[Math.Clamp(bin, 0, bins - 1)]++;
        }
        return new Histogram(min, max, counts);
    }

    /// <summary>Values counted.</summary>
    public int Total => Counts.Sum();

    /// <summary>Each bin's share of <see cref="Total"/> (zeros when empty).</summary>
    public double[] Fractions()
    {
        int total = Total;
        return Counts.Select(c => total == 0 ? 0.0 : (double)c / total).ToArray();
    }

    /// <summary>
    /// The total-variation distance between the two binned distributions, ½ Σᵢ |aᵢ/|a| − bᵢ/|b||, in [0, 1] (0: the same
    /// shares in every bin, 1: no bin in common). The histograms must have the same bins.
    /// </summary>
    public static double TotalVariation(Histogram a, Histogram b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        if (a.Counts.Length != b.Counts.Length || a.Min != b.Min || a.Max != b.Max)
        {
            throw new ArgumentException($"histograms over different bins: {a.Counts.Length} over [{a.Min}, {a.Max}] and {b.Counts.Length} over [{b.Min}, {b.Max}]");
        }
        double[] p = a.Fractions();
        double[] q = b.Fractions();
        double sum = 0;
        for (int i = 0; i < p.Length; i++)
        {
            sum += Math.Abs(p[i] - q[i]);
        }
        return sum / 2;
    }
}
