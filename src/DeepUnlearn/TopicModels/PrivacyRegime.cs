namespace DeepUnlearn.TopicModels;

/// <summary>Whether an (ε, δ) setting lies where the Gaussian mechanism's calibration is proven.</summary>
public enum PrivacyRegime
{
    /// <summary>0 &lt; ε &lt; 1: σ = Δ √(2 ln(1.25/δ)) / ε gives (ε, δ)-indistinguishability (Dwork and Roth 2014, Theorem A.1).</summary>
    Proven,

    /// <summary>ε ≥ 1, accepted on request: the same σ is used but the classical proof does not cover it.</summary>
    OutsideProvenRange,
}
