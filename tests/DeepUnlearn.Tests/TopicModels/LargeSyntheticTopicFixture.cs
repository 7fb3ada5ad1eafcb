using System;
using System.Linq;
using DeepUnlearn.Engine;
using DeepUnlearn.TopicModels;
using Xunit;

namespace DeepUnlearn.Tests.TopicModels;

/// <summary>
/// A synthetic corpus large enough (20,000 documents, 3 topics, 60 words, anchors carrying 30% of each
/// topic) for the sensitivity bound to be finite for deletions of up to about 10 documents, with a
/// downstream label (the dominant topic), a model and a head; shared by the classes of its collection.
/// </summary>
public sealed class LargeSyntheticTopicFixture : IDisposable
{
    public LargeSyntheticTopicFixture()
    {
        TorchRuntime.EnsureInitialized();
        Synthetic = SyntheticLdaCorpus.Generate(new SyntheticLdaOptions { DocumentCount = 20_000, DocumentLength = 50, VocabularySize = 60, TopicCount = 3, AnchorsPerTopic = 1, AnchorMass = 0.3, Seed = 5 });
        Model = AnchorTopicModel.Train(Synthetic.Corpus, new AnchorTopicModelOptions { TopicCount = 3, AnchorMinDocuments = 100 });
        Constants = TopicModelConstants.Measure(Model);
        Labels = Synthetic.DocumentTopics.Select(t => Array.IndexOf(t, t.Max())).ToArray();
        // The downstream task: the first 3,000 documents, labelled by their dominant topic.
        TaskDocuments = Synthetic.Corpus.Documents.Take(3_000).ToArray();
        TaskLabels = Labels.Take(3_000).ToArray();
        Head = TopicClassifierHead.Train(Model, TaskDocuments, TaskLabels, ["t0", "t1", "t2"], lambda: 1e-2);
    }

    public SyntheticLdaCorpus Synthetic { get; }

    public AnchorTopicModel Model { get; }

    public TopicModelConstants Constants { get; }

    public int[] Labels { get; }

    public BagOfWordsDocument[] TaskDocuments { get; }

    public int[] TaskLabels { get; }

    public TopicClassifierHead Head { get; }

    /// <summary>The largest deletion size whose bound Δ is finite.</summary>
    public int MaxCoveredDeletion => Enumerable.Range(1, 100).TakeWhile(n => TopicSensitivity.Compute(Constants, n).IsFinite).LastOrDefault();

    public void Dispose() => Model.Dispose();
}

[CollectionDefinition(Name)]
public sealed class LargeSyntheticTopicCollection : ICollectionFixture<LargeSyntheticTopicFixture>
{
    public const string Name = "large synthetic topic corpus";
}
