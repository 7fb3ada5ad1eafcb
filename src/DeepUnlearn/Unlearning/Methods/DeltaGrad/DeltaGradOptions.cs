using System;

namespace DeepUnlearn.Unlearning.Methods.DeltaGrad;

/// <summary>
/// DeltaGrad's hyperparameters (Wu, Dobriban and Davidson, "DeltaGrad: Rapid retraining of machine
/// learning models", ICML 2020, arXiv 2006.14755, Algorithm 1: period T0, burn-in j0, history m). This record
/// is the one place DeepUnlearn's defaults live; every other options type (the vision method's, the CLI's) takes
/// them from here. They are the authors' published command for logistic regression on MNIST (README of
/// github.com/thuwuyinjun/DeltaGrad: <c>--period 5 --init 20 -m 2</c>); their rate sweeps also run
/// T0 ∈ {2, 5, 10} and j0 ∈ {10, 20, 30}, and their online runs j0 = 10.
/// </summary>
public sealed record DeltaGradOptions
{
    /// <summary>
    /// T0: after the burn-in, the gradient is computed exactly at every step t with (t − j0) mod T0 = 0
    /// and approximated by L-BFGS in between. T0 = 1 makes DeltaGrad exact retraining. Default 5.
    /// </summary>
    public int Period { get; init; } = 5;

    /// <summary>
    /// j0: steps 0..j0 are exact (the burn-in, while the original and updated paths part the most). Default 20,
    /// the authors' <c>--init 20</c>; like their code, j0 counts optimiser steps (mini-batches), not epochs.
    /// </summary>
    public int BurnIn { get; init; } = 20;

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
