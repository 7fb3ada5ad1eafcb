using System;
using System.IO;
using DeepUnlearn.TopicModels;
using TorchSharp;
using static TorchSharp.torch;
using Xunit;

namespace DeepUnlearn.Tests.TopicModels;

public sealed class TopicModelBundleTests
{
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
                Assert.Equal(0.0, (model.Statistics.Sum - loaded.Model.Statistics.Sum).abs().Max().ToDouble());
            }
            Assert.Equal(synthetic.Corpus.Count, loaded.Documents.Count);
            Assert.Equal(synthetic.Corpus.Documents[5].Counts, loaded.Documents[5].Counts);
            File.WriteAllText(Path.Combine(dir, "model.json"), "{ not json");
            Assert.Throws<InvalidDataException>(() => TopicModelBundle.Load(dir));
            Assert.Throws<FileNotFoundException>(() => TopicModelBundle.Load(Path.Combine(dir, "nope")));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
