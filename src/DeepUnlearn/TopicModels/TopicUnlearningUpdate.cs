namespace DeepUnlearn.TopicModels;

/// <summary>How U_base updates p(topic | word) after the co-occurrence downdate (anchors stay fixed).</summary>
public enum TopicUnlearningUpdate
{
    /// <summary>
    /// One Newton step per word from the stored solution with the stored Hessian 2G (Wei et al. 2025,
    /// Algorithm 1, in the manner of Sekhari et al. 2021): C_i ← Π_Δ(C_i − G⁻¹(ΔG C_i − ΔB_i)).
    /// O(V K²) after the matrix products, independent of the corpus size.
    /// </summary>
    NewtonStep,

    /// <summary>Re-solve every word's simplex least-squares problem on the downdated Q (warm-started).</summary>
    ExactRecovery,
}
