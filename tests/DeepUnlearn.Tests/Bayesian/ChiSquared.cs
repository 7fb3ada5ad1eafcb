using System;

namespace DeepUnlearn.Tests.Bayesian;

/// <summary>
/// The χ² distribution's CDF F_k(x) = P(k/2, x/2), the regularised lower incomplete gamma function, by its power
/// series P(a, x) = e^{−x} Σₙ xᵃ⁺ⁿ / Γ(a + n + 1) (converges for every x; used here for x ≤ 100), with Γ at
/// half-integers exact from Γ(1) = 1 and Γ(½) = √π. Checked against table values in <see cref="AdjustedLikelihoodTests"/>.
/// </summary>
internal static class ChiSquared
{
    public static double Cdf(int degrees, double x)
    {
        if (degrees < 1 || !(x >= 0) || x > 100)
        {
            throw new ArgumentOutOfRangeException(nameof(x), "this series is for k >= 1 and 0 <= x <= 100");
        }
        if (x == 0)
        {
            return 0;
        }
        double a = degrees / 2.0;
        double half = x / 2;
        // log Γ(a + 1) by Γ(t + 1) = t Γ(t) down to Γ(1) = 1 or Γ(½) = √π.
        double logGamma = degrees % 2 == 0 ? 0 : 0.5 * Math.Log(Math.PI);
        for (double t = degrees % 2 == 0 ? 1 : 0.5; t <= a; t += 1)
        {
            logGamma += Math.Log(t);
        }
        double term = Math.Exp((a * Math.Log(half)) - half - logGamma);
        double sum = term;
        for (int n = 1; n < 1000; n++)
        {
            term *= half / (a + n);
            sum += term;
            if (term < 1e-17 * sum)
            {
                break;
            }
        }
        return Math.Min(1, sum);
    }
}
