namespace DeepUnlearn.Bayesian;

/// <summary>
/// What a VBU unlearning run produced: the unlearned posterior q_u(θ | D_r) (the caller owns and disposes it)
/// and diagnostics of the run.
/// </summary>
/// <param name="Posterior">q_u(θ | D_r).</param>
/// <param name="Objective">The last step's objective estimate (the EUBO, or the weighted negative log-density for reverse KL).</param>
/// <param name="CountedFraction">The mean fraction of samples inside the adjusted-likelihood region q(θ | D) &gt; λ max q (1 when λ = 0).</param>
/// <param name="EffectiveSampleSize">Reverse KL only: the mean effective sample size 1 / Σ w² of the importance weights, else null.</param>
/// <param name="Seconds">Wall-clock time of the unlearning.</param>
public sealed record VbuOutcome(Gaussian Posterior, double Objective, double CountedFraction, double? EffectiveSampleSize, double Seconds);
