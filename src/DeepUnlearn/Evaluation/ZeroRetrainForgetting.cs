using System;

namespace DeepUnlearn.Evaluation;

/// <summary>
/// The ZRF score of Chundawat et al., "Can Bad Teaching Induce Forgetting? Unlearning in Deep Networks using an
/// Incompetent Teacher" (AAAI 2023, arXiv 2205.08096), §"Zero Retrain Forgetting metric":
/// ZRF = 1 − (1/n_f) Σ_{x ∈ D_f} JS(M(x) ‖ T_d(x)), with M the model under test and T_d a randomly initialised model of
/// the same architecture (the "incompetent teacher"). ZRF = 1: M answers the forget samples like a random network;
/// lower: its answers differ from random ones. JS is taken in bits (log base 2), so JS ∈ [0, 1] and ZRF ∈ [0, 1] as the
/// paper reads it (0 = maximally different from random, 1 = random).
/// </summary>
/// <remarks>
/// Where we differ from the authors' code (vikram2000b/bad-teaching-unlearning, metrics.py): their <c>JSDiv(p, q)</c> is
/// <c>0.5·F.kl_div(log p, m) + 0.5·F.kl_div(log q, m)</c> with PyTorch's default <c>reduction='mean'</c>, which computes
/// KL(m ‖ p) and KL(m ‖ q) (the arguments are the other way round) averaged over all n·K entries, i.e. 1/K of a
/// per-sample divergence that is not JS. Their numbers therefore sit much closer to 1 than this definition's; ours are
/// not comparable with the paper's tables, only with each other (compare a method's ZRF with the retrained model's).
/// </remarks>
public static class ZeroRetrainForgetting
{
    /// <summary>The seed of T_d: one fixed incompetent teacher for every model of a run, so their ZRFs are comparable.</summary>
    public const ulong TeacherSeed = 0x2F;

    /// <summary>
    /// ZRF of a model's softmax rows <paramref name="model"/> against the teacher's rows <paramref name="teacher"/>
    /// (row-major [n, <paramref name="k"/>], the same samples in the same order): 1 − mean JS in bits. NaN when n = 0.
    /// </summary>
    public static double Score(ReadOnlySpan<float> model, ReadOnlySpan<float> teacher, int k) =>
        1 - (Divergence.MeanJensenShannon(model, teacher, k) / Math.Log(2));
}
