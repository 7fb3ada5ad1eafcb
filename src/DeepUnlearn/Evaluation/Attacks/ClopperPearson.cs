using System;

namespace DeepUnlearn.Evaluation.Attacks;

/// <summary>
/// The Clopper–Pearson ("exact") confidence interval of a binomial proportion (Clopper and Pearson, Biometrika 1934):
/// the proportions p whose binomial tails make the observed count no rarer than (1 − confidence)/2 on either side. It
/// is what privacy audits put around an attack's FPR and FNR (Jagielski et al. 2020; Nasr et al. 2021).
/// </summary>
public static class ClopperPearson
{
    /// <summary>
    /// The two-sided interval of <paramref name="successes"/> out of <paramref name="trials"/> at
    /// <paramref name="confidence"/>: lower solves P(X ≥ k; n, p) = α/2 (0 when k = 0), upper solves
    /// P(X ≤ k; n, p) = α/2 (1 when k = n), with α = 1 − confidence. Solved by bisection on the binomial tail
    /// (summed in log space), to 1e-12.
    /// </summary>
    public static (double Lower, double Upper) Interval(int successes, int trials, double confidence = 0.95)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(trials, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(successes);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(successes, trials);
        if (!(confidence > 0 && confidence < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(confidence), confidence, "the confidence level must be in (0, 1)");
        }
        double tail = (1 - confidence) / 2;
        double lower = successes == 0 ? 0 : Solve(p => 1 - BinomialCdf(successes - 1, trials, p), tail, increasing: true);
        double upper = successes == trials ? 1 : Solve(p => BinomialCdf(successes, trials, p), tail, increasing: false);
        return (lower, upper);
    }

    /// <summary>P(X ≤ <paramref name="k"/>) for X ~ Binomial(<paramref name="n"/>, <paramref name="p"/>).</summary>
    public static double BinomialCdf(int k, int n, double p)
    {
        if (k < 0)
        {
            return 0;
        }
        if (k >= n || p <= 0)
        {
            return 1;
        }
        if (p >= 1)
        {
            return 0;
        }
        double logP = Math.Log(p);
        double logQ = double.LogP1(-p);
        var terms = new double[k + 1];
        double logChoose = 0;
        double max = double.NegativeInfinity;
        for (int i = 0; i <= k; i++)
        {
            if (i > 0)
            {
                logChoose += Math.Log(n - i + 1) - Math.Log(i);
            }
            terms[i] = logChoose + (i * logP) + ((n - i) * logQ);
            max = Math.Max(max, terms[i]);
        }
        double sum = 0;
        foreach (double t in terms)
        {
            sum += Math.Exp(t - max);
        }
        return Math.Min(1, Math.Exp(max) * sum);
    }

    private static double Solve(Func<double, double> tailProbability, double target, bool increasing)
    {
        double lo = 0;
        double hi = 1;
        for (int i = 0; i < 200 && hi - lo > 1e-13; i++)
        {
            double mid = 0.5 * (lo + hi);
            bool below = tailProbability(mid) < target;
            if (below == increasing)
            {
                lo = mid;
            }
            else
            {
                hi = mid;
            }
        }
        return 0.5 * (lo + hi);
    }
}
