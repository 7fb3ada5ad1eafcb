using System;
using System.Linq;
using DeepUnlearn.Engine;
using DeepUnlearn.TopicModels;
using TorchSharp;
using Xunit;
using Xunit.Abstractions;

namespace DeepUnlearn.Tests.TopicModels;

/// <summary>
/// U_head (Wei et al. 2025, §5): unlearning pre-training documents through the fine-tuned model, checked
/// against its reference — the same fine-tuning over a base model retrained with the same anchors.
/// </summary>
[Collection(LargeSyntheticTopicCollection.Name)]
public sealed class PretrainingHeadUnlearnerTests
{
    private readonly LargeSyntheticTopicFixture _fixture;
    private readonly ITestOutputHelper _output;

    public PretrainingHeadUnlearnerTests(LargeSyntheticTopicFixture fixture, ITestOutputHelper output)
    {
        TorchRuntime.EnsureInitialized();
        _fixture = fixture;
        _output = output;
    }

    [Fact]
    public void Unlearn_NoNoise_WithinBoundOfFineTuningOnSameAnchorRetrain_BaseUntouched()
    {
        var docs = _fixture.Synthetic.Corpus.Documents;
        var random = new Random(3);
        int max = _fixture.MaxCoveredDeletion;
        double[,] topicWordBefore = (double[,])_fixture.Model.TopicWord.Clone();
        double sumBefore = StatisticsChecksum();
        double worst = 0;
        foreach (int size in new[] { 1, 3, max })
        {
            // Half of each deletion is task documents too, so they also leave the head's training set.
            BagOfWordsDocument[] forget = Enumerable.Range(0, docs.Count).OrderBy(_ => random.Next()).Take(size / 2).Concat(Enumerable.Range(0, 3_000).OrderBy(_ => random.Next()).Take(size - (size / 2)))
                .Distinct().Select(i => docs[i]).ToArray();
            var result = PretrainingHeadUnlearner.Unlearn(_fixture.Model, _fixture.Head, _fixture.TaskDocuments, _fixture.TaskLabels, forget, new TopicUnlearningOptions { AddNoise = false });
            (FineTunedTopicClassifier reference, TopicClassifierHead refHead) = Reference(forget);
            double distance = result.FineTuned.DistanceTo(reference);
            double headDistance = DenseMatrix.FrobeniusDistance(result.Head.Weights, refHead.Weights);
            _output.WriteLine($"m_U = {forget.Length}: ‖(B,b)_u − (B,b)_r‖ = {distance:E3} ≤ Δ_H = {result.Sensitivity.Bound:E3}; ‖Θ_u − Θ_r‖ = {headDistance:E3} ≤ δ_Θ = {result.Sensitivity.HeadChange:E3}; task documents removed {result.TaskDocumentsRemoved}");
            Assert.True(result.Sensitivity.IsFinite);
            Assert.True(distance <= result.Sensitivity.Bound, $"{distance} > {result.Sensitivity.Bound}");
            Assert.True(headDistance <= result.Sensitivity.HeadChange, $"{headDistance} > {result.Sensitivity.HeadChange}");
            Assert.Equal(forget.Count(d => d.Id < 3_000), result.TaskDocumentsRemoved);
            Assert.DoesNotContain(result.Head.DocumentIds, id => forget.Any(d => d.Id == id));
            worst = Math.Max(worst, distance / result.Sensitivity.Bound);
        }
        // The base model is not modified: same released matrices, same private statistics.
        Assert.Equal(topicWordBefore, _fixture.Model.TopicWord);
        Assert.Equal(sumBefore, StatisticsChecksum());
        _output.WriteLine($"worst realised/Δ_H = {worst:E3}");
    }

    [Fact]
    public void Unlearn_WithNoise_NoiseOnTheFineTunedModelOnly_AndGuaranteeSaysSo()
    {
        BagOfWordsDocument[] forget = [.. new[] { 5, 4_000, 15_000 }.Select(i => _fixture.Synthetic.Corpus.Documents[i])];
        var result = PretrainingHeadUnlearner.Unlearn(_fixture.Model, _fixture.Head, _fixture.TaskDocuments, _fixture.TaskLabels, forget, new TopicUnlearningOptions { Seed = 4 });
        int entries = (_fixture.Model.VocabularySize + 1) * _fixture.Head.ClassCount;
        _output.WriteLine($"σ_H = {result.NoiseStd:E3}, Δ_H = {result.Sensitivity.Bound:E3}, capacity head {result.DeletionCapacity} vs base {result.BaseDeletionCapacity}");
        _output.WriteLine(result.Guarantee);
        Assert.InRange(result.NoiseNorm / Math.Sqrt(entries) / result.NoiseStd, 0.8, 1.2);
        Assert.Equal(PrivacyRegime.Proven, result.Regime);
        Assert.Contains("fine-tuned model (B, b) only", result.Guarantee, StringComparison.Ordinal);
        Assert.Contains("base topic model is not modified", result.Guarantee, StringComparison.Ordinal);
        Assert.Contains("same anchor words", result.Guarantee, StringComparison.Ordinal);
        // The normaliser n = p' goes out as is: it is the retained word distribution, the same in a retrain.
        (FineTunedTopicClassifier reference, _) = Reference(forget);
        for (int i = 0; i < reference.Normalizer.Length; i++)
        {
            Assert.Equal(reference.Normalizer[i], result.FineTuned.Normalizer[i], 12);
        }
    }

    [Fact]
    public void Unlearn_BadInputs_ThrowClearErrors()
    {
        var docs = _fixture.Synthetic.Corpus.Documents;
        var options = new TopicUnlearningOptions { AddNoise = false };
        var mismatch = Assert.Throws<ArgumentException>(() => PretrainingHeadUnlearner.Unlearn(_fixture.Model, _fixture.Head, _fixture.TaskDocuments.Skip(1).ToArray(), _fixture.TaskLabels.Skip(1).ToArray(), [docs[5]], options));
        Assert.Contains("not the head's training documents", mismatch.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => PretrainingHeadUnlearner.Unlearn(_fixture.Model, _fixture.Head, _fixture.TaskDocuments, _fixture.TaskLabels, [], options));
        var large = Assert.Throws<ArgumentException>(() => PretrainingHeadUnlearner.Unlearn(_fixture.Model, _fixture.Head, _fixture.TaskDocuments, _fixture.TaskLabels, docs.Skip(100).Take(200).ToArray(), new TopicUnlearningOptions()));
        Assert.Contains("beyond what the sensitivity bound covers", large.Message, StringComparison.Ordinal);
    }

    // The retrained world: the base refit with the same anchors on the retained documents (the downdate
    // equals a recount, tested elsewhere), then the head fitted on the remaining task documents.
    private (FineTunedTopicClassifier FineTuned, TopicClassifierHead Head) Reference(BagOfWordsDocument[] forget)
    {
        AnchorTopicModel model = _fixture.Model;
        using CooccurrenceStatistics retained = model.Statistics.Clone();
        retained.Remove(forget);
        RecoveryInputs after = TopicRecovery.Prepare(retained, model.Anchors);
        double[,] refit = SimplexLeastSquares.SolveRows(after.Gram, after.Cross, DenseMatrix.EigenvalueRange(after.Gram).Max, 1e-14, 200_000);
        double[,] joint = TopicRecovery.Assemble(retained, refit, after.WordProbability).JointWordTopic;
        var removed = forget.Select(d => d.Id).ToHashSet();
        int[] keep = Enumerable.Range(0, _fixture.TaskDocuments.Length).Where(i => !removed.Contains(_fixture.TaskDocuments[i].Id)).ToArray();
        BagOfWordsDocument[] task = keep.Select(i => _fixture.TaskDocuments[i]).ToArray();
        TopicClassifierHead head = TopicClassifierHead.Train(TopicFeatures.Compute(joint, task), keep.Select(i => _fixture.TaskLabels[i]).ToArray(), _fixture.Head.ClassNames, _fixture.Head.Lambda, task.Select(d => d.Id).ToArray());
        return (FineTunedTopicClassifier.Compose(joint, head), head);
    }

    private double StatisticsChecksum()
    {
        using var scope = torch.NewDisposeScope();
        return _fixture.Model.Statistics.Sum.sum().ToDouble() + _fixture.Model.Statistics.DocumentCount;
    }
}
