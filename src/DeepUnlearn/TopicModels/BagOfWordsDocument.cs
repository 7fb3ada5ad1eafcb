using System;
using System.Collections.Generic;
using System.Linq;

namespace DeepUnlearn.TopicModels;

/// <summary>
/// One document as word counts: distinct word ids in ascending order and how often each occurs.
/// <see cref="Id"/> is the document's stable id in its corpus (line number or sorted file index).
/// </summary>
public sealed class BagOfWordsDocument
{
    /// <summary>Creates a document from distinct ascending word ids and positive counts.</summary>
    public BagOfWordsDocument(int id, int[] wordIds, int[] counts)
    {
        ArgumentNullException.ThrowIfNull(wordIds);
        ArgumentNullException.ThrowIfNull(counts);
        ArgumentOutOfRangeException.ThrowIfNegative(id);
        if (wordIds.Length != counts.Length)
        {
            throw new ArgumentException($"got {counts.Length} counts for {wordIds.Length} word ids", nameof(counts));
        }
        int length = 0;
        for (int i = 0; i < wordIds.Length; i++)
        {
            if (counts[i] <= 0)
            {
                throw new ArgumentException($"count of word {wordIds[i]} is {counts[i]}; counts must be positive", nameof(counts));
            }
            if (i > 0 && wordIds[i] <= wordIds[i - 1])
            {
                throw new ArgumentException("word ids must be distinct and ascending", nameof(wordIds));
            }
            length += counts[i];
        }
        Id = id;
        WordIdArray = wordIds;
        CountArray = counts;
        Length = length;
    }

    /// <summary>The document id.</summary>
    public int Id { get; }

    /// <summary>Distinct word ids, ascending.</summary>
    public IReadOnlyList<int> WordIds => WordIdArray;

    /// <summary>The count of each word in <see cref="WordIds"/>.</summary>
    public IReadOnlyList<int> Counts => CountArray;

    /// <summary>The word ids as the array itself, for hot loops; do not modify.</summary>
    internal int[] WordIdArray { get; }

    /// <summary>The counts as the array itself, for hot loops; do not modify.</summary>
    internal int[] CountArray { get; }

    /// <summary>The number of tokens (sum of counts).</summary>
    public int Length { get; }

    /// <summary>Counts the given word ids (any order, repeats allowed) into a document.</summary>
    public static BagOfWordsDocument FromWordIds(int id, IEnumerable<int> wordIds)
    {
        ArgumentNullException.ThrowIfNull(wordIds);
        var counts = new SortedDictionary<int, int>();
        foreach (int w in wordIds)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(w, nameof(wordIds));
            counts[w] = counts.GetValueOrDefault(w) + 1;
        }
        return new BagOfWordsDocument(id, counts.Keys.ToArray(), counts.Values.ToArray());
    }
}
