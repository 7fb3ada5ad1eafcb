using System;
using System.Linq;
using DeepUnlearn.TopicModels;
using Xunit;
using Xunit.Abstractions;

namespace DeepUnlearn.Tests.TopicModels;

public sealed class HeadUnlearnerTests : IClassFixture<SyntheticTopicFixture>
{
    private readonly SyntheticTopicFixture _fixture;
    private readonly ITestOutputHelper _output;

    public HeadUnlearnerTests(SyntheticTopicFixture fixture, ITestOutputHelper output)
    {
        _fixture = fixture;
        _output = output;
    }

    [Fact]
    public void Unlearn_MatchesHeadRetrainedOnRetainedDocuments_AndLeavesTopicModelUnchanged()
    {
        var docs = _fixture.Synthetic.Corpus.Documents;
        var sw = System.Diagnostics.Stopwatch.StartNew();
        double[][] theta = _fixture.Model.InferTopics(docs);
        _output.WriteLine($"inference {sw.ElapsedMilliseconds} ms");
        sw.Restart();
        int[] labels = _fixture.Synthetic.DocumentTopics.Select(t => Array.IndexOf(t, t.Max()) % 3).ToArray();
        string[] classes = ["a", "b", "c"];
        int[] ids = Enumerable.Range(0, docs.Count).ToArray();
        var head = TopicClassifierHead.Train(theta, labels, classes, lambda: 1e-2, documentIds: ids);
        double trainAccuracy = head.Accuracy(theta, labels);
        _output.WriteLine($"head training {sw.ElapsedMilliseconds} ms");
        double[,] topicsBefore = (double[,])_fixture.Model.TopicWord.clone();

        int[] forget = _fixture.ForgetIds;
        var result = HeadUnlearner.Unlearn(head, forget, forget.Select(i => theta[i]).ToArray(), forget.Select(i => labels[i]).ToArray(), new TopicUnlearningOptions { AddNoise = false });
        int[] kept = ids.Except(forget).ToArray();
        var retrained = TopicClassifierHead.Train(kept.Select(i => theta[i]).ToArray(), kept.Select(i => labels[i]).ToArray(), classes, lambda: 1e-2, documentIds: kept);

        double original = DenseMatrix.FrobeniusDistance(head.Weights, retrained.Weights);
        double newton = DenseMatrix.FrobeniusDistance(result.Head.Weights, retrained.Weights);
        int disagreements = kept.Count(i => result.Head.Predict(theta[i]) != retrained.Predict(theta[i]));
        _output.WriteLine($"train accuracy {trainAccuracy:F3}; ‖W − W_retrain‖ = {original:E3}; ‖W_newton − W_retrain‖ = {newton:E3}; prediction disagreements {disagreements}/{kept.Length}; γ = {HeadUnlearner.SensitivityBound(head.TrainingCount, forget.Length, head.Lambda):E3}");
        Assert.True(trainAccuracy > 0.8, $"the head should learn the task (accuracy {trainAccuracy})");
        Assert.True(newton < 0.05 * original, $"Newton step {newton} vs original {original}");
        Assert.True(disagreements <= kept.Length / 200);
        Assert.Equal(kept, result.Head.DocumentIds);
        Assert.Equal(topicsBefore, _fixture.Model.TopicWord);

        // Noise follows (H3) and vanishes for large ε.
        var noisy = HeadUnlearner.Unlearn(head, forget, forget.Select(i => theta[i]).ToArray(), forget.Select(i => labels[i]).ToArray(), new TopicUnlearningOptions { Epsilon = 0.5, Delta = 1e-5 });
        double gamma = 2 * 12 * Math.Sqrt(2) * 16 * forget.Length * forget.Length / (1e-6 * head.TrainingCount * (double)head.TrainingCount);
        Assert.Equal(gamma * Math.Sqrt(2 * Math.Log(1.25 / 1e-5)) / 0.5, noisy.NoiseStd, 1e-9 * noisy.NoiseStd);
        var quiet = HeadUnlearner.Unlearn(head, forget, forget.Select(i => theta[i]).ToArray(), forget.Select(i => labels[i]).ToArray(), new TopicUnlearningOptions { Epsilon = 1e15 });
        Assert.True(DenseMatrix.FrobeniusDistance(quiet.Head.Weights, result.Head.Weights) < 1e-6);
    }

    [Fact]
    public void Unlearn_BadForgetSets_Throw()
    {
        double[][] theta = [[1, 0], [0, 1], [0.5, 0.5]];
        var head = TopicClassifierHead.Train(theta, [0, 1, 0], ["x", "y"], 0.1);
        var options = new TopicUnlearningOptions();
        Assert.Contains("empty", Assert.Throws<ArgumentException>(() => HeadUnlearner.Unlearn(head, [], [], [], options)).Message, StringComparison.Ordinal);
        Assert.Contains("not a training document", Assert.Throws<ArgumentException>(() => HeadUnlearner.Unlearn(head, [7], [theta[0]], [0], options)).Message, StringComparison.Ordinal);
        Assert.Contains("at least 1 must remain", Assert.Throws<ArgumentException>(() => HeadUnlearner.Unlearn(head, [0, 1, 2], theta, [0, 1, 0], options)).Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => TopicClassifierHead.Train(theta, [0, 1, 0], ["x", "y"], 0));
    }
}
