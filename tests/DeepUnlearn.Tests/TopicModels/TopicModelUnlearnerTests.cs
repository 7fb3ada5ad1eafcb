using System;
using System.Linq;
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
        using var downdated = full.clone();
        downdated.Remove(forget.Select(i => docs[i]));
        using var recomputed = CooccurrenceStatistics.Build(docs.Where(d => !forget.Contains(d.Id)), v);
        Assert.Equal(recomputed.DocumentCount, downdated.DocumentCount);
        using var scope = torch.NewDisposeScope();
        double diff = (downdated.Cooccurrence() - recomputed.Cooccurrence()).abs().Max().ToDouble();
        double scale = recomputed.Cooccurrence().abs().Max().ToDouble();
        _output.WriteLine($"max |Q_downdated - Q_recomputed| = {diff:E3} (max |Q| = {scale:E3})");
        Assert.True(diff < 1e-12, $"downdate differs by {diff}");
        // And the full statistics really changed, so the check is not vacuous.
        Assert.True((full.Cooccurrence() - recomputed.Cooccurrence()).abs().Max().ToDouble() > 1e-6);
    }

    [Fact]
    public void DocumentTerms_SumToOneAndRowsToWordShare()
    {
        var doc = BagOfWordsDocument.FromWordIds(0, [1, 1, 2, 3, 3, 3]);
        using var scope = torch.NewDisposeScope();
        Tensor q = CooccurrenceStatistics.DocumentTerm(doc, 5);
        Assert.Equal(1.0, q.Sum().ToDouble(), 12);
        double[] rows = q.Sum(1).ToArray<double>();
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
        Assert.True(after < 0.25 * original, $"unlearned is {after}, original {original}");
        if (update == TopicUnlearningUpdate.ExactRecovery)
        {
            Assert.True(after < 1e-8, $"exact recovery should reproduce the fixed-anchor retrain, distance {after}");
        }
        Assert.Equal(_fixture.Model.DocumentIds.Count - _fixture.ForgetIds.Length, unlearned.DocumentIds.Count);
        Assert.Equal(_fixture.ForgetIds.Order(), unlearned.DeletedDocumentIds);
    }

    [Fact]
    public void Unlearn_SmallNoise_StillCloserToRetrainedThanOriginal()
    {
        var noiseless = TopicModelUnlearner.Unlearn(_fixture.Model, _fixture.ForgetDocuments, new TopicUnlearningOptions { AddNoise = false });
        using AnchorTopicModel reference = noiseless.Model;
        // Pick ε so that σ is a tenth of the noiseless update's distance per entry.
        double original = DenseMatrix.FrobeniusDistance(_fixture.Model.TopicWord, _fixture.Retrained.TopicWord);
        double targetSigma = 0.02 * original / Math.Sqrt(_fixture.Model.VocabularySize * _fixture.Model.TopicCount) * reference.TopicPrior.Min();
        double epsilon = noiseless.Sensitivity * Math.Sqrt(2 * Math.Log(1.25 / 1e-5)) / targetSigma;
        var result = TopicModelUnlearner.Unlearn(_fixture.Model, _fixture.ForgetDocuments, new TopicUnlearningOptions { Epsilon = epsilon, Delta = 1e-5, Seed = 3 });
        using AnchorTopicModel unlearned = result.Model;
        double after = DenseMatrix.FrobeniusDistance(unlearned.TopicWord, _fixture.Retrained.TopicWord);
        _output.WriteLine($"ε = {epsilon:E3}, σ = {result.NoiseStd:E3}, ‖A_unlearned − A_retrain‖_F = {after:E3} vs original {original:E3}");
        Assert.True(result.NoiseStd > 0);
        Assert.True(after < original, $"noisy unlearned {after} vs original {original}");
    }

    [Fact]
    public void Unlearn_LargeEpsilon_NoiseVanishes()
    {
        var noiseless = TopicModelUnlearner.Unlearn(_fixture.Model, _fixture.ForgetDocuments, new TopicUnlearningOptions { AddNoise = false });
        using AnchorTopicModel reference = noiseless.Model;
        double previous = double.PositiveInfinity;
        foreach (double epsilon in new[] { 1e6, 1e9, 1e12, 1e15 })
        {
            var result = TopicModelUnlearner.Unlearn(_fixture.Model, _fixture.ForgetDocuments, new TopicUnlearningOptions { Epsilon = epsilon, Seed = 1 });
            using AnchorTopicModel unlearned = result.Model;
            double distance = DenseMatrix.FrobeniusDistance(unlearned.TopicWord, reference.TopicWord);
            _output.WriteLine($"ε = {epsilon:E0}: σ = {result.NoiseStd:E3}, ‖A_noisy − A_noiseless‖_F = {distance:E3}");
            Assert.True(distance <= previous);
            previous = distance;
        }
        // The distance shrinks with σ ∝ 1/ε: below 1e-6 at ε = 1e15 (σ ≈ 4e-10 per entry).
        Assert.True(previous < 1e-6, $"noise did not vanish: {previous}");
    }

    [Fact]
    public void Unlearn_NoiseScale_FollowsGaussianMechanismFormula()
    {
        const double Epsilon = 0.5;
        const double Delta = 1e-4;
        var result = TopicModelUnlearner.Unlearn(_fixture.Model, _fixture.ForgetDocuments, new TopicUnlearningOptions { Epsilon = Epsilon, Delta = Delta, Seed = 5 });
        using AnchorTopicModel unlearned = result.Model;
        int k = _fixture.Model.TopicCount;
        int m = _fixture.Model.DocumentIds.Count;
        int mU = _fixture.ForgetIds.Length;
        double eta = 2.0 * mU / m;
        double kappa = (((2 * Math.Sqrt(k)) + 1) * 2 / result.MinAnchorProbability) + (2 * Math.Sqrt(k));
        double expectedSensitivity = 2 * eta * kappa / result.GramMinEigenvalue;
        double expectedSigma = expectedSensitivity * Math.Sqrt(2 * Math.Log(1.25 / Delta)) / Epsilon;
        Assert.Equal(expectedSensitivity, result.Sensitivity, 1e-9 * expectedSensitivity);
        Assert.Equal(expectedSigma, result.NoiseStd, 1e-9 * expectedSigma);
        // The drawn noise has that scale: ‖N‖_F ≈ σ √(V K).
        double empirical = result.NoiseNorm / Math.Sqrt(_fixture.Model.VocabularySize * k);
        Assert.InRange(empirical / expectedSigma, 0.9, 1.1);
        // Anchor probability and strong convexity are the model's.
        double pS = _fixture.Model.Anchors.Min(a => _fixture.WordProbability[a]);
        Assert.Equal(pS, result.MinAnchorProbability, 1e-12);
        _output.WriteLine($"Δ = {result.Sensitivity:E3}, σ = {result.NoiseStd:E3}, p_S = {pS:E3}, λ_min(G) = {result.GramMinEigenvalue:E3}, capacity = {result.DeletionCapacity}, paper rate m/(K²√(VK)) = {result.PaperCapacityRate:F2}");
    }

    [Fact]
    public void DeletionCapacity_IsLargestCountWithinTolerance()
    {
        const int M = 100_000_000;
        const int K = 5;
        const int V = 200;
        double pS = 0.1;
        double lambda = 0.5;
        double norm = 1.0;
        int capacity = TopicModelUnlearner.DeletionCapacity(M, K, V, pS, lambda, 1.0, 1e-5, 0.1, norm);
        double Noise(int mU) => GaussianMechanism.NoiseStd(TopicModelUnlearner.SensitivityBound(M, mU, K, pS, lambda), 1.0, 1e-5) * Math.Sqrt(V * K);
        Assert.InRange(capacity, 10, M);
        Assert.True(Noise(capacity) <= 0.1 * norm * (1 + 1e-12));
        Assert.True(Noise(capacity + 1) > 0.1 * norm);
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
        foreach (double delta in new[] { 0.0, 1.0, -0.1, 2.0 })
        {
            var d = Assert.Throws<ArgumentOutOfRangeException>(() => TopicModelUnlearner.Unlearn(model, [docs[1]], good with { Delta = delta }));
            Assert.Contains("between 0 and 1", d.Message, StringComparison.Ordinal);
        }
        var once = TopicModelUnlearner.Unlearn(model, [docs[1]], good with { AddNoise = false });
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
        Synthetic = SyntheticLdaCorpus.Generate(new SyntheticLdaOptions { Seed = 11 });
        Options = new AnchorTopicModelOptions { TopicCount = 5, AnchorMinDocuments = 100 };
        Model = AnchorTopicModel.Train(Synthetic.Corpus, Options);
        var random = new Random(4);
        ForgetIds = Enumerable.Range(0, Synthetic.Corpus.Count).OrderBy(_ => random.Next()).Take(20).Order().ToArray();
        ForgetDocuments = ForgetIds.Select(i => Synthetic.Corpus.Documents[i]).ToArray();
        Retrained = AnchorTopicModel.Train(Synthetic.Corpus, Options, documentIds: Enumerable.Range(0, Synthetic.Corpus.Count).Except(ForgetIds), anchors: Model.Anchors);
        using var scope = torch.NewDisposeScope();
        WordProbability = Model.Statistics.Cooccurrence().Sum(1).ToArray<double>();
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
