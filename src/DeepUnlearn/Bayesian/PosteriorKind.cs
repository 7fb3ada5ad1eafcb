namespace DeepUnlearn.Bayesian;

/// <summary>The family of a Gaussian variational posterior.</summary>
public enum PosteriorKind
{
    /// <summary>Mean-field: independent coordinates, q(θ) = Π N(μ_i, σ_i²) (CLI name <c>diag</c>).</summary>
    Diagonal = 0,

    /// <summary>Full covariance Σ = L Lᵀ with a Cholesky factor L (CLI name <c>full</c>).</summary>
    Full = 1,
}
