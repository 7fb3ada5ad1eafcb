using System;
using System.Collections.Generic;
using System.Linq;

namespace DeepUnlearn.TopicModels;

/// <summary>
/// The words a topic model knows, in ordinal (alphabetical) order, with the number of training
/// documents each occurs in. Word ids are indices into <see cref="Words"/>.
/// </summary>
public sealed class Vocabulary
{
    private readonly Dictionary<string, int> _ids;

    /// <summary>Creates a vocabulary from distinct words and their document frequencies.</summary>
    public Vocabulary(IReadOnlyList<string> words, IReadOnlyList<int> documentFrequencies)
    {
        ArgumentNullException.ThrowIfNull(words);
        ArgumentNullException.ThrowIfNull(documentFrequencies);
        if (words.Count != documentFrequencies.Count)
        {
            throw new ArgumentException($"got {documentFrequencies.Count} document frequencies for {words.Count} words", nameof(documentFrequencies));
        }
        _ids = new Dictionary<string, int>(words.Count, StringComparer.Ordinal);
        for (int i = 0; i < words.Count; i++)
        {
            if (!_ids.TryAdd(words[i], i))
            {
                throw new ArgumentException($"word '{words[i]}' appears twice in the vocabulary", nameof(words));
            }
        }
        Words = words.ToArray();
        DocumentFrequencies = documentFrequencies.ToArray();
    }

    /// <summary>The words; the index is the word id.</summary>
    public IReadOnlyList<string> Words { get; }

    /// <summary>The number of training documents each word occurs in.</summary>
    public IReadOnlyList<int> DocumentFrequencies { get; }

    /// <summary>The number of words.</summary>
    public int Count => Words.Count;

    /// <summary>The id of <paramref name="word"/>, or -1 if it is not in the vocabulary.</summary>
    public int IdOf(string word) => _ids.TryGetValue(word, out int id) ? id : -1;

    /// <summary>
    /// Builds a vocabulary from tokenized documents: the words occurring in at least
    /// <paramref name="minDocumentCount"/> documents; if <paramref name="maxSize"/> is given, only the most
    /// frequent of those (by document count, ties by word). The result is in ordinal word order.
    /// </summary>
    /// <exception cref="InvalidOperationException">No word is frequent enough.</exception>
    public static Vocabulary Build(IEnumerable<IReadOnlyList<string>> documents, int minDocumentCount = 1, int? maxSize = null)
    {
        ArgumentNullException.ThrowIfNull(documents);
        ArgumentOutOfRangeException.ThrowIfLessThan(minDocumentCount, 1);
        if (maxSize is int max)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(max, 1, nameof(maxSize));
        }
        var frequency = new Dictionary<string, int>(StringComparer.Ordinal);
        int documentCount = 0;
        foreach (IReadOnlyList<string> tokens in documents)
        {
            documentCount++;
            foreach (string token in new HashSet<string>(tokens, StringComparer.Ordinal))
            {
                frequency[token] = frequency.GetValueOrDefault(token) + 1;
            }
        }
        IEnumerable<KeyValuePair<string, int>> kept = frequency.Where(kv => kv.Value >= minDocumentCount);
        if (maxSize is int limit)
        {
            kept = kept.OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key, StringComparer.Ordinal).Take(limit);
        }
        KeyValuePair<string, int>[] words = kept.OrderBy(kv => kv.Key, StringComparer.Ordinal).ToArray();
        if (words.Length == 0)
        {
            throw new InvalidOperationException(
                $"no usable words: none of the {frequency.Count} distinct tokens (after lower-casing, dropping tokens shorter than 2 characters and stop words) "
                + $"occurs in at least {minDocumentCount} of the {documentCount} documents; lower the minimum document count or give a larger corpus");
        }
        return new Vocabulary(words.Select(kv => kv.Key).ToArray(), words.Select(kv => kv.Value).ToArray());
    }
}
