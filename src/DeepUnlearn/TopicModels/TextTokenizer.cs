using System;
using System.Collections.Generic;
using System.Text;

namespace DeepUnlearn.TopicModels;

/// <summary>
/// Splits text into word tokens: lower-cases it, splits on every character that is not a letter or a
/// digit, drops tokens shorter than <see cref="MinTokenLength"/> and, unless disabled, English stop
/// words (<see cref="EnglishStopWords"/>).
/// </summary>
public sealed class TextTokenizer
{
    /// <summary>A tokenizer with the defaults: minimum length 2, English stop words removed.</summary>
    public static TextTokenizer Default { get; } = new();

    /// <summary>Creates a tokenizer.</summary>
    /// <param name="minTokenLength">Tokens with fewer characters are dropped; at least 1.</param>
    /// <param name="removeStopWords">Drop the words of <see cref="EnglishStopWords"/>.</param>
    public TextTokenizer(int minTokenLength = 2, bool removeStopWords = true)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(minTokenLength, 1);
        MinTokenLength = minTokenLength;
        RemoveStopWords = removeStopWords;
    }

    /// <summary>Tokens shorter than this are dropped.</summary>
    public int MinTokenLength { get; }

    /// <summary>Whether English stop words are dropped.</summary>
    public bool RemoveStopWords { get; }

    /// <summary>The tokens of <paramref name="text"/>, in order.</summary>
    public List<string> Tokenize(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var tokens = new List<string>();
        var current = new StringBuilder();
        foreach (char c in text)
        {
            if (char.IsLetterOrDigit(c))
            {
                current.Append(char.ToLowerInvariant(c));
            }
            else
            {
                Flush(current, tokens);
            }
        }
        Flush(current, tokens);
        return tokens;
    }

    private void Flush(StringBuilder current, List<string> tokens)
    {
        if (current.Length == 0)
        {
            return;
        }
        string token = current.ToString();
        current.Clear();
        if (token.Length >= MinTokenLength && !(RemoveStopWords && EnglishStopWords.Contains(token)))
        {
            tokens.Add(token);
        }
    }
}
