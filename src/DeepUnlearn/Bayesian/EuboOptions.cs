namespace DeepUnlearn.Bayesian;

/// <summary>
/// Settings of EUBO unlearning (<see cref="EuboUnlearning"/>). λ is the threshold of the paper's adjusted
/// likelihood; the authors' moon experiments sweep λ over {0.5, 0.1, 10⁻³, 10⁻⁵, 10⁻⁹, 0}. A useful λ
/// depends on the dimension P: a draw from q(θ | D) has log q − log max q ≈ −χ²_P / 2 (about −P/2), so
/// λ must be far below e^(−P/2) for the region to hold typical parameters.
/// </summary>
public sealed record EuboOptions
{
    private readonly double _lambda;
    private readonly int _steps = 2000;
    private readonly double _learningRate = 0.01;
    private readonly int _samples = 32;
    private readonly int _batchSize;

    /// <summary>λ ∈ [0, 1] of the adjusted likelihood; 0 gives the plain EUBO.</summary>
    public double Lambda { get => _lambda; init => _lambda = AdjustedLikelihood.ValidateLambda(value); }

    /// <summary>Adam steps, ≥ 1.</summary>
    public int Steps { get => _steps; init => _steps = VariationalOptions.Positive(value, nameof(Steps)); }

    /// <summary>Adam's initial learning rate, &gt; 0; it follows a cosine annealing to 0 over the steps, so the last iterates settle.</summary>
    public double LearningRate { get => _learningRate; init => _learningRate = VariationalOptions.PositiveFinite(value, nameof(LearningRate)); }

    /// <summary>Reparameterised samples θ ~ q per step, ≥ 1.</summary>
    public int Samples { get => _samples; init => _samples = VariationalOptions.Positive(value, nameof(Samples)); }

    /// <summary>
    /// Erased rows per step (the likelihood term is rescaled by |D_e| / batch, unbiased because the
    /// adjusted-likelihood region depends on θ only); 0 uses every erased row each step.
    /// </summary>
    public int BatchSize { get => _batchSize; init => _batchSize = value >= 0 ? value : throw new System.ArgumentOutOfRangeException(nameof(BatchSize), value, "BatchSize must be >= 0 (0 = every erased row)"); }
}
