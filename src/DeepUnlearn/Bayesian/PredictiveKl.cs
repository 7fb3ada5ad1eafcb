namespace DeepUnlearn.Bayesian;

/// <summary>
/// The VBU paper's metric (Nguyen, Low and Jaillet 2020, experiments): the KL divergence
/// KL[q(y | x, D_r) ‖ q_u(y | x, D_r)] from the retrained posterior's predictive distribution to the
/// compared posterior's, averaged over the erased rows and over the remaining rows. 0 means the compared
/// posterior predicts exactly as retraining does.
/// </summary>
/// <param name="Erased">The mean over x ∈ D_e.</param>
/// <param name="Remaining">The mean over x ∈ D_r.</param>
public sealed record PredictiveKl(double Erased, double Remaining);
