using System;

namespace DeepUnlearn.TopicModels;

/// <summary>Settings of <see cref="SyntheticLdaCorpus"/>: an LDA corpus with separable (anchored) topics.</summary>
public sealed record SyntheticLdaOptions
{
    /// <summary>The number of topics K.</summary>
    public int TopicCount { get; init; } = 5;

    /// <summary>The number of words V.</summary>
    public int VocabularySize { get; init; } = 200;

    /// <summary>The number of documents.</summary>
    public int DocumentCount { get; init; } = 2000;

    /// <summary>Document length (fixed), or the Poisson mean if <see cref="PoissonLengths"/>.</summary>
    public int DocumentLength { get; init; } = 100;

    /// <summary>Draw lengths from Poisson(<see cref="DocumentLength"/>) (at least 2) instead of fixing them.</summary>
    public bool PoissonLengths { get; init; }

    /// <summary>Anchor words per topic: words with probability mass only in that topic.</summary>
    public int AnchorsPerTopic { get; init; } = 2;

    /// <summary>The share of each topic's mass on its anchor words (split equally among them).</summary>
    public double AnchorMass { get; init; } = 0.1;

    /// <summary>Symmetric Dirichlet concentration of each topic over the non-anchor words.</summary>
    public double TopicConcentration { get; init; } = 1.0;

    /// <summary>Symmetric Dirichlet concentration α of the document-topic proportions.</summary>
    public double DocumentConcentration { get; init; } = 0.5;

    /// <summary>Seed of the generator.</summary>
    public int Seed { get; init; }

    /// <summary>Throws if a setting is out of range, naming the valid range.</summary>
    public void Validate()
    {
        if (TopicCount < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(TopicCount), TopicCount, "need at least 1 topic");
        }
        if (AnchorsPerTopic < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(AnchorsPerTopic), AnchorsPerTopic, "each topic needs at least 1 anchor word");
        }
        if (VocabularySize <= TopicCount * AnchorsPerTopic)
        {
            throw new ArgumentOutOfRangeException(nameof(VocabularySize), VocabularySize, $"the vocabulary must exceed topics × anchors per topic = {TopicCount * AnchorsPerTopic}");
        }
        if (DocumentCount < 1 || DocumentLength < 2)
        {
            throw new ArgumentOutOfRangeException(nameof(DocumentCount), "need at least 1 document of (mean) length at least 2");
        }
        if (!(AnchorMass > 0 && AnchorMass < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(AnchorMass), AnchorMass, "the anchor mass must be in (0, 1)");
        }
        if (!(TopicConcentration > 0) || !(DocumentConcentration > 0))
        {
            throw new ArgumentOutOfRangeException(nameof(TopicConcentration), "Dirichlet concentrations must be positive");
        }
    }
}
