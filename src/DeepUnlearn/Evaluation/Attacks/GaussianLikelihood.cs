using System;

namespace DeepUnlearn.Evaluation.Attacks;

/// <summary>
/// The offline per-example likelihood test of LiRA (Carlini et al. 2022, Sec. IV.C, "offline"; reference code
/// <c>research/mi_lira_2021/plot.py</c>, <c>generate_ours_offline</c>): fit a Gaussian to each example's φ under the
/// reference models that never trained on it (its median and standard deviation), and score a target model's φ by
/// its negative log-likelihood under that Gaussian. High means "unlike a model that never saw the example".
/// </summary>
/// <remarks>
/// The reference code scores with <c>-norm.logpdf</c> (two-sided: an output far below the retrained models' is as
/// suspicious as one far above it, which for unlearning also catches over-forgetting); the paper's text describes a
/// one-sided test. We follow the code.
/// </remarks>
public static class GaussianLikelihood
{
    /// <summary>The reference code's floor added to σ (<c>std_out + 1e-30</c>).</summary>
    public const double StdFloor = 1e-30;

    /// <summary>log N(<paramref name="x"/>; <paramref name="mean"/>, <paramref name="std"/>²).</summary>
    public static double LogPdf(double x, double mean, double std)
    {
        double z = (x - mean) / std;
        return (-0.5 * z * z) - Math.Log(std) - (0.5 * Math.Log(2 * Math.PI));
    }

    /// <summary>
    /// The Gaussian of each example from <paramref name="references"/> ([model][example] φ values): its median over
    /// the models and its standard deviation (population, ddof = 0, as <c>np.std</c>). With
    /// <paramref name="fixedVariance"/> every example gets one σ, the standard deviation of all the values together
    /// (<c>np.std(dat_out)</c>), which LiRA recommends with few reference models (Sec. VI.A).
    /// </summary>
    public static (double[] Mean, double[] Std) Fit(double[][] references, bool fixedVariance)
    {
        ArgumentNullException.ThrowIfNull(references);
        if (references.Length == 0)
        {
            throw new ArgumentException("the Gaussian fit needs at least one reference model", nameof(references));
        }
        int n = references[0].Length;
        foreach (double[] r in references)
        {
            if (r.Length != n)
            {
                throw new ArgumentException("every reference model must score the same examples");
            }
        }
        var mean = new double[n];
        var std = new double[n];
        var column = new double[references.Length];
        for (int i = 0; i < n; i++)
        {
            for (int k = 0; k < references.Length; k++)
            {
                column[k] = references[k][i];
            }
            mean[i] = Median(column);
            std[i] = PopulationStd(column);
        }
        if (fixedVariance)
        {
            var all = new double[(long)n * references.Length];
            for (int k = 0; k < references.Length; k++)
            {
                references[k].CopyTo(all, (long)k * n);
            }
            Array.Fill(std, PopulationStd(all));
        }
        return (mean, std);
    }

    /// <summary>
    /// The membership score of each example: −log N(target φ; mean, (std + 1e-30)²), the negated
    /// <c>prediction</c> of the reference code (its ROC is computed on <c>-score</c>).
    /// </summary>
    public static double[] Scores(ReadOnlySpan<double> target, ReadOnlySpan<double> mean, ReadOnlySpan<double> std)
    {
        if (target.Length != mean.Length || target.Length != std.Length)
        {
            throw new ArgumentException("the target and the fit must cover the same examples");
        }
        var scores = new double[target.Length];
        for (int i = 0; i < scores.Length; i++)
        {
            scores[i] = -LogPdf(target[i], mean[i], std[i] + StdFloor);
        }
        return scores;
    }

    /// <summary>The median (mean of the two middle values for an even count, as <c>np.median</c>).</summary>
    public static double Median(ReadOnlySpan<double> values)
    {
        if (values.IsEmpty)
        {
            throw new ArgumentException("the median of nothing is undefined", nameof(values));
        }
        double[] sorted = values.ToArray();
        Array.Sort(sorted);
        int m = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[m] : 0.5 * (sorted[m - 1] + sorted[m]);
    }

    private static double PopulationStd(ReadOnlySpan<double> values)
    {
        double mean = 0;
        foreach (double v in values)
        {
            mean += v;
        }
        mean /= values.Length;
        double sum = 0;
        foreach (double v in values)
        {
            sum += (v - mean) * (v - mean);
        }
        return Math.Sqrt(sum / values.Length);
    }
}
