using System;
using System.Collections.Generic;
using System.Linq;

namespace DeepUnlearn.TopicModels;

/// <summary>Topic-quality measures of a model on a corpus (see <see cref="Evaluate"/>).</summary>
/// <param name="DocumentCount">Documents with at least one vocabulary word.</param>
/// <param name="TokenCount">Their vocabulary tokens.</param>
/// <param name="LogLikelihoodPerToken">Mean over tokens of log Σ_k A_wk θ_k (θ fitted per document; probabilities floored at 1e-12).</param>
/// <param name="Perplexity">exp(−<paramref name="LogLikelihoodPerToken"/>).</param>
/// <param name="MeanL1Reconstruction">Mean over documents of ‖x − A θ‖₁, x the document's word distribution.</param>
/// <param name="TopWords">The ten most probable words of each topic.</param>
public sealed record TopicModelEvaluation(int DocumentCount, long TokenCount, double LogLikelihoodPerToken, double Perplexity, double MeanL1Reconstruction, string[][] TopWords)
{
    /// <summary>
    /// Evaluates <paramref name="model"/> on <paramref name="documents"/> (counted over the model's
    /// vocabulary): θ of each document by least squares on the simplex, then the per-token
    /// log-likelihood of the document under A θ and the L1 reconstruction error of its word distribution.
    /// </summary>
    public static TopicModelEvaluation Evaluate(AnchorTopicModel model, IReadOnlyList<BagOfWordsDocument> documents)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(documents);
        BagOfWordsDocument[] nonEmpty = documents.Where(d => d.Length > 0).ToArray();
        if (nonEmpty.Length == 0)
        {
            throw new InvalidOperationException("no document has a word of the model's vocabulary; nothing to evaluate");
        }
        double[][] theta = model.InferTopics(nonEmpty);
        int k = model.TopicCount;
        double logLikelihood = 0;
        long tokens = 0;
        double reconstruction = 0;
        for (int d = 0; d < nonEmpty.Length; d++)
        {
            BagOfWordsDocument doc = nonEmpty[d];
            var mixture = new double[model.VocabularySize];
            for (int i = 0; i < model.VocabularySize; i++)
            {
                for (int t = 0; t < k; t++)
                {
                    mixture[i] += model.TopicWord[i, t] * theta[d][t];
                }
            }
            double l1 = mixture.Sum(Math.Abs);
            for (int a = 0; a < doc.WordIds.Count; a++)
            {
                int w = doc.WordIds[a];
                double x = (double)doc.Counts[a] / doc.Length;
                l1 += Math.Abs(x - mixture[w]) - Math.Abs(mixture[w]);
                logLikelihood += doc.Counts[a] * Math.Log(Math.Max(mixture[w], 1e-12));
            }
            tokens += doc.Length;
            reconstruction += l1;
        }
        double perToken = logLikelihood / tokens;
        return new TopicModelEvaluation(nonEmpty.Length, tokens, perToken, Math.Exp(-perToken), reconstruction / nonEmpty.Length, model.TopWords(10));
    }
}
