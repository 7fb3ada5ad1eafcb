using System;
using System.Collections.Frozen;
using System.Collections.Generic;

namespace DeepUnlearn.TopicModels;

/// <summary>
/// The English stop-word list embedded in DeepUnlearn: function words (articles, pronouns, auxiliaries,
/// prepositions, conjunctions, common adverbs) that carry no topic. Lower-case; looked up after the
/// tokenizer has lower-cased a token.
/// </summary>
public static class EnglishStopWords
{
    private static readonly string[] s_words =
    [
        "a", "about", "above", "across", "after", "afterwards", "again", "against", "all", "almost", "alone",
        "along", "already", "also", "although", "always", "am", "among", "amongst", "an", "and", "another",
        "any", "anyhow", "anyone", "anything", "anyway", "anywhere", "are", "around", "as", "at", "be",
        "became", "because", "become", "becomes", "becoming", "been", "before", "beforehand", "behind",
        "being", "below", "beside", "besides", "between", "beyond", "both", "but", "by", "can", "cannot",
        "could", "did", "do", "does", "doing", "done", "down", "during", "each", "either", "else",
        "elsewhere", "enough", "etc", "even", "ever", "every", "everyone", "everything", "everywhere",
        "except", "few", "for", "from", "further", "had", "has", "have", "having", "he", "hence", "her",
        "here", "hereafter", "hereby", "herein", "hers", "herself", "him", "himself", "his", "how",
        "however", "i", "ie", "if", "in", "indeed", "into", "is", "it", "its", "itself", "just", "last",
        "least", "less", "many", "may", "me", "meanwhile", "might", "mine", "more", "moreover", "most",
        "mostly", "much", "must", "my", "myself", "namely", "neither", "never", "nevertheless", "next", "no",
        "nobody", "none", "nor", "not", "nothing", "now", "nowhere", "of", "off", "often", "on", "once",
        "one", "only", "onto", "or", "other", "others", "otherwise", "our", "ours", "ourselves", "out",
        "over", "own", "per", "perhaps", "please", "rather", "really", "same", "seem", "seemed", "seeming",
        "seems", "several", "she", "should", "since", "so", "some", "somehow", "someone", "something",
        "sometime", "sometimes", "somewhere", "still", "such", "than", "that", "the", "their", "theirs",
        "them", "themselves", "then", "thence", "there", "thereafter", "thereby", "therefore", "therein",
        "thereupon", "these", "they", "this", "those", "though", "through", "throughout", "thru", "thus",
        "to", "together", "too", "toward", "towards", "under", "until", "up", "upon", "us", "very", "via",
        "was", "we", "well", "were", "what", "whatever", "when", "whence", "whenever", "where", "whereafter",
        "whereas", "whereby", "wherein", "whereupon", "wherever", "whether", "which", "while", "whither",
        "who", "whoever", "whole", "whom", "whose", "why", "will", "with", "within", "without", "would",
        "yet", "you", "your", "yours", "yourself", "yourselves", "don", "doesn", "didn", "isn", "aren",
        "wasn", "weren", "hasn", "haven", "hadn", "won", "wouldn", "shouldn", "couldn", "ll", "re", "ve",
    ];

    /// <summary>The stop words, lower-case.</summary>
    public static IReadOnlySet<string> Words { get; } = s_words.ToFrozenSet(StringComparer.Ordinal);

    /// <summary>True if <paramref name="token"/> (already lower-case) is a stop word.</summary>
    public static bool Contains(string token) => Words.Contains(token);
}
