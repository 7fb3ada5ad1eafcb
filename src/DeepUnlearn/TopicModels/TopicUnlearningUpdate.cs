namespace DeepUnlearn.TopicModels;

/// <summary>How U_base updates p(topic | word) after the co-occurrence downdate (anchors stay fixed).</summary>
public enum TopicUnlearningUpdate
{
    /// <summary>
    /// One Newton step per word on the retained objective f'_i(c) = ‖Q̄'_i − cᵀQ̄'_S‖² from the stored
    /// solution C_i, with the retained Hessian 2G' (G' = Q̄'_S Q̄'_Sᵀ), on the face of the simplex that holds
    /// C_i (Newton's method with equality constraints, Boyd and Vandenberghe 2004, §10.2), then projected
    /// onto the simplex. f'_i is quadratic, so the step reaches the minimiser of f'_i on that face: it
    /// equals the fixed-anchor re-fit for every word whose support does not change. O(V K³) after the
    /// O(V² K) matrix products; independent of the number of documents.
    /// </summary>
    NewtonStep,

    /// <summary>Re-solve every word's simplex least-squares problem on the downdated Q (warm-started).</summary>
    ExactRecovery,
}
