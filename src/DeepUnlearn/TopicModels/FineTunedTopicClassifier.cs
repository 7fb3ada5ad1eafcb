using System;
using System.Collections.Generic;
using System.Linq;

namespace DeepUnlearn.TopicModels;

/// <summary>
/// The fine-tuned model as released for the downstream task: on a document's word distribution x̄,
/// logits = Bᵀ x̄ / (x̄ᵀ n) + b, with B = Ã W (V×C) folding the base model's joint matrix Ã and the head's
/// topic weights W together and n = Ã 1 the feature normaliser (<see cref="TopicFeatures"/>; Wei et al.
/// 2025, §5: the released B = A w).
/// </summary>
/// <remarks>
/// Releasing B rather than (Ã, W) is what lets U_head unlearn pre-training documents without touching the
/// base model (<see cref="PretrainingHeadUnlearner"/>): B has V·C entries where Ã has V·K. The normaliser
/// n is p'(w) for a noiseless Ã, the same in the unlearned and the retrained world.
/// </remarks>
public sealed class FineTunedTopicClassifier
{
    /// <summary>Creates a classifier from its word weights (V×C), bias (C), normaliser (V) and class names.</summary>
    public FineTunedTopicClassifier(double[,] wordWeights, double[] bias, double[] normalizer, IReadOnlyList<string> classNames)
    {
        ArgumentNullException.ThrowIfNull(wordWeights);
        ArgumentNullException.ThrowIfNull(bias);
        ArgumentNullException.ThrowIfNull(normalizer);
        ArgumentNullException.ThrowIfNull(classNames);
        if (wordWeights.GetLength(1) != bias.Length || bias.Length != classNames.Count || normalizer.Length != wordWeights.GetLength(0))
        {
            throw new ArgumentException($"word weights are {wordWeights.GetLength(0)}×{wordWeights.GetLength(1)}, the bias has {bias.Length} entries, the normaliser {normalizer.Length} and there are {classNames.Count} classes; they must agree");
        }
        WordWeights = wordWeights;
        Bias = bias;
        Normalizer = normalizer;
        ClassNames = classNames.ToArray();
    }

    /// <summary>B (V×C).</summary>
    public double[,] WordWeights { get; }

    /// <summary>n (V): the feature normaliser, Ã 1.</summary>
    public double[] Normalizer { get; }

    /// <summary>b (C).</summary>
    public double[] Bias { get; }

    /// <summary>The class names.</summary>
    public IReadOnlyList<string> ClassNames { get; }

    /// <summary>B = Ã W, b and n = Ã 1 from a head trained on <see cref="TopicFeatures"/> of <paramref name="joint"/>.</summary>
    public static FineTunedTopicClassifier Compose(double[,] joint, TopicClassifierHead head)
    {
        ArgumentNullException.ThrowIfNull(joint);
        ArgumentNullException.ThrowIfNull(head);
        int v = joint.GetLength(0);
        int k = joint.GetLength(1);
        int c = head.ClassCount;
        if (head.TopicCount != k)
        {
            throw new ArgumentException($"the head takes {head.TopicCount} topic features, the base model has {k} topics", nameof(head));
        }
        var b = new double[v, c];
        for (int i = 0; i < v; i++)
        {
            for (int j = 0; j < k; j++)
            {
                double a = joint[i, j];
                if (a == 0)
                {
                    continue;
                }
                for (int l = 0; l < c; l++)
                {
                    b[i, l] += a * head.Weights[j, l];
                }
            }
        }
        double[] bias = Enumerable.Range(0, c).Select(l => head.Weights[k, l]).ToArray();
        return new FineTunedTopicClassifier(b, bias, TopicFeatures.RowSums(joint), head.ClassNames);
    }

    /// <summary>The logits of a document.</summary>
    public double[] Logits(BagOfWordsDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        var z = new double[Bias.Length];
        double total = 0;
        for (int t = 0; t < document.WordIds.Count; t++)
        {
            int w = document.WordIds[t];
            if (w >= WordWeights.GetLength(0))
            {
                throw new ArgumentException($"document {document.Id} uses word id {w}, but the classifier knows {WordWeights.GetLength(0)} words", nameof(document));
            }
            double x = (double)document.Counts[t] / document.Length;
            total += Normalizer[w] * x;
            for (int l = 0; l < z.Length; l++)
            {
                z[l] += WordWeights[w, l] * x;
            }
        }
        for (int l = 0; l < z.Length; l++)
        {
            z[l] = (total > 0 ? z[l] / total : 0) + Bias[l];
        }
        return z;
    }

    /// <summary>The most probable class index of a document.</summary>
    public int Predict(BagOfWordsDocument document)
    {
        double[] z = Logits(document);
        int best = 0;
        for (int l = 1; l < z.Length; l++)
        {
            if (z[l] > z[best])
            {
                best = l;
            }
        }
        return best;
    }

    /// <summary>Fraction of documents whose predicted class equals the label.</summary>
    public double Accuracy(IReadOnlyList<BagOfWordsDocument> documents, IReadOnlyList<int> labels)
    {
        ArgumentNullException.ThrowIfNull(documents);
        ArgumentNullException.ThrowIfNull(labels);
        int correct = 0;
        for (int d = 0; d < documents.Count; d++)
        {
            correct += Predict(documents[d]) == labels[d] ? 1 : 0;
        }
        return documents.Count == 0 ? 0 : (double)correct / documents.Count;
    }

    /// <summary>‖(B, b)‖_F.</summary>
    public double Norm() => Math.Sqrt(DenseMatrix.FrobeniusNorm(WordWeights) * DenseMatrix.FrobeniusNorm(WordWeights) + Bias.Sum(x => x * x));

    /// <summary>‖(B, b) − (B', b')‖_F.</summary>
    public double DistanceTo(FineTunedTopicClassifier other)
    {
        ArgumentNullException.ThrowIfNull(other);
        double d = DenseMatrix.FrobeniusDistance(WordWeights, other.WordWeights);
        return Math.Sqrt((d * d) + Bias.Zip(other.Bias, (x, y) => (x - y) * (x - y)).Sum());
    }
}
