using System;
using System.Collections.Generic;
using System.Linq;
using TorchSharp;
using static TorchSharp.torch;

namespace DeepUnlearn.TopicModels;

/// <summary>
/// A topic model learned by the anchor-word algorithm of Arora et al. 2013 (Algorithm 1: co-occurrence
/// estimation, FastAnchorWords, RecoverL2), together with the statistics needed to unlearn documents
/// (Wei et al. 2025): the co-occurrence sum Σ_d Q_d and the ids of the documents it holds.
/// </summary>
/// <remarks>
/// The released model is <see cref="TopicWord"/> (A, V×K, columns are the topics' word distributions),
/// with <see cref="Anchors"/> and the vocabulary. <see cref="WordTopic"/> (C = p(z|w)) and
/// <see cref="Statistics"/> are the learner's private state T(S) in the sense of Sekhari et al. 2021:
/// they describe the training documents and must not be published with the model. The model owns the
/// statistics tensor; dispose the model to release it.
/// </remarks>
public sealed class AnchorTopicModel : IDisposable
{
    internal AnchorTopicModel(
        Vocabulary vocabulary,
        AnchorTopicModelOptions options,
        IReadOnlyList<int> anchors,
        RecoveredTopics topics,
        CooccurrenceStatistics statistics,
        IReadOnlyList<int> documentIds,
        IReadOnlyList<int> deletedDocumentIds,
        int corpusDocumentCount)
    {
        CorpusDocumentCount = corpusDocumentCount;
        Vocabulary = vocabulary;
        Options = options;
        Anchors = anchors.ToArray();
        WordTopic = topics.WordTopic;
        JointWordTopic = topics.JointWordTopic;
        TopicWord = topics.TopicWord;
        TopicPrior = topics.TopicPrior;
        TopicCooccurrence = topics.TopicCooccurrence;
        Statistics = statistics;
        DocumentIds = documentIds.ToArray();
        DeletedDocumentIds = deletedDocumentIds.ToArray();
    }

    /// <summary>The vocabulary.</summary>
    public Vocabulary Vocabulary { get; }

    /// <summary>The settings the model was learned with.</summary>
    public AnchorTopicModelOptions Options { get; }

    /// <summary>The anchor word id of each topic.</summary>
    public IReadOnlyList<int> Anchors { get; }

    /// <summary>C (V×K): p(topic | word) from RecoverL2; private learner state.</summary>
    public double[,] WordTopic { get; }

    /// <summary>Ã = diag(p(w)) C (V×K): the joint p(word, topic); entries sum to 1.</summary>
    public double[,] JointWordTopic { get; }

    /// <summary>A (V×K): p(word | topic); every column sums to 1.</summary>
    public double[,] TopicWord { get; }

    /// <summary>p(topic) (K): the column sums of Ã.</summary>
    public double[] TopicPrior { get; }

    /// <summary>R = A⁺ Q A⁺ᵀ (K×K): the topic-topic co-occurrence matrix.</summary>
    public double[,] TopicCooccurrence { get; }

    /// <summary>The co-occurrence statistics Σ_d Q_d and m; private learner state.</summary>
    public CooccurrenceStatistics Statistics { get; }

    /// <summary>Ids (ascending) of the training documents the statistics hold (length at least 2).</summary>
    public IReadOnlyList<int> DocumentIds { get; }

    /// <summary>Ids (ascending) of documents unlearned so far.</summary>
    public IReadOnlyList<int> DeletedDocumentIds { get; }

    /// <summary>The number of documents of the training corpus; document ids lie in [0, this).</summary>
    public int CorpusDocumentCount { get; }

    /// <summary>K.</summary>
    public int TopicCount => Anchors.Count;

    /// <summary>V.</summary>
    public int VocabularySize => Vocabulary.Count;

    /// <summary>
    /// Learns a topic model from the documents of <paramref name="corpus"/> (all, or those in
    /// <paramref name="documentIds"/>): Q from the per-document estimator, anchors by FastAnchorWords
    /// among words in at least <see cref="AnchorTopicModelOptions.AnchorMinDocuments"/> training
    /// documents (unless <paramref name="anchors"/> fixes them), then RecoverL2.
    /// </summary>
    /// <exception cref="InvalidOperationException">Too few documents or anchor candidates.</exception>
    public static AnchorTopicModel Train(BagOfWordsCorpus corpus, AnchorTopicModelOptions options, Device? device = null, IEnumerable<int>? documentIds = null, IReadOnlyList<int>? anchors = null)
    {
        ArgumentNullException.ThrowIfNull(corpus);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        IReadOnlyList<BagOfWordsDocument> documents = documentIds is null
            ? corpus.Documents
            : documentIds.Distinct().Order().Select(id => id >= 0 && id < corpus.Count
                ? corpus.Documents[id]
                : throw new ArgumentOutOfRangeException(nameof(documentIds), id, $"document ids must be in [0, {corpus.Count - 1}]")).ToArray();
        BagOfWordsDocument[] contributing = documents.Where(CooccurrenceStatistics.Contributes).ToArray();
        if (contributing.Length < 2)
        {
            throw new InvalidOperationException($"{contributing.Length} document(s) have at least 2 vocabulary words; anchor-word learning needs at least 2");
        }
        CooccurrenceStatistics statistics = CooccurrenceStatistics.Build(contributing, corpus.Vocabulary.Count, device);
        try
        {
            int[] chosen = anchors?.ToArray() ?? SelectAnchors(statistics, options);
            ValidateAnchors(chosen, corpus.Vocabulary.Count, options.TopicCount);
            RecoveredTopics topics = TopicRecovery.Recover(statistics, chosen, options);
            return new AnchorTopicModel(corpus.Vocabulary, options, chosen, topics, statistics, contributing.Select(d => d.Id).ToArray(), [], corpus.Count);
        }
        catch
        {
            statistics.Dispose();
            throw;
        }
    }

    /// <summary>
    /// The topic proportions θ of a document: argmin over the simplex of ‖x − A θ‖² with x the document's
    /// empirical word distribution (least squares on the simplex of A's columns). An empty document gets
    /// the uniform θ.
    /// </summary>
    public double[] InferTopics(BagOfWordsDocument document) => InferTopics([document])[0];

    /// <summary>Topic proportions of several documents (one row each).</summary>
    public double[][] InferTopics(IReadOnlyList<BagOfWordsDocument> documents)
    {
        ArgumentNullException.ThrowIfNull(documents);
        int k = TopicCount;
        int v = VocabularySize;
        var gram = new double[k, k];
        for (int i = 0; i < v; i++)
        {
            for (int a = 0; a < k; a++)
            {
                for (int b = 0; b < k; b++)
                {
                    gram[a, b] += TopicWord[i, a] * TopicWord[i, b];
                }
            }
        }
        (_, double lambdaMax) = DenseMatrix.EigenvalueRange(gram);
        var cross = new double[documents.Count, k];
        for (int d = 0; d < documents.Count; d++)
        {
            BagOfWordsDocument doc = documents[d];
            for (int t = 0; t < doc.WordIds.Count; t++)
            {
                int w = doc.WordIds[t];
                if (w >= v)
                {
                    throw new ArgumentException($"document {doc.Id} uses word id {w}, but the vocabulary has {v} words", nameof(documents));
                }
                double x = (double)doc.Counts[t] / doc.Length;
                for (int a = 0; a < k; a++)
                {
                    cross[d, a] += TopicWord[w, a] * x;
                }
            }
        }
        double[,] theta = SimplexLeastSquares.SolveRows(gram, cross, lambdaMax, Options.SolverTolerance * 100, Options.SolverMaxIterations);
        var rows = new double[documents.Count][];
        for (int d = 0; d < documents.Count; d++)
        {
            rows[d] = new double[k];
            for (int a = 0; a < k; a++)
            {
                rows[d][a] = documents[d].Length == 0 ? 1.0 / k : theta[d, a];
            }
        }
        return rows;
    }

    /// <summary>The <paramref name="count"/> most probable words of each topic under A.</summary>
    public string[][] TopWords(int count = 10)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        var result = new string[TopicCount][];
        for (int k = 0; k < TopicCount; k++)
        {
            int topic = k;
            result[k] = Enumerable.Range(0, VocabularySize)
                .OrderByDescending(i => TopicWord[i, topic]).ThenBy(i => i)
                .Take(count).Select(i => Vocabulary.Words[i]).ToArray();
        }
        return result;
    }

    /// <summary>Releases the statistics tensor.</summary>
    public void Dispose() => Statistics.Dispose();

    /// <summary>
    /// FastAnchorWords on the statistics' Q̄ among the words in at least
    /// <see cref="AnchorTopicModelOptions.AnchorMinDocuments"/> of their documents.
    /// </summary>
    /// <exception cref="InvalidOperationException">Too few candidates, or the statistics lack word document counts.</exception>
    internal static int[] SelectAnchors(CooccurrenceStatistics statistics, AnchorTopicModelOptions options)
    {
        IReadOnlyList<int> frequency = statistics.WordDocumentCounts
            ?? throw new InvalidOperationException("the co-occurrence statistics carry no word document counts, so anchor candidates cannot be chosen");
        int[] candidates = Enumerable.Range(0, statistics.VocabularySize).Where(w => frequency[w] >= options.AnchorMinDocuments).ToArray();
        if (candidates.Length < options.TopicCount)
        {
            throw new InvalidOperationException(
                $"only {candidates.Length} words occur in at least {options.AnchorMinDocuments} training documents, but {options.TopicCount} topics need {options.TopicCount} anchor candidates; "
                + "lower the anchor document threshold or the number of topics");
        }
        using var scope = torch.NewDisposeScope();
        Tensor q = statistics.Cooccurrence();
        Tensor qbar = TopicRecovery.RowNormalize(q, q.sum(1));
        return FastAnchorWords.Select(qbar, options.TopicCount, candidates, options.ProjectionDimension, options.Seed, options.AnchorCleanup);
    }

    private static void ValidateAnchors(int[] anchors, int vocabularySize, int topicCount)
    {
        if (anchors.Length != topicCount)
        {
            throw new ArgumentException($"got {anchors.Length} anchors for {topicCount} topics; give one anchor word per topic");
        }
        if (anchors.Distinct().Count() != anchors.Length || anchors.Any(a => a < 0 || a >= vocabularySize))
        {
            throw new ArgumentException($"anchors must be distinct word ids in [0, {vocabularySize - 1}]");
        }
    }
}
