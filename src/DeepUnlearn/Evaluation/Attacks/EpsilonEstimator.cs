using System;
using System.Collections.Generic;

namespace DeepUnlearn.Evaluation.Attacks;

/// <summary>
/// The per-example ε of the NeurIPS 2023 machine-unlearning challenge (Triantafillou et al. 2024, "Are we making
/// progress in unlearning? Findings from the first NeurIPS unlearning competition", Sec. 3; reference code
/// google-deepmind/unlearning_evaluation <c>metric.py</c>), ported decision rule by decision rule.
/// </summary>
/// <remarks>
/// <para>
/// For one forget example, take its logit-scaled confidence under N_u unlearned models (the method run with different
/// seeds) and under N_r retrained models. The distribution with the larger median is "positive". Two families of
/// decision rules tell them apart: one threshold ("positive iff φ ≥ t", thresholds every 1/100 across the values) and
/// two thresholds ("the peakier distribution iff l ≤ φ ≤ r", r on a 1/100 grid around the peakier one, l within ±2 of
/// r − its width, 400 values). For each rule with FPR and FNR both non-zero,
/// ε = max(log(1 − δ − FPR) − log FNR, log(1 − δ − FNR) − log FPR) clipped below at 0 (a DP-style hypothesis-testing
/// bound, Kairouz et al. 2015); a rule with FPR = FNR = 0 gives ∞ and a rule with only one of them 0 is discarded (the
/// code's reading: too few samples). The example's ε is the maximum, capped at 50; when one distribution's range is
/// below 1% of the other's ("peaky" outputs) it is the cap outright. δ = 1e-5.
/// </para>
/// <para>
/// What is ours: the interval. FPR and FNR are proportions of N models, so the point estimate is noisy and bounded: with
/// N models per side the largest finite ε it can report is log(N − 1 − Nδ), and it jumps to ∞ on perfect separation. We
/// put Clopper–Pearson bounds (95%) on the best rule's FPR and FNR and report the ε of the upper bounds as the lower
/// end and of the lower bounds as the upper end. The rule is chosen on the same samples (a maximum over hundreds of
/// rules), so the lower end is optimistic about the attacker, not a certified audit bound. With few models the interval
/// is wide and says so: with 2 models per side even perfect separation has lower end 0.
/// </para>
/// </remarks>
public static class EpsilonEstimator
{
    /// <summary>The challenge's δ (<c>DELTA = 1e-05</c>).</summary>
    public const double Delta = 1e-5;

    /// <summary>The challenge's ε cap (<c>EPSILON_CAP = 50</c>).</summary>
    public const double Cap = 50;

    /// <summary>Thresholds per unit of φ (<c>NUM_THRESHOLDS_PER_UNIT = 100</c>).</summary>
    public const int ThresholdsPerUnit = 100;

    /// <summary>The two-threshold rule's search half-width around r − width (<c>buffer = 2.0</c>).</summary>
    public const double Buffer = 2.0;

    /// <summary>Width of the score buckets (<c>bucket_size = 0.5</c>).</summary>
    public const double BucketSize = 0.5;

    /// <summary>The ε of one example from its φ under the unlearned and the retrained models.</summary>
    public static ExampleEpsilon Example(ReadOnlySpan<double> unlearned, ReadOnlySpan<double> retrained, double delta = Delta, double confidence = 0.95)
    {
        if (unlearned.IsEmpty || retrained.IsEmpty)
        {
            throw new ArgumentException("the ε estimate needs at least one unlearned and one retrained model");
        }
        if (!(delta >= 0 && delta < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(delta), delta, "δ must be in [0, 1)");
        }
        double[] u = Sorted(unlearned);
        double[] r = Sorted(retrained);
        // metric.py: the positive class is whichever has the larger median (ties: the unlearned one).
        bool retrainIsPositive = GaussianLikelihood.Median(r) > GaussianLikelihood.Median(u);
        double[] pos = retrainIsPositive ? r : u;
        double[] neg = retrainIsPositive ? u : r;
        double posRange = pos[^1] - pos[0];
        double negRange = neg[^1] - neg[0];
        double largest = Math.Max(posRange, negRange);
        double smallest = Math.Min(posRange, negRange);

        var table = new EpsilonTable(pos.Length, neg.Length, delta);
        Best best = default;
        best.Epsilon = double.NaN;
        if (largest == 0)
        {
            // Both sides constant (metric.py would divide 0 by 0 and fail): identical values cannot be told apart,
            // different values are separated perfectly.
            bool same = pos[0] == neg[0];
            best = same
                ? new Best { Epsilon = 0, FalsePositives = neg.Length, FalseNegatives = 0 }
                : new Best { Epsilon = double.PositiveInfinity, FalsePositives = 0, FalseNegatives = 0 };
            return Finish(best, peaky: !same, pos.Length, neg.Length, delta, confidence);
        }
        SingleThreshold(pos, neg, table, ref best);
        DoubleThreshold(pos, neg, posRange, negRange, smallest, table, ref best);
        bool peaky = smallest / largest < 0.01;
        return Finish(best, peaky, pos.Length, neg.Length, delta, confidence);
    }

    /// <summary>
    /// ε of one decision rule from its FPR and FNR (before the cap): ∞ for FPR = FNR = 0, NaN (discarded) when only one
    /// is 0, else the larger of the two log-ratios that are defined, clipped below at 0.
    /// </summary>
    public static double RuleEpsilon(double fpr, double fnr, double delta = Delta)
    {
        if (fpr == 0 && fnr == 0)
        {
            return double.PositiveInfinity;
        }
        if (fpr == 0 || fnr == 0)
        {
            return double.NaN;
        }
        double a = Math.Log(1 - delta - fpr) - Math.Log(fnr);
        double b = Math.Log(1 - delta - fnr) - Math.Log(fpr);
        double max = double.IsNaN(a) ? b : double.IsNaN(b) ? a : Math.Max(a, b);
        return double.IsNaN(max) ? double.NaN : Math.Max(0, max);
    }

    /// <summary>
    /// The challenge's forgetting score F: each example earns 2^(−bucket) points for its ε in buckets of width 0.5 from
    /// 0 up to ⌈log(N − 1)⌉ (beyond: 0 points), averaged over the examples (1 = every example looks retrained). Null when
    /// fewer than 3 models per side make that range empty. metric.py has N unlearned = N retrained models; with unequal
    /// counts we use the smaller.
    /// </summary>
    public static double? ForgetScore(IReadOnlyList<double> epsilons, int models)
    {
        ArgumentNullException.ThrowIfNull(epsilons);
        double maxEpsilon = models >= 2 ? Math.Ceiling(Math.Log(models - 1)) : 0;
        var points = new List<double>();
        double start = 0;
        double value = 1;
        while (start + BucketSize <= maxEpsilon)
        {
            points.Add(value);
            value /= 2;
            start += BucketSize;
        }
        if (points.Count == 0 || epsilons.Count == 0)
        {
            return null;
        }
        double score = 0;
        foreach (double e in epsilons)
        {
            for (int b = 0; b < points.Count; b++)
            {
                if (e < (b + 1) * BucketSize)
                {
                    score += points[b];
                    break;
                }
            }
        }
        return score / epsilons.Count;
    }

    /// <summary>The largest finite ε a rule can show with <paramref name="models"/> per side: log(N − 1 − Nδ) (FPR = FNR = 1/N).</summary>
    public static double LargestFinite(int models, double delta = Delta) =>
        models < 2 ? 0 : Math.Max(0, Math.Log(1 - delta - (1.0 / models)) - Math.Log(1.0 / models));

    private static ExampleEpsilon Finish(Best best, bool peaky, int positives, int negatives, double delta, double confidence)
    {
        double epsilon = peaky ? Cap : Math.Clamp(double.IsNaN(best.Epsilon) ? 0 : best.Epsilon, 0, Cap);
        if (double.IsNaN(best.Epsilon))
        {
            // No rule with a defined ε (metric.py asserts here): nothing tells the sides apart at this resolution.
            return new ExampleEpsilon(epsilon, 0, double.PositiveInfinity, peaky, 0, 0, positives, negatives);
        }
        var (fprLow, fprHigh) = ClopperPearson.Interval(best.FalsePositives, negatives, confidence);
        var (fnrLow, fnrHigh) = ClopperPearson.Interval(best.FalseNegatives, positives, confidence);
        double lower = Bound(fprHigh, fnrHigh, delta);
        double upper = fprLow == 0 || fnrLow == 0 ? double.PositiveInfinity : Bound(fprLow, fnrLow, delta);
        return new ExampleEpsilon(epsilon, Math.Min(lower, Cap), Math.Max(upper, Math.Min(lower, Cap)), peaky, best.FalsePositives, best.FalseNegatives, positives, negatives);
    }

    private static double Bound(double fpr, double fnr, double delta)
    {
        double a = Math.Log(1 - delta - fpr) - Math.Log(fnr);
        double b = Math.Log(1 - delta - fnr) - Math.Log(fpr);
        double max = double.IsNaN(a) ? b : double.IsNaN(b) ? a : Math.Max(a, b);
        return double.IsNaN(max) ? 0 : Math.Max(0, max);
    }

    /// <summary>metric.py <c>_get_single_threshold_rates</c>: predicted positive iff φ ≥ t.</summary>
    private static void SingleThreshold(double[] pos, double[] neg, EpsilonTable table, ref Best best)
    {
        double min = Math.Min(pos[0], neg[0]);
        double max = Math.Max(pos[^1], neg[^1]);
        int count = (int)Math.Ceiling((max - min) * ThresholdsPerUnit);
        for (int i = 0; i < count; i++)
        {
            double t = Linspace(min, max, count, i);
            int tp = pos.Length - LowerBound(pos, t);
            int fp = neg.Length - LowerBound(neg, t);
            Consider(table, tp, fp, ref best);
        }
    }

    /// <summary>metric.py <c>_get_double_threshold_rates</c>: the peakier distribution iff l ≤ φ ≤ r.</summary>
    private static void DoubleThreshold(double[] pos, double[] neg, double posRange, double negRange, double width, EpsilonTable table, ref Best best)
    {
        // "For simplicity, define 'positive' as the peakiest distribution."
        double[] peaky = posRange >= negRange ? neg : pos;
        double[] other = posRange >= negRange ? pos : neg;
        EpsilonTable rates = posRange >= negRange ? table.Swapped : table;
        double min = peaky[0] + width - Buffer;
        double max = peaky[^1] + Buffer;
        int rights = (int)Math.Ceiling((max - min) * ThresholdsPerUnit);
        int lefts = (int)Math.Ceiling(2 * Buffer * ThresholdsPerUnit);
        for (int i = 0; i < rights; i++)
        {
            double right = Linspace(min, max, rights, i);
            int peakyUpTo = UpperBound(peaky, right);
            int otherUpTo = UpperBound(other, right);
            int peakyBelow = 0;
            int otherBelow = 0;
            for (int j = 0; j < lefts; j++)
            {
                double left = Linspace(right - width - Buffer, right - width + Buffer, lefts, j);
                // Lefts increase: the counts below them only grow.
                while (peakyBelow < peaky.Length && peaky[peakyBelow] < left)
                {
                    peakyBelow++;
                }
                while (otherBelow < other.Length && other[otherBelow] < left)
                {
                    otherBelow++;
                }
                int tp = Math.Max(0, peakyUpTo - peakyBelow);
                int fp = Math.Max(0, otherUpTo - otherBelow);
                Consider(rates, tp, fp, ref best, swapped: posRange >= negRange);
            }
        }
    }

    private static void Consider(EpsilonTable table, int tp, int fp, ref Best best, bool swapped = false)
    {
        double e = table.Epsilon(tp, fp);
        if (double.IsNaN(e) || !(double.IsNaN(best.Epsilon) || e > best.Epsilon))
        {
            return;
        }
        best.Epsilon = e;
        // Keep the counts on the table's own sides, then name them for the reported (median) orientation.
        int fn = table.Positives - tp;
        best.FalsePositives = swapped ? fn : fp;
        best.FalseNegatives = swapped ? fp : fn;
    }

    /// <summary><c>np.linspace(start, stop, count)[i]</c>: the last value is <paramref name="stop"/> exactly.</summary>
    private static double Linspace(double start, double stop, int count, int i)
    {
        if (count == 1)
        {
            return start;
        }
        return i == count - 1 ? stop : start + (i * ((stop - start) / (count - 1)));
    }

    private static double[] Sorted(ReadOnlySpan<double> values)
    {
        double[] sorted = values.ToArray();
        foreach (double v in sorted)
        {
            if (!double.IsFinite(v))
            {
                throw new ArgumentException("a model output is not finite");
            }
        }
        Array.Sort(sorted);
        return sorted;
    }

    /// <summary>The number of values strictly below <paramref name="x"/>.</summary>
    private static int LowerBound(double[] sorted, double x)
    {
        int lo = 0;
        int hi = sorted.Length;
        while (lo < hi)
        {
            int mid = (lo + hi) >> 1;
            if (sorted[mid] < x)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }
        return lo;
    }

    /// <summary>The number of values at or below <paramref name="x"/>.</summary>
    private static int UpperBound(double[] sorted, double x)
    {
        int lo = 0;
        int hi = sorted.Length;
        while (lo < hi)
        {
            int mid = (lo + hi) >> 1;
            if (sorted[mid] <= x)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }
        return lo;
    }

    private struct Best
    {
        public double Epsilon;
        public int FalsePositives;
        public int FalseNegatives;
    }

    /// <summary>ε of every (true positives, false positives) pair of one side assignment, computed once per example.</summary>
    private sealed class EpsilonTable
    {
        private readonly double[] _values;
        private EpsilonTable? _swapped;
        private readonly double _delta;

        public EpsilonTable(int positives, int negatives, double delta)
        {
            Positives = positives;
            Negatives = negatives;
            _delta = delta;
            _values = new double[(positives + 1) * (negatives + 1)];
            for (int tp = 0; tp <= positives; tp++)
            {
                for (int fp = 0; fp <= negatives; fp++)
                {
                    double fpr = (double)fp / negatives;
                    double fnr = (double)(positives - tp) / positives;
                    _values[(tp * (negatives + 1)) + fp] = RuleEpsilon(fpr, fnr, delta);
                }
            }
        }

        public int Positives { get; }

        public int Negatives { get; }

        public EpsilonTable Swapped => _swapped ??= new EpsilonTable(Negatives, Positives, _delta);

        public double Epsilon(int tp, int fp) => _values[(tp * (Negatives + 1)) + fp];
    }
}
