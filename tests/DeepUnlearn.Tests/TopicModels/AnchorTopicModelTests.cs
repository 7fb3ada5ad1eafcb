using DeepUnlearn.TopicModels;
using Xunit;
using Xunit.Abstractions;

namespace DeepUnlearn.Tests.TopicModels;

public class AnchorTopicModelTests
{
    private readonly ITestOutputHelper _output;

    public AnchorTopicModelTests(ITestOutputHelper output)
    {
        _output = output;
    }

    [Fact]
    public void Train_SyntheticLda_RecoversTrueTopics()
    {
        var synthetic = SyntheticLdaCorpus.Generate(new SyntheticLdaOptions { Seed = 7 });
        var sw = System.Diagnostics.Stopwatch.StartNew();
        using var model = AnchorTopicModel.Train(synthetic.Corpus, new AnchorTopicModelOptions { TopicCount = 5 });
        TopicMatch match = TopicMatching.Match(model.TopicWord, synthetic.TopicWord);
        _output.WriteLine($"time {sw.ElapsedMilliseconds} ms; anchors {string.Join(",", model.Anchors)}; mean L1 {match.MeanL1Error:F4}; max {match.MaxL1Error:F4}");
        Assert.True(match.MeanL1Error < 0.2, $"mean L1 error {match.MeanL1Error}");
    }
}
