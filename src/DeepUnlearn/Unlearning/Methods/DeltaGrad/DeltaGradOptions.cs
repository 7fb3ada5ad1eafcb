using System;

namespace DeepUnlearn.Unlearning.Methods.DeltaGrad;

/// <summary>
/// DeltaGrad's hyperparameters (Wu, Dobriban and Davidson, "DeltaGrad: Rapid retraining of machine
/// learning models", ICML 2020, arXiv 2006.14755, Algorithm 1: period T0, burn-in j0, history m).
/// Defaults follow the authors' published settings: their README runs MNIST logistic regression with
/// <c>--period 5 --init 20 -m 2</c>, and their deletion-rate scripts sweep T0 ∈ {2, 5, 10} and
/// j0 ∈ {10, 20, 30} with m = 2. DeepUnlearn takes T0 = 5, m = 2 and the shortest burn-in, j0 = 10,
/// since its trajectories are often only a few tens of steps long.
/// </summary>
public sealed record DeltaGradOptions
{
    /// <summary>
    /// T0: after the burn-in, the gradient is computed exactly at every step t with (t − j0) mod T0 = 0
    /// and approximated by L-BFGS in between. T0 = 1 makes DeltaGrad exact retraining. Default 5.
    /// </summary>
    public int Period { get; init; } = 5;

    /// <summary>j0: steps 0..j0 are exact (the burn-in while the trajectories part the most). Default 10.</summary>
    public int BurnIn { get; init; } = 10;

    /// <summary>m: number of most recent (Δw, Δg) pairs the L-BFGS estimate keeps. Default 2.</summary>
    public int History { get; init; } = 2;

    /// <summary>Throws when a value is out of range, naming the valid range.</summary>
    public void Validate()
    {
        if (Period < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(Period), Period, "T0 (period) must be ≥ 1");
        }
        if (BurnIn < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(BurnIn), BurnIn, "j0 (burn-in) must be ≥ 0");
        }
        if (History < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(History), History, "m (history) must be ≥ 1");
        }
    }

    /// <summary>True when step <paramref name="t"/> computes the gradient exactly (t ≤ j0 or (t − j0) mod T0 = 0).</summary>
    public bool IsExactStep(int t) => t <= BurnIn || (t - BurnIn) % Period == 0;
}
