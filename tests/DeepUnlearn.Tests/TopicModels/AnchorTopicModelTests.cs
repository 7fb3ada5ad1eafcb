using System;
using System.Linq;
using DeepUnlearn.Engine;
using DeepUnlearn.TopicModels;
using Xunit;
using Xunit.Abstractions;

namespace DeepUnlearn.Tests.TopicModels;

public class AnchorTopicModelTests
{
    private readonly ITestOutputHelper _output;

    public AnchorTopicModelTests(ITestOutputHelper output)
    {
        TorchRuntime.EnsureInitialized();
        _output = output;
    }

    [Fact]
    public void Train_SyntheticLda_RecoversTrueTopics()
    {
        // K = 5, V = 200, 2000 documents of 100 tokens. Measured (seed 7): the anchors found are true
        // anchors (one per topic), mean L1 error per topic 0.099, max 0.108. A model that skips Bayes'
        // rule (A from C without p(w)) or picks rare noisy words as anchors lands above 0.3.
        var synthetic = SyntheticLdaCorpus.Generate(new SyntheticLdaOptions { Seed = 7 });
        using var model = AnchorTopicModel.Train(synthetic.Corpus, new AnchorTopicModelOptions { TopicCount = 5, AnchorMinDocuments = 100 });
        TopicMatch match = TopicMatching.Match(model.TopicWord, synthetic.TopicWord);
        _output.WriteLine($"anchors {string.Join(",", model.Anchors)}; mean L1 {match.MeanL1Error:F4}; max {match.MaxL1Error:F4}");
        Assert.True(match.MeanL1Error < 0.15, $"mean L1 error {match.MeanL1Error}");
        Assert.True(match.MaxL1Error < 0.2, $"max L1 error {match.MaxL1Error}");
        for (int k = 0; k < 5; k++)
        {
            Assert.Contains(model.Anchors[match.Assignment[k]], synthetic.AnchorWords[k]);
        }
        for (int k = 0; k < 5; k++)
        {
            Assert.Equal(1.0, Enumerable.Range(0, model.VocabularySize).Sum(i => model.TopicWord[i, k]), 9);
        }
    }

    [Fact]
    public void Recovery_WithoutBayesRule_IsFarWorse_SoTheBoundCanFail()
    {
        var synthetic = SyntheticLdaCorpus.Generate(new SyntheticLdaOptions { Seed = 7 });
        using var model = AnchorTopicModel.Train(synthetic.Corpus, new AnchorTopicModelOptions { TopicCount = 5, AnchorMinDocuments = 100 });
        (double[,] broken, _) = TopicRecovery.NormalizeColumns(model.WordTopic);
        double error = TopicMatching.Match(broken, synthetic.TopicWord).MeanL1Error;
        _output.WriteLine($"mean L1 without Bayes' rule: {error:F4}");
        Assert.True(error > 0.3);
    }

    [Fact]
    public void InferTopics_DocumentFromOneTopic_PutsMassOnThatTopic()
    {
        var synthetic = SyntheticLdaCorpus.Generate(new SyntheticLdaOptions { Seed = 7 });
        using var model = AnchorTopicModel.Train(synthetic.Corpus, new AnchorTopicModelOptions { TopicCount = 5, AnchorMinDocuments = 100 });
        TopicMatch match = TopicMatching.Match(model.TopicWord, synthetic.TopicWord);
        // A long document drawn from true topic 2 alone.
        var random = new Random(1);
        var words = Enumerable.Range(0, 2000).Select(_ =>
        {
            double u = random.NextDouble();
            int i = 0;
            while (i < 199 && (u -= synthetic.TopicWord[i, 2]) > 0)
            {
                i++;
            }
            return i;
        });
        double[] theta = model.InferTopics(BagOfWordsDocument.FromWordIds(0, words));
        Assert.Equal(1.0, theta.Sum(), 9);
        Assert.True(theta[match.Assignment[2]] > 0.85, string.Join(", ", theta));
    }
}
