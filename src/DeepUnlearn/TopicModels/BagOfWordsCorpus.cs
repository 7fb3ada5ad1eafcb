using System;
using System.Collections.Generic;
using System.Linq;

namespace DeepUnlearn.TopicModels;

/// <summary>
/// A corpus as bag-of-words documents over one vocabulary. Document <c>i</c> has id <c>i</c>; documents
/// left without vocabulary words are kept (empty), so ids stay stable.
/// </summary>
public sealed class BagOfWordsCorpus
{
    /// <summary>Creates a corpus; document <c>i</c> must have id <c>i</c> and only word ids below the vocabulary size.</summary>
    public BagOfWordsCorpus(Vocabulary vocabulary, IReadOnlyList<BagOfWordsDocument> documents)
    {
        ArgumentNullException.ThrowIfNull(vocabulary);
        ArgumentNullException.ThrowIfNull(documents);
        for (int i = 0; i < documents.Count; i++)
        {
            BagOfWordsDocument d = documents[i];
            if (d.Id != i)
            {
                throw new ArgumentException($"document at position {i} has id {d.Id}; ids must equal positions", nameof(documents));
            }
            if (d.WordIds.Count > 0 && d.WordIds[^1] >= vocabulary.Count)
            {
                throw new ArgumentException($"document {i} uses word id {d.WordIds[^1]}, but the vocabulary has {vocabulary.Count} words", nameof(documents));
            }
        }
        Vocabulary = vocabulary;
        Documents = documents;
    }

    /// <summary>The vocabulary.</summary>
    public Vocabulary Vocabulary { get; }

    /// <summary>The documents; the index is the id.</summary>
    public IReadOnlyList<BagOfWordsDocument> Documents { get; }

    /// <summary>The number of documents.</summary>
    public int Count => Documents.Count;

    /// <summary>
    /// Tokenizes <paramref name="corpus"/>, builds the vocabulary (words in at least
    /// <paramref name="minDocumentCount"/> documents, at most <paramref name="maxVocabularySize"/>) and
    /// counts each document over it.
    /// </summary>
    /// <exception cref="InvalidOperationException">No word survives the filters.</exception>
    public static BagOfWordsCorpus FromText(TextCorpus corpus, TextTokenizer? tokenizer = null, int minDocumentCount = 1, int? maxVocabularySize = null)
    {
        ArgumentNullException.ThrowIfNull(corpus);
        tokenizer ??= TextTokenizer.Default;
        List<string>[] tokens = corpus.Documents.Select(tokenizer.Tokenize).ToArray();
        Vocabulary vocabulary = Vocabulary.Build(tokens, minDocumentCount, maxVocabularySize);
        var documents = new BagOfWordsDocument[tokens.Length];
        for (int i = 0; i < tokens.Length; i++)
        {
            documents[i] = Encode(i, tokens[i], vocabulary);
        }
        return new BagOfWordsCorpus(vocabulary, documents);
    }

    /// <summary>Tokenizes <paramref name="corpus"/> and counts it over an existing vocabulary (unknown words are dropped).</summary>
    public static BagOfWordsCorpus FromText(TextCorpus corpus, Vocabulary vocabulary, TextTokenizer? tokenizer = null)
    {
        ArgumentNullException.ThrowIfNull(corpus);
        ArgumentNullException.ThrowIfNull(vocabulary);
        tokenizer ??= TextTokenizer.Default;
        var documents = new BagOfWordsDocument[corpus.Count];
        for (int i = 0; i < corpus.Count; i++)
        {
            documents[i] = Encode(i, tokenizer.Tokenize(corpus.Documents[i]), vocabulary);
        }
        return new BagOfWordsCorpus(vocabulary, documents);
    }

    /// <summary>The total number of tokens over all documents.</summary>
    public long TokenCount => Documents.Sum(d => (long)d.Length);

    private static BagOfWordsDocument Encode(int id, IEnumerable<string> tokens, Vocabulary vocabulary) =>
        BagOfWordsDocument.FromWordIds(id, tokens.Select(vocabulary.IdOf).Where(w => w >= 0));
}
