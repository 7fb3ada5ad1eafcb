namespace DeepUnlearn.Bayesian;

/// <summary>
/// Settings of reverse-KL unlearning (<see cref="ReverseKlUnlearning"/>, the paper's "reverse KL" trick): samples from
/// q(θ | D) with self-normalised importance weights ∝ 1 / p̃(D_e | θ; λ).
/// </summary>
public sealed record ReverseKlOptions
{
    private readonly double _lambda;
    private readonly int _steps = 2000;
    private readonly double _learningRate = 0.01;
    private readonly int _samples = 256;

    /// <summary>λ ∈ [0, 1] of the adjusted likelihood in the weights; 0 weights by 1 / p(D_e | θ) everywhere.</summary>
    public double Lambda { get => _lambda; init => _lambda = AdjustedLikelihood.ValidateLambda(value); }

    /// <summary>Adam steps, ≥ 1 (ignored with <see cref="MomentMatching"/>).</summary>
    public int Steps { get => _steps; init => _steps = VariationalOptions.Positive(value, nameof(Steps)); }

    /// <summary>Adam's initial learning rate, &gt; 0; it follows a cosine annealing to 0 over the steps, so the last iterates settle.</summary>
    public double LearningRate { get => _learningRate; init => _learningRate = VariationalOptions.PositiveFinite(value, nameof(LearningRate)); }

    /// <summary>Samples θ ~ q(θ | D) per step (or in the one pool with <see cref="MomentMatching"/>), ≥ 1.</summary>
    public int Samples { get => _samples; init => _samples = VariationalOptions.Positive(value, nameof(Samples)); }

    /// <summary>Draw fresh samples every step (a stochastic objective whose optimum is the population one); otherwise one fixed pool.</summary>
    public bool ResampleEachStep { get; init; } = true;

    /// <summary>
    /// Skip the optimiser: for a Gaussian q the reverse-KL optimum over a fixed pool is the importance-weighted
    /// mean and covariance of the samples (moment matching), computed in closed form.
    /// </summary>
    public bool MomentMatching { get; init; }
}
