using System;
using System.Linq;

namespace DeepUnlearn.TopicModels;

/// <summary>
/// The model constants on which the (ε, δ) certificate of topic-model unlearning rests, measured on the
/// model before a deletion (derivation: <c>docs/topic-unlearning.md</c>).
/// </summary>
/// <remarks>
/// Wei et al. 2025 state their bounds with population constants of the topic model (the smallest anchor
/// word probability p and the condition number γ of R), assumed known in advance. We measure the
/// corresponding empirical quantities on the trained model instead, so σ depends on the training data
/// through p_S, λ and s (besides m, K, V), and not on which documents are deleted.
/// </remarks>
/// <param name="DocumentCount">m: documents in the co-occurrence statistics.</param>
/// <param name="TopicCount">K.</param>
/// <param name="VocabularySize">V.</param>
/// <param name="MinAnchorProbability">p_S = min over anchors s of p(w = s).</param>
/// <param name="GramMinEigenvalue">λ: the smallest eigenvalue of G = Q̄_S Q̄_Sᵀ on the sum-zero subspace
/// (the directions along which points of the simplex differ); the strong convexity of RecoverL2's per-word
/// objectives there is 2λ. +∞ when K = 1.</param>
/// <param name="AnchorSpectralNorm">s = ‖Q̄_S‖₂ = √λ_max(G).</param>
public sealed record TopicModelConstants(
    int DocumentCount,
    int TopicCount,
    int VocabularySize,
    double MinAnchorProbability,
    double GramMinEigenvalue,
    double AnchorSpectralNorm)
{
    /// <summary>Measures the constants of <paramref name="model"/>.</summary>
    public static TopicModelConstants Measure(AnchorTopicModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        RecoveryInputs inputs = TopicRecovery.Prepare(model.Statistics, model.Anchors);
        return new TopicModelConstants(
            model.Statistics.DocumentCount,
            model.TopicCount,
            model.VocabularySize,
            model.Anchors.Min(a => inputs.WordProbability[a]),
            SumZeroMinEigenvalue(inputs.Gram),
            Math.Sqrt(Math.Max(DenseMatrix.EigenvalueRange(inputs.Gram).Max, 0)));
    }

    /// <summary>min over unit v with Σv = 0 of vᵀ G v (+∞ for a 1×1 matrix: there is no such v).</summary>
    internal static double SumZeroMinEigenvalue(double[,] g)
    {
        int k = g.GetLength(0);
        if (k == 1)
        {
            return double.PositiveInfinity;
        }
        // The columns 2..K of the Householder reflection that maps e₁ to 1/√K are an orthonormal basis U of
        // the sum-zero subspace; the answer is λ_min(Uᵀ G U).
        var v = new double[k];
        double root = 1 / Math.Sqrt(k);
        for (int i = 0; i < k; i++)
        {
            v[i] = root - (i == 0 ? 1 : 0);
        }
        double vv = v.Sum(x => x * x);
        var u = new double[k, k - 1];
        for (int i = 0; i < k; i++)
        {
            for (int j = 1; j < k; j++)
            {
                u[i, j - 1] = (i == j ? 1 : 0) - (2 * v[i] * v[j] / vv);
            }
        }
        var compressed = new double[k - 1, k - 1];
        for (int a = 0; a < k - 1; a++)
        {
            for (int b = 0; b < k - 1; b++)
            {
                double s = 0;
                for (int i = 0; i < k; i++)
                {
                    for (int j = 0; j < k; j++)
                    {
                        s += u[i, a] * g[i, j] * u[j, b];
                    }
                }
                compressed[a, b] = s;
            }
        }
        return DenseMatrix.EigenvalueRange(compressed).Min;
    }
}
