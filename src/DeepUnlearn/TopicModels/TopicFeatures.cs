using System;
using System.Collections.Generic;

namespace DeepUnlearn.TopicModels;

/// <summary>
/// The topic features of the fine-tuned classifier:
/// <code>
///   φ(x) = Ãᵀ x̄ / (1ᵀ Ãᵀ x̄),   i.e.  φ_k(x) = Σ_w x̄_w p(w, z = k) / Σ_w x̄_w p(w)
/// </code>
/// with x̄ the document's word distribution and Ã the joint word-topic matrix: the topic posteriors
/// p(z | w) of the document's tokens, averaged with weights x̄_w p(w).
/// </summary>
/// <remarks>
/// <para>For any non-negative Ã (the noiseless one, or a released noisy one clamped at 0), φ(x) is a convex
/// combination of the rows Ã_w / ‖Ã_w‖₁, so it lies on the simplex: ‖[φ; 1]‖ ≤ √2 (<see cref="Bound"/>).</para>
/// <para>For the noiseless Ã of the unlearned and of the retrained model alike, the row sums are the retained
/// word probabilities p'(w), so the normaliser 1ᵀÃᵀx̄ = x̄ᵀp' is the same in both and φ is linear in Ã:
/// a linear head W gives logits = (Ã W)ᵀ x̄ / (x̄ᵀ n) + b, with B = Ã W and n = Ã 1 = p' — the "B = A w"
/// form in which Wei et al. 2025 (§5) unlearn pre-training documents through the head. Weighting by p(w)
/// keeps a rare word, whose row of Q̄ a deletion may flip, from carrying more than its mass.</para>
/// </remarks>
public static class TopicFeatures
{
    /// <summary>The bound on ‖[φ; 1]‖ for every document: √2 (φ lies on the simplex).</summary>
    public static double Bound { get; } = Math.Sqrt(2);

    /// <summary>φ(x) for each document (a document without a word of positive mass gets zeros).</summary>
    public static double[][] Compute(double[,] joint, IReadOnlyList<BagOfWordsDocument> documents)
    {
        ArgumentNullException.ThrowIfNull(joint);
        ArgumentNullException.ThrowIfNull(documents);
        int v = joint.GetLength(0);
        int k = joint.GetLength(1);
        var result = new double[documents.Count][];
        for (int d = 0; d < documents.Count; d++)
        {
            BagOfWordsDocument doc = documents[d];
            var phi = new double[k];
            double total = 0;
            for (int t = 0; t < doc.WordIds.Count; t++)
            {
                int w = doc.WordIds[t];
                if (w >= v)
                {
                    throw new ArgumentException($"document {doc.Id} uses word id {w}, but the vocabulary has {v} words", nameof(documents));
                }
                double x = (double)doc.Counts[t] / doc.Length;
                for (int j = 0; j < k; j++)
                {
                    double a = joint[w, j] * x;
                    phi[j] += a;
                    total += a;
                }
            }
            if (total > 0)
            {
                for (int j = 0; j < k; j++)
                {
                    phi[j] /= total;
                }
            }
            result[d] = phi;
        }
        return result;
    }

    /// <summary>x̄ᵀn: the normaliser of a document's features for row sums <paramref name="rowSums"/> (n = Ã 1).</summary>
    public static double Normalizer(BagOfWordsDocument document, IReadOnlyList<double> rowSums)
    {
        ArgumentNullException.ThrowIfNull(document);
        ArgumentNullException.ThrowIfNull(rowSums);
        double s = 0;
        for (int t = 0; t < document.WordIds.Count; t++)
        {
            s += rowSums[document.WordIds[t]] * document.Counts[t] / document.Length;
        }
        return s;
    }

    /// <summary>n = Ã 1: the row sums of the joint matrix (p(w) for a noiseless Ã).</summary>
    public static double[] RowSums(double[,] joint)
    {
        ArgumentNullException.ThrowIfNull(joint);
        var n = new double[joint.GetLength(0)];
        for (int i = 0; i < n.Length; i++)
        {
            for (int j = 0; j < joint.GetLength(1); j++)
            {
                n[i] += joint[i, j];
            }
        }
        return n;
    }

    /// <summary>‖x̄‖₂ of a document's word distribution (0 for an empty document).</summary>
    public static double DistributionNorm(BagOfWordsDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        if (document.Length == 0)
        {
            return 0;
        }
        double s = 0;
        foreach (int c in document.Counts)
        {
            s += (double)c * c;
        }
        return Math.Sqrt(s) / document.Length;
    }
}
