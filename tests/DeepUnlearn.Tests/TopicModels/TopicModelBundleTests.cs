using System;
using System.IO;
using System.Linq;
using DeepUnlearn.Engine;
using DeepUnlearn.TopicModels;
using TorchSharp;
using Xunit;

namespace DeepUnlearn.Tests.TopicModels;

public sealed class TopicModelBundleTests
{
    public TopicModelBundleTests() => TorchRuntime.EnsureInitialized();

    [Fact]
    public void SaveLoad_RoundTripsModelStatisticsAndDocuments()
    {
        var synthetic = SyntheticLdaCorpus.Generate(new SyntheticLdaOptions { DocumentCount = 300, VocabularySize = 60, TopicCount = 3, DocumentLength = 40, Seed = 2 });
        using var model = AnchorTopicModel.Train(synthetic.Corpus, new AnchorTopicModelOptions { TopicCount = 3, AnchorMinDocuments = 20 });
        string dir = Path.Combine(Path.GetTempPath(), "du-bundle-" + Guid.NewGuid().ToString("N"));
        try
        {
            new TopicModelBundle(model, synthetic.Corpus.Documents).Save(dir);
            using var loaded = TopicModelBundle.Load(dir);
            Assert.Equal(model.TopicWord, loaded.Model.TopicWord);
            Assert.Equal(model.WordTopic, loaded.Model.WordTopic);
            Assert.Equal(model.Anchors, loaded.Model.Anchors);
            Assert.Equal(model.Vocabulary.Words, loaded.Model.Vocabulary.Words);
            Assert.Equal(model.Statistics.DocumentCount, loaded.Model.Statistics.DocumentCount);
            using (var scope = torch.NewDisposeScope())
            {
                Assert.Equal(0.0, (model.Statistics.Sum - loaded.Model.Statistics.Sum).abs().max().ToDouble());
            }
            Assert.Equal(synthetic.Corpus.Count, loaded.Documents.Count);
            Assert.Equal(synthetic.Corpus.Documents[5].Counts, loaded.Documents[5].Counts);
            // The per-word document counts (FastAnchorWords' candidates) are rebuilt from the documents.
            Assert.Equal(model.Statistics.WordDocumentCounts, loaded.Model.Statistics.WordDocumentCounts);
            File.WriteAllText(Path.Combine(dir, "model.json"), "{ not json");
            Assert.Throws<InvalidDataException>(() => TopicModelBundle.Load(dir));
            Assert.Throws<FileNotFoundException>(() => TopicModelBundle.Load(Path.Combine(dir, "nope")));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void SaveLoad_HeadFineTunedReleaseAndHeadForgottenIds_RoundTrip_OldHeadsRefused()
    {
        var synthetic = SyntheticLdaCorpus.Generate(new SyntheticLdaOptions { DocumentCount = 300, VocabularySize = 60, TopicCount = 3, DocumentLength = 40, Seed = 2 });
        using var model = AnchorTopicModel.Train(synthetic.Corpus, new AnchorTopicModelOptions { TopicCount = 3, AnchorMinDocuments = 20 });
        int[] y = synthetic.DocumentTopics.Select(t => Array.IndexOf(t, t.Max()) % 2).ToArray();
        var labels = new TopicLabels(y, ["even", "odd"]);
        TopicClassifierHead head = TopicClassifierHead.Train(model, synthetic.Corpus.Documents.Skip(10).ToArray(), y.Skip(10).ToArray(), labels.ClassNames);
        FineTunedTopicClassifier fineTuned = FineTunedTopicClassifier.Compose(model.JointWordTopic, head);
        string dir = Path.Combine(Path.GetTempPath(), "du-bundle-" + Guid.NewGuid().ToString("N"));
        try
        {
            new TopicModelBundle(model, synthetic.Corpus.Documents, head, labels, fineTuned, [3, 1]).Save(dir);
            using var loaded = TopicModelBundle.Load(dir);
            Assert.Equal(head.Weights, loaded.Head!.Weights);
            Assert.Equal(head.HessianSum, loaded.Head.HessianSum);
            Assert.Equal(head.FeatureBound, loaded.Head.FeatureBound);
            Assert.Equal(head.DocumentIds, loaded.Head.DocumentIds);
            Assert.Equal(fineTuned.WordWeights, loaded.FineTuned!.WordWeights);
            Assert.Equal(fineTuned.Bias, loaded.FineTuned.Bias);
            Assert.Equal(fineTuned.Normalizer, loaded.FineTuned.Normalizer);
            Assert.Equal(new[] { 1, 3 }, loaded.HeadForgottenDocumentIds);
            string headJson = Path.Combine(dir, "head.json");
            File.WriteAllText(headJson, File.ReadAllText(headJson).Replace("\"features\":\"joint-topic-distribution\",", "", StringComparison.Ordinal));
            var old = Assert.Throws<InvalidDataException>(() => TopicModelBundle.Load(dir));
            Assert.Contains("older version", old.Message, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
