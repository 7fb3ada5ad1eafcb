using System;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.InteropServices;
using TorchSharp;
using static TorchSharp.torch;

namespace DeepUnlearn.TopicModels;

/// <summary>
/// The word co-occurrence statistics of anchor-word topic learning, kept as a sum over documents so
/// that documents can be added and removed exactly.
/// </summary>
/// <remarks>
/// For a document with count vector <c>w</c> and length <c>n ≥ 2</c> the unbiased per-document estimator
/// of the word-word co-occurrence matrix is (Arora et al. 2013, "A Practical Algorithm for Topic
/// Modeling with Provable Guarantees", the estimator of Q behind Algorithm 1):
/// <code>
///   Q_d = (w wᵀ − diag(w)) / (n (n − 1)),      Q = (1/m) Σ_d Q_d
/// </code>
/// over the <c>m</c> documents of length at least 2 (shorter documents carry no pair and are skipped).
/// Every <c>Q_d</c> is entrywise non-negative with entries summing to 1, and row <c>i</c> of <c>Q_d</c>
/// sums to <c>w_i / n</c>. This class stores <c>Σ_d Q_d</c> (a V×V float64 tensor) and <c>m</c>;
/// <see cref="Remove"/> subtracts the removed documents' terms, so deleting documents costs
/// O(Σ_f u_f²) for their <c>u_f</c> distinct words, independent of the corpus size (Wei et al. 2025,
/// "Provable unlearning in topic modeling and downstream tasks", Algorithm 1, first step).
/// </remarks>
public sealed class CooccurrenceStatistics : IDisposable
{
    private const int PairsPerChunk = 1 << 20;
    private const long DenseBlockElements = 1 << 24;

    private readonly Tensor _sum;
    private readonly int[]? _wordDocumentCounts;

    private CooccurrenceStatistics(Tensor sum, int vocabularySize, int documentCount, int[]? wordDocumentCounts)
    {
        _sum = sum;
        VocabularySize = vocabularySize;
        DocumentCount = documentCount;
        _wordDocumentCounts = wordDocumentCounts;
    }

    /// <summary>The vocabulary size V.</summary>
    public int VocabularySize { get; }

    /// <summary>The number m of documents (of length at least 2) in the sum.</summary>
    public int DocumentCount { get; private set; }

    /// <summary>
    /// For each word, the number of documents in the sum that contain it (what FastAnchorWords' candidate
    /// threshold counts), or null when restored from a sum without them.
    /// </summary>
    public IReadOnlyList<int>? WordDocumentCounts => _wordDocumentCounts;

    /// <summary>The device of the sum tensor.</summary>
    public Device Device => _sum.device;

    /// <summary>The sum Σ_d Q_d (V×V float64), borrowed: do not dispose or modify it.</summary>
    public Tensor Sum => _sum;

    /// <summary>Creates empty statistics (all zeros, no documents) on <paramref name="device"/>.</summary>
    public static CooccurrenceStatistics Empty(int vocabularySize, Device? device = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(vocabularySize, 1);
        Tensor sum = torch.zeros([vocabularySize, vocabularySize], ScalarType.Float64, device ?? torch.CPU);
        sum.DetachFromDisposeScope();
        return new CooccurrenceStatistics(sum, vocabularySize, 0, new int[vocabularySize]);
    }

    /// <summary>Statistics of <paramref name="documents"/> (documents shorter than 2 tokens are skipped).</summary>
    public static CooccurrenceStatistics Build(IEnumerable<BagOfWordsDocument> documents, int vocabularySize, Device? device = null)
    {
        var statistics = Empty(vocabularySize, device);
        statistics.Add(documents);
        return statistics;
    }

    /// <summary>
    /// Restores statistics from a stored sum (V×V, copied to float64), document count and, optionally, the
    /// per-word document counts.
    /// </summary>
    public static CooccurrenceStatistics FromSum(Tensor sum, int documentCount, IReadOnlyList<int>? wordDocumentCounts = null)
    {
        ArgumentNullException.ThrowIfNull(sum);
        ArgumentOutOfRangeException.ThrowIfNegative(documentCount);
        if (sum.dim() != 2 || sum.size(0) != sum.size(1))
        {
            throw new ArgumentException($"the co-occurrence sum must be a square matrix, got shape [{string.Join(", ", sum.shape)}]", nameof(sum));
        }
        if (wordDocumentCounts is not null && wordDocumentCounts.Count != sum.size(0))
        {
            throw new ArgumentException($"got {wordDocumentCounts.Count} word document counts for a {sum.size(0)}-word vocabulary", nameof(wordDocumentCounts));
        }
        Tensor copy = sum.to(ScalarType.Float64, sum.device, copy: true).contiguous();
        copy.DetachFromDisposeScope();
        return new CooccurrenceStatistics(copy, (int)sum.size(0), documentCount, wordDocumentCounts?.ToArray());
    }

    /// <summary>True if a document of this length contributes a term (length at least 2).</summary>
    public static bool Contributes(BagOfWordsDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        return document.Length >= 2;
    }

    /// <summary>Adds the terms of <paramref name="documents"/>; returns how many contributed.</summary>
    public int Add(IEnumerable<BagOfWordsDocument> documents) => Accumulate(documents, +1);

    /// <summary>
    /// Removes the terms of <paramref name="documents"/> (which must have been added before); returns how
    /// many contributed. This is the downdate of Wei et al. 2025, Algorithm 1.
    /// </summary>
    public int Remove(IEnumerable<BagOfWordsDocument> documents)
    {
        int removed = Accumulate(documents, -1);
        if (DocumentCount < 0)
        {
            throw new InvalidOperationException("removed more documents than the statistics hold");
        }
        return removed;
    }

    /// <summary>Q = (Σ_d Q_d) / m as a new V×V tensor.</summary>
    /// <exception cref="InvalidOperationException">No document contributes.</exception>
    public Tensor Cooccurrence()
    {
        if (DocumentCount == 0)
        {
            throw new InvalidOperationException("the co-occurrence statistics hold no document of length at least 2");
        }
        return _sum / DocumentCount;
    }

    /// <summary>The per-document term Q_d as a new dense V×V float64 tensor (for checks and tests).</summary>
    public static Tensor DocumentTerm(BagOfWordsDocument document, int vocabularySize, Device? device = null)
    {
        ArgumentNullException.ThrowIfNull(document);
        double[] dense = new double[(long)vocabularySize * vocabularySize];
        if (Contributes(document))
        {
            double norm = (double)document.Length * (document.Length - 1);
            for (int a = 0; a < document.WordIds.Count; a++)
            {
                int i = document.WordIds[a];
                double wi = document.Counts[a];
                for (int b = 0; b < document.WordIds.Count; b++)
                {
                    int j = document.WordIds[b];
                    double wj = document.Counts[b];
                    dense[((long)i * vocabularySize) + j] = ((wi * wj) - (i == j ? wi : 0)) / norm;
                }
            }
        }
        return torch.tensor(dense, [vocabularySize, vocabularySize], ScalarType.Float64, device);
    }

    /// <summary>A deep copy.</summary>
    public CooccurrenceStatistics Clone()
    {
        Tensor copy = _sum.clone();
        copy.DetachFromDisposeScope();
        return new CooccurrenceStatistics(copy, VocabularySize, DocumentCount, _wordDocumentCounts?.ToArray());
    }

    /// <summary>Releases the sum tensor.</summary>
    public void Dispose() => _sum.Dispose();

    private int Accumulate(IEnumerable<BagOfWordsDocument> documents, int sign)
    {
        ArgumentNullException.ThrowIfNull(documents);
        var contributing = new List<BagOfWordsDocument>();
        long pairs = 0;
        foreach (BagOfWordsDocument document in documents)
        {
            ArgumentNullException.ThrowIfNull(document, nameof(documents));
            if (!Contributes(document))
            {
                continue;
            }
            if (document.WordIds[^1] >= VocabularySize)
            {
                throw new ArgumentException($"document {document.Id} uses word id {document.WordIds[^1]}, but the vocabulary has {VocabularySize} words", nameof(documents));
            }
            contributing.Add(document);
            pairs += (long)document.WordIds.Count * document.WordIds.Count;
        }
        // Few pairs (a deletion): scatter them, O(Σ u_d²). Many pairs (building): accumulate dense row
        // blocks on the host and add each block once, which is far faster than scattering millions.
        if (pairs * 8 < (long)VocabularySize * VocabularySize)
        {
            AccumulateSparse(contributing, sign);
        }
        else
        {
            AccumulateDense(contributing, sign);
        }
        DocumentCount += sign * contributing.Count;
        if (_wordDocumentCounts is not null)
        {
            foreach (BagOfWordsDocument document in contributing)
            {
                foreach (int w in document.WordIdArray)
                {
                    _wordDocumentCounts[w] += sign;
                }
            }
        }
        return contributing.Count;
    }

    private void AccumulateSparse(List<BagOfWordsDocument> documents, int sign)
    {
        long v = VocabularySize;
        var index = new List<long>();
        var values = new List<double>();
        using var scope = torch.NewDisposeScope();
        Tensor flat = _sum.view(v * v);
        foreach (BagOfWordsDocument document in documents)
        {
            double norm = sign / ((double)document.Length * (document.Length - 1));
            for (int a = 0; a < document.WordIds.Count; a++)
            {
                long i = document.WordIds[a];
                double wi = document.Counts[a];
                for (int b = 0; b < document.WordIds.Count; b++)
                {
                    long j = document.WordIds[b];
                    double value = ((wi * document.Counts[b]) - (i == j ? wi : 0)) * norm;
                    if (value != 0)
                    {
                        index.Add((i * v) + j);
                        values.Add(value);
                    }
                }
            }
            if (index.Count >= PairsPerChunk)
            {
                Flush(flat, index, values);
            }
        }
        Flush(flat, index, values);
    }

    private void AccumulateDense(List<BagOfWordsDocument> documents, int sign)
    {
        int v = VocabularySize;
        int blockRows = (int)Math.Max(1, Math.Min(v, DenseBlockElements / v));
        // The block is accumulated in a host tensor's own memory, then added to the sum once (on its device).
        using Tensor host = torch.empty([blockRows, v], ScalarType.Float64, torch.CPU);
        for (int r0 = 0; r0 < v; r0 += blockRows)
        {
            int rows = Math.Min(blockRows, v - r0);
            Span<double> block = MemoryMarshal.Cast<byte, double>(host.bytes);
            block.Clear();
            foreach (BagOfWordsDocument document in documents)
            {
                double norm = sign / ((double)document.Length * (document.Length - 1));
                int[] ids = document.WordIdArray;
                int[] counts = document.CountArray;
                for (int a = 0; a < ids.Length; a++)
                {
                    int i = ids[a];
                    if (i < r0 || i >= r0 + rows)
                    {
                        continue;
                    }
                    double wi = counts[a] * norm;
                    int rowStart = (i - r0) * v;
                    for (int b = 0; b < ids.Length; b++)
                    {
                        block[rowStart + ids[b]] += wi * counts[b];
                    }
                    block[rowStart + i] -= wi;
                }
            }
            using var scope = torch.NewDisposeScope();
            _sum.narrow(0, r0, rows).add_(host.narrow(0, 0, rows).to(_sum.device));
        }
    }

    private static void Flush(Tensor flat, List<long> index, List<double> values)
    {
        if (index.Count == 0)
        {
            return;
        }
        using var scope = torch.NewDisposeScope();
        Tensor ids = torch.tensor(index.ToArray(), ScalarType.Int64, flat.device);
        Tensor vals = torch.tensor(values.ToArray(), ScalarType.Float64, flat.device);
        flat.index_put_(vals, [ids], accumulate: true);
        index.Clear();
        values.Clear();
    }
}
