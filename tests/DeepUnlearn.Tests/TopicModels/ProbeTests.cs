using System.Diagnostics;
using System.Linq;
using DeepUnlearn.TopicModels;
using Xunit;
using Xunit.Abstractions;

namespace DeepUnlearn.Tests.TopicModels;

public class ProbeTests
{
    private readonly ITestOutputHelper _output;

    public ProbeTests(ITestOutputHelper output)
    {
        _output = output;
    }

    [Fact]
    public void Probe()
    {
        var sw = Stopwatch.StartNew();
        var synthetic = SyntheticLdaCorpus.Generate(new SyntheticLdaOptions { Seed = 7 });
        _output.WriteLine($"gen {sw.ElapsedMilliseconds}");
        sw.Restart();
        using var stats = CooccurrenceStatistics.Build(synthetic.Corpus.Documents, 200);
        _output.WriteLine($"stats {sw.ElapsedMilliseconds}");
        sw.Restart();
        using var stats2 = CooccurrenceStatistics.Build(synthetic.Corpus.Documents, 200);
        _output.WriteLine($"stats2 {sw.ElapsedMilliseconds}");
        sw.Restart();
        stats2.Remove(synthetic.Corpus.Documents.Take(20));
        _output.WriteLine($"remove20 {sw.ElapsedMilliseconds}");
        sw.Restart();
        var synthetic2 = SyntheticLdaCorpus.Generate(new SyntheticLdaOptions { Seed = 8, TopicConcentration = 1.0 });
        _output.WriteLine($"gen2 {sw.ElapsedMilliseconds}");
        foreach (int threshold in new[] { 10, 100 })
        {
            foreach (int proj in new[] { 0, 50 })
            {
                using var model = AnchorTopicModel.Train(synthetic2.Corpus, new AnchorTopicModelOptions { TopicCount = 5, AnchorMinDocuments = threshold, ProjectionDimension = proj });
                TopicMatch match = TopicMatching.Match(model.TopicWord, synthetic2.TopicWord);
                _output.WriteLine($"beta1 thr {threshold} proj {proj}; anchors {string.Join(",", model.Anchors)}; mean L1 {match.MeanL1Error:F4}; max {match.MaxL1Error:F4}");
            }
        }
        foreach (int threshold in new[] { 10, 100, 300, 600 })
        {
            sw.Restart();
            using var model = AnchorTopicModel.Train(synthetic.Corpus, new AnchorTopicModelOptions { TopicCount = 5, AnchorMinDocuments = threshold });
            TopicMatch match = TopicMatching.Match(model.TopicWord, synthetic.TopicWord);
            _output.WriteLine($"thr {threshold} time {sw.ElapsedMilliseconds} ms; anchors {string.Join(",", model.Anchors)}; mean L1 {match.MeanL1Error:F4}; max {match.MaxL1Error:F4}");
            sw.Restart();
            using var fixedModel = AnchorTopicModel.Train(synthetic.Corpus, new AnchorTopicModelOptions { TopicCount = 5 }, anchors: new[] { 0, 2, 4, 6, 8 });
            match = TopicMatching.Match(fixedModel.TopicWord, synthetic.TopicWord);
            _output.WriteLine($"true anchors time {sw.ElapsedMilliseconds} ms; mean L1 {match.MeanL1Error:F4}; max {match.MaxL1Error:F4}");
        }
        var df = synthetic.Corpus.Vocabulary.DocumentFrequencies;
        _output.WriteLine("df anchors: " + string.Join(",", System.Linq.Enumerable.Range(0, 10).Select(i => df[i])));
        _output.WriteLine("df 119,65,138: " + df[119] + "," + df[65] + "," + df[138]);
    }
}
