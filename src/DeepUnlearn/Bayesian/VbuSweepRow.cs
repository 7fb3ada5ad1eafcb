namespace DeepUnlearn.Bayesian;

/// <summary>
/// One posterior of a <see cref="VbuSweep"/> run compared with the retrained one q(θ | D_r): the paper's averaged KL
/// divergences between predictive distributions, KL[q(y | x, D_r) ‖ q_u(y | x)] averaged over x ∈ D_e and over
/// x ∈ D_r (Nguyen, Low and Jaillet 2020, experiments; the authors' <c>compute_kl_distance.py</c>), and the KL
/// between the posteriors themselves, KL[q_u(θ) ‖ q(θ | D_r)] (the authors' <c>kl_unlearned2remain</c>, here in
/// closed form).
/// </summary>
/// <param name="Seed">The run's seed.</param>
/// <param name="Method"><c>full</c> (q(θ | D), no unlearning), <c>retrained</c> (q(θ | D_r), the reference), <c>eubo</c> or <c>rkl</c>.</param>
/// <param name="Lambda">λ of the adjusted likelihood (unlearned rows only).</param>
/// <param name="KlErased">Mean over x ∈ D_e of KL[q(y | x, D_r) ‖ q_u(y | x)].</param>
/// <param name="KlRemaining">Mean over x ∈ D_r of KL[q(y | x, D_r) ‖ q_u(y | x)].</param>
/// <param name="KlPosterior">KL[q_u(θ) ‖ q(θ | D_r)].</param>
/// <param name="AccuracyErased">Predictive accuracy on D_e.</param>
/// <param name="AccuracyRemaining">Predictive accuracy on D_r.</param>
/// <param name="CountedFraction">The mean share of samples inside the adjusted-likelihood region (unlearned rows only).</param>
/// <param name="EffectiveSampleSize">Reverse KL only: the mean effective sample size of the importance weights.</param>
/// <param name="Seconds">Wall-clock time of the fit or the unlearning.</param>
public sealed record VbuSweepRow(
    ulong Seed,
    string Method,
    double? Lambda,
    double KlErased,
    double KlRemaining,
    double KlPosterior,
    double AccuracyErased,
    double AccuracyRemaining,
    double? CountedFraction,
    double? EffectiveSampleSize,
    double Seconds);
