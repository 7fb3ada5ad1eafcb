using System;
using System.Linq;
using DeepUnlearn.Engine;
using DeepUnlearn.TopicModels;
using TorchSharp;
using static TorchSharp.torch;
using Xunit;
using Xunit.Abstractions;

namespace DeepUnlearn.Tests.TopicModels;

public sealed class TopicModelUnlearnerTests : IClassFixture<SyntheticTopicFixture>
{
    private readonly SyntheticTopicFixture _fixture;
    private readonly ITestOutputHelper _output;

    public TopicModelUnlearnerTests(SyntheticTopicFixture fixture, ITestOutputHelper output)
    {
        TorchRuntime.EnsureInitialized();
        _fixture = fixture;
        _output = output;
    }

    [Fact]
    public void Downdate_EqualsStatisticsRecomputedWithoutDeletedDocuments()
    {
        var docs = _fixture.Synthetic.Corpus.Documents;
        int v = _fixture.Synthetic.Corpus.Vocabulary.Count;
        int[] forget = _fixture.ForgetIds;
        using var full = CooccurrenceStatistics.Build(docs, v);
        using var downdated = full.Clone();
        downdated.Remove(forget.Select(i => docs[i]));
        using var recomputed = CooccurrenceStatistics.Build(docs.Where(d => !forget.Contains(d.Id)), v);
        Assert.Equal(recomputed.DocumentCount, downdated.DocumentCount);
        using var scope = torch.NewDisposeScope();
        double diff = (downdated.Cooccurrence() - recomputed.Cooccurrence()).abs().max().ToDouble();
        double scale = recomputed.Cooccurrence().abs().max().ToDouble();
        _output.WriteLine($"max |Q_downdated - Q_recomputed| = {diff:E3} (max |Q| = {scale:E3})");
        Assert.True(diff < 1e-12, $"downdate differs by {diff}");
        // And the full statistics really changed, so the check is not vacuous.
        Assert.True((full.Cooccurrence() - recomputed.Cooccurrence()).abs().max().ToDouble() > 1e-6);
    }

    [Fact]
    public void DocumentTerms_SumToOneAndRowsToWordShare()
    {
        var doc = BagOfWordsDocument.FromWordIds(0, [1, 1, 2, 3, 3, 3]);
        using var scope = torch.NewDisposeScope();
        Tensor q = CooccurrenceStatistics.DocumentTerm(doc, 5);
        Assert.Equal(1.0, q.sum().ToDouble(), 12);
        double[] rows = DenseMatrix.ToArray(q.sum(1));
        Assert.Equal(2.0 / 6, rows[1], 12);
        Assert.Equal(3.0 / 6, rows[3], 12);
        // (w wᵀ − diag w) / (n(n−1)): entry (3,3) = (9 − 3)/30, entry (1,2) = 2/30.
        Assert.Equal(6.0 / 30, q[3][3].ToDouble(), 12);
        Assert.Equal(2.0 / 30, q[1][2].ToDouble(), 12);
    }

    [Theory]
    [InlineData(TopicUnlearningUpdate.NewtonStep)]
    [InlineData(TopicUnlearningUpdate.ExactRecovery)]
    public void Unlearn_WithoutNoise_IsCloserToRetrainedThanOriginal(TopicUnlearningUpdate update)
    {
        var result = TopicModelUnlearner.Unlearn(_fixture.Model, _fixture.ForgetDocuments, new TopicUnlearningOptions { Update = update, AddNoise = false });
        using AnchorTopicModel unlearned = result.Model;
        double original = DenseMatrix.FrobeniusDistance(_fixture.Model.TopicWord, _fixture.Retrained.TopicWord);
        double after = DenseMatrix.FrobeniusDistance(unlearned.TopicWord, _fixture.Retrained.TopicWord);
        _output.WriteLine($"{update}: ‖A_orig − A_retrain‖_F = {original:E3}, ‖A_unlearned − A_retrain‖_F = {after:E3}, ‖ΔQ‖₁ = {result.CooccurrenceChange:E3} ≤ {2.0 * result.DeletedCount / result.DocumentCountBefore:E3}, {result.Elapsed.TotalMilliseconds:F0} ms");
        Assert.Equal(_fixture.ForgetIds.Length, result.DeletedCount);
        Assert.True(result.CooccurrenceChange <= 2.0 * result.DeletedCount / result.DocumentCountBefore + 1e-12);
        // Both updates land near the same-anchor retrain: exact recovery by construction, the Newton step
        // because it is exact on every word whose support does not change (measured: 195 of 200 words).
        Assert.True(after < 0.1 * original, $"unlearned is {after}, original {original}");
        if (update == TopicUnlearningUpdate.ExactRecovery)
        {
            Assert.True(after < 1e-8, $"exact recovery should reproduce the fixed-anchor retrain, distance {after}");
        }
        // The stored private state is the fixed-anchor optimum in both cases (what a retrain would hold).
        Assert.True(DenseMatrix.FrobeniusDistance(unlearned.WordTopic, _fixture.Retrained.WordTopic) < 1e-8);
        Assert.Equal(_fixture.Model.DocumentIds.Count - _fixture.ForgetIds.Length, unlearned.DocumentIds.Count);
        Assert.Equal(_fixture.ForgetIds.Order(), unlearned.DeletedDocumentIds);
    }

    [Fact]
    public void NewtonStep_RetainedGram_EqualsRefitOnRetainedDocumentsWhereSupportKept_FullGramDoesNot()
    {
        AnchorTopicModel model = _fixture.Model;
        using CooccurrenceStatistics retained = model.Statistics.Clone();
        retained.Remove(_fixture.ForgetDocuments);
        RecoveryInputs before = TopicRecovery.Prepare(model.Statistics, model.Anchors);
        RecoveryInputs after = TopicRecovery.Prepare(retained, model.Anchors);
        (double[,] newton, bool[] exact) = NewtonFaceUpdate.Apply(model.WordTopic, after.Gram, after.Cross);
        double[,] refit = _fixture.Retrained.WordTopic;
        int v = model.VocabularySize;
        int k = model.TopicCount;
        double WorstOnExactWords(double[,] c)
        {
            double worst = 0;
            for (int i = 0; i < v; i++)
            {
                for (int j = 0; j < k && exact[i]; j++)
                {
                    worst = Math.Max(worst, Math.Abs(c[i, j] - refit[i, j]));
                }
            }
            return worst;
        }
        double worstExact = WorstOnExactWords(newton);
        // The old update: the Newton step on the gradient change with the full-data Gram G, then projected.
        var stale = new double[v, k];
        var row = new double[k];
        for (int i = 0; i < v; i++)
        {
            var change = new double[k];
            for (int a = 0; a < k; a++)
            {
                change[a] = -(after.Cross[i, a] - before.Cross[i, a]);
                for (int b = 0; b < k; b++)
                {
                    change[a] += (after.Gram[a, b] - before.Gram[a, b]) * model.WordTopic[i, b];
                }
            }
            double[] step = TopicClassifierHead.Solve(before.Gram, change);
            for (int a = 0; a < k; a++)
            {
                row[a] = model.WordTopic[i, a] - step[a];
            }
            SimplexLeastSquares.ProjectOntoSimplex(row);
            for (int a = 0; a < k; a++)
            {
                stale[i, a] = row[a];
            }
        }
        double newtonDistance = DenseMatrix.FrobeniusDistance(newton, refit);
        double staleDistance = DenseMatrix.FrobeniusDistance(stale, refit);
        double original = DenseMatrix.FrobeniusDistance(model.WordTopic, refit);
        double staleExact = WorstOnExactWords(stale);
        _output.WriteLine($"{exact.Count(e => e)}/{v} words exact (max |ΔC| {worstExact:E2}, full-Gram step on the same words {staleExact:E2}); ‖C − C_refit‖ = {original:E3}, retained-Gram Newton {newtonDistance:E3}, full-Gram Newton {staleDistance:E3}");
        Assert.True(exact.Count(e => e) >= 0.9 * v);
        Assert.True(worstExact < 1e-8, $"a word with unchanged support differs from the re-fit by {worstExact}");
        // With the full-data Gram the step is only first-order accurate, even where the support is kept.
        Assert.True(staleExact > 1e4 * Math.Max(worstExact, 1e-12), $"full-Gram step {staleExact} on words where the retained-Gram step is exact");
        Assert.True(newtonDistance < 0.5 * staleDistance, $"retained Gram {newtonDistance} vs full Gram {staleDistance}");
        Assert.True(staleDistance < original);
    }

    [Fact]
    public void NewtonFaceStep_ThreeTopics_MatchesClosedFormAndFlagsAWrongFace()
    {
        // min cᵀGc − 2bᵀc on Σc = 1 with G = diag(1, 2, 4), b = (0.5, 0.6, 0.9): c = G⁻¹(b + ν1),
        // ν = (1 − 1ᵀG⁻¹b) / 1ᵀG⁻¹1 = −0.025 / 1.75, all positive, so it is the simplex optimum.
        double[,] g = { { 1, 0, 0 }, { 0, 2, 0 }, { 0, 0, 4 } };
        double[] b = [0.5, 0.6, 0.9];
        double nu = -0.025 / 1.75;
        double[] expected = [0.5 + nu, (0.6 + nu) / 2, (0.9 + nu) / 4];
        double[] c = [0.2, 0.3, 0.5];
        Assert.True(NewtonFaceUpdate.Step(g, b, c));
        for (int j = 0; j < 3; j++)
        {
            Assert.Equal(expected[j], c[j], 12);
        }
        // Started on the face {0, 1}: the face optimum is not the simplex optimum (coordinate 2 wants in).
        double[] face = [0.5, 0.5, 0];
        Assert.False(NewtonFaceUpdate.Step(g, b, face));
        Assert.Equal(0.0, face[2]);
        Assert.Equal(1.0, face.Sum(), 12);
    }

    [Fact]
    public void Unlearn_ReselectedAnchors_EqualAFullRetrainsAnchors()
    {
        var result = TopicModelUnlearner.Unlearn(_fixture.Model, _fixture.ForgetDocuments, new TopicUnlearningOptions { AddNoise = false });
        using AnchorTopicModel unlearned = result.Model;
        using AnchorTopicModel full = AnchorTopicModel.Train(_fixture.Synthetic.Corpus, _fixture.Options, documentIds: Enumerable.Range(0, _fixture.Synthetic.Corpus.Count).Except(_fixture.ForgetIds));
        Assert.Equal(full.Anchors, result.ReselectedAnchors);
        Assert.Equal(full.Anchors.SequenceEqual(_fixture.Model.Anchors), result.AnchorsUnchanged);
    }

    [Fact]
    public void Unlearn_BadRequests_ThrowClearErrors()
    {
        var model = _fixture.Model;
        var docs = _fixture.Synthetic.Corpus.Documents;
        var good = new TopicUnlearningOptions();
        var empty = Assert.Throws<ArgumentException>(() => TopicModelUnlearner.Unlearn(model, [], good));
        Assert.Contains("empty", empty.Message, StringComparison.Ordinal);
        var dup = Assert.Throws<ArgumentException>(() => TopicModelUnlearner.Unlearn(model, [docs[3], docs[3]], good));
        Assert.Contains("twice", dup.Message, StringComparison.Ordinal);
        var range = Assert.Throws<ArgumentException>(() => TopicModelUnlearner.Unlearn(model, [new BagOfWordsDocument(5000, [1], [3])], good));
        Assert.Contains("0 to 1999", range.Message, StringComparison.Ordinal);
        var all = Assert.Throws<ArgumentException>(() => TopicModelUnlearner.Unlearn(model, docs.ToArray(), good));
        Assert.Contains("at least 2 must remain", all.Message, StringComparison.Ordinal);
        var eps = Assert.Throws<ArgumentOutOfRangeException>(() => TopicModelUnlearner.Unlearn(model, [docs[1]], good with { Epsilon = 0 }));
        Assert.Contains("epsilon must be", eps.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => TopicModelUnlearner.Unlearn(model, [docs[1]], good with { Epsilon = -1 }));
        foreach (double large in new[] { 1.0, 8.0 })
        {
            var outside = Assert.Throws<ArgumentOutOfRangeException>(() => TopicModelUnlearner.Unlearn(model, [docs[1]], good with { Epsilon = large }));
            Assert.Contains("AllowEpsilonOutsideProvenRange", outside.Message, StringComparison.Ordinal);
        }
        // 20 of 2,000 documents: beyond what the bound covers for this model, so no noisy release is made.
        var uncovered = Assert.Throws<ArgumentException>(() => TopicModelUnlearner.Unlearn(model, _fixture.ForgetDocuments, good));
        Assert.Contains("beyond what the sensitivity bound covers", uncovered.Message, StringComparison.Ordinal);
        Assert.Contains("would need", uncovered.Message, StringComparison.Ordinal);
        foreach (double delta in new[] { 0.0, 1.0, -0.1, 2.0 })
        {
            var d = Assert.Throws<ArgumentOutOfRangeException>(() => TopicModelUnlearner.Unlearn(model, [docs[1]], good with { Delta = delta }));
            Assert.Contains("between 0 and 1", d.Message, StringComparison.Ordinal);
        }
        var once = TopicModelUnlearner.Unlearn(model, [docs[1]], good with { AddNoise = false });
        Assert.Equal("not certified: no noise was added (diagnostic run)", once.Guarantee);
        using AnchorTopicModel unlearned = once.Model;
        var again = Assert.Throws<ArgumentException>(() => TopicModelUnlearner.Unlearn(unlearned, [docs[1]], good));
        Assert.Contains("already unlearned", again.Message, StringComparison.Ordinal);
    }
}

/// <summary>One synthetic corpus, its model, a forget set and the fixed-anchor retrain, shared by the tests.</summary>
public sealed class SyntheticTopicFixture : IDisposable
{
    public SyntheticTopicFixture()
    {
        TorchRuntime.EnsureInitialized();
        Synthetic = SyntheticLdaCorpus.Generate(new SyntheticLdaOptions { Seed = 11 });
        Options = new AnchorTopicModelOptions { TopicCount = 5, AnchorMinDocuments = 100 };
        Model = AnchorTopicModel.Train(Synthetic.Corpus, Options);
        var random = new Random(4);
        ForgetIds = Enumerable.Range(0, Synthetic.Corpus.Count).OrderBy(_ => random.Next()).Take(20).Order().ToArray();
        ForgetDocuments = ForgetIds.Select(i => Synthetic.Corpus.Documents[i]).ToArray();
        Retrained = AnchorTopicModel.Train(Synthetic.Corpus, Options, documentIds: Enumerable.Range(0, Synthetic.Corpus.Count).Except(ForgetIds), anchors: Model.Anchors);
        using var scope = torch.NewDisposeScope();
        WordProbability = DenseMatrix.ToArray(Model.Statistics.Cooccurrence().sum(1));
    }

    public SyntheticLdaCorpus Synthetic { get; }

    public AnchorTopicModelOptions Options { get; }

    public AnchorTopicModel Model { get; }

    public int[] ForgetIds { get; }

    public BagOfWordsDocument[] ForgetDocuments { get; }

    public AnchorTopicModel Retrained { get; }

    public double[] WordProbability { get; }

    public void Dispose()
    {
        Model.Dispose();
        Retrained.Dispose();
    }
}
