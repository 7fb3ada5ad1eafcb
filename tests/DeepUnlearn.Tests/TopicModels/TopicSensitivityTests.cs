using System;
using System.Collections.Generic;
using System.Linq;
using DeepUnlearn.Engine;
using DeepUnlearn.TopicModels;
using TorchSharp;
using static TorchSharp.torch;
using Xunit;
using Xunit.Abstractions;

namespace DeepUnlearn.Tests.TopicModels;

/// <summary>
/// The derivation of docs/topic-unlearning.md checked against what a deletion actually does: every
/// inequality of the chain (Lemmas 1–3, Weyl) on the realised matrices, and the final bound Δ on the
/// realised distance between the noiseless U_base output and the same-anchor re-fit.
/// </summary>
[Collection(LargeSyntheticTopicCollection.Name)]
public sealed class TopicSensitivityTests
{
    private readonly LargeSyntheticTopicFixture _fixture;
    private readonly ITestOutputHelper _output;

    public TopicSensitivityTests(LargeSyntheticTopicFixture fixture, ITestOutputHelper output)
    {
        TorchRuntime.EnsureInitialized();
        _fixture = fixture;
        _output = output;
    }

    [Fact]
    public void Bound_RandomAndAdversarialDeletionsUpToCoveredSize_NeverExceededByRealisedDistance()
    {
        int max = _fixture.MaxCoveredDeletion;
        Assert.InRange(max, 5, 100);
        double worstRatio = 0;
        int checkedCount = 0;
        foreach (BagOfWordsDocument[] deletion in Deletions(max))
        {
            TopicSensitivity bound = TopicSensitivity.Compute(_fixture.Constants, deletion.Length);
            Assert.True(bound.IsFinite);
            Realised r = Realise(deletion);
            double ratio = r.JointDistance / bound.Bound;
            worstRatio = Math.Max(worstRatio, ratio);
            checkedCount++;
            Assert.True(r.JointDistance <= bound.Bound, $"m_U = {deletion.Length}: ‖Ã_u − Ã_r‖_F = {r.JointDistance:E3} > Δ = {bound.Bound:E3}");
        }
        _output.WriteLine($"{checkedCount} deletions of 1..{max} documents (capacity at τ = 0.1: {TopicSensitivity.DeletionCapacity(_fixture.Constants, 0.5, 1e-5, 0.1, DenseMatrix.FrobeniusNorm(_fixture.Model.JointWordTopic))}); worst realised/Δ = {worstRatio:E3}");
    }

    [Fact]
    public void Lemmas_EveryInequalityOfTheDerivation_HoldsOnRealisedMatrices()
    {
        int max = _fixture.MaxCoveredDeletion;
        var tightest = new Dictionary<string, double>();
        void Check(string name, double realised, double bound, int size)
        {
            Assert.True(realised <= bound * (1 + 1e-9) + 1e-15, $"{name} (m_U = {size}): realised {realised:E4} > bound {bound:E4}");
            tightest[name] = Math.Max(tightest.GetValueOrDefault(name), realised / bound);
        }
        foreach (BagOfWordsDocument[] deletion in Deletions(max))
        {
            TopicSensitivity t = TopicSensitivity.Compute(_fixture.Constants, deletion.Length);
            Realised r = Realise(deletion);
            Check("Lemma 1: ‖Q − Q'‖₁ ≤ η", r.CooccurrenceL1, t.Eta, deletion.Length);
            Check("Lemma 2: ‖Q̄'_S − Q̄_S‖_F ≤ a", r.AnchorRowChange, t.AnchorRowChange, deletion.Length);
            Check("Lemma 2': Σ p'_i ‖Q̄'_i − Q̄_i‖₁ ≤ 2η", r.WeightedRowChange, 2 * t.Eta, deletion.Length);
            Check("‖G' − G‖₂ ≤ g", r.GramChange, t.GramChange, deletion.Length);
            Check("Weyl: λ − g ≤ λ_⊥(G')", t.RetainedStrongConvexity, r.RetainedStrongConvexity, deletion.Length);
            // Lemma 3 with the realised gradient change, word by word: ‖C_i − C'_i‖ ≤ ‖ΔG C_i − Δb_i‖ / λ_⊥(G').
            Check("Lemma 3 (per word, realised)", r.WorstLemma3Ratio, 1, deletion.Length);
            Check("Δ ≥ ‖Ã_u − Ã_r‖_F", r.JointDistance, t.Bound, deletion.Length);
        }
        foreach ((string name, double ratio) in tightest)
        {
            _output.WriteLine($"{name}: tightest realised/bound = {ratio:F4}");
        }
        // Lemma 1 is attained up to the overlap of the deleted documents with the rest; Lemma 3 is the
        // strong-convexity inequality itself: both must be close to tight, or the check would be vacuous.
        Assert.True(tightest["Lemma 1: ‖Q − Q'‖₁ ≤ η"] > 0.5);
        Assert.True(tightest["Lemma 3 (per word, realised)"] > 0.05);
    }

    [Fact]
    public void DeletionCapacity_IsLargestCountWithinTolerance()
    {
        TopicModelConstants c = _fixture.Constants;
        const double Norm = 1.0;
        foreach (double epsilon in new[] { 0.5, 1e3, 1e6 })
        {
            int capacity = TopicSensitivity.DeletionCapacity(c, epsilon, 1e-5, 0.1, Norm);
            double Noise(int mU)
            {
                TopicSensitivity t = TopicSensitivity.Compute(c, mU);
                return t.IsFinite ? GaussianMechanism.NoiseStd(t.Bound, epsilon, 1e-5) * Math.Sqrt(c.VocabularySize * c.TopicCount) : double.PositiveInfinity;
            }
            _output.WriteLine($"ε = {epsilon:E0}: capacity {capacity}");
            Assert.True(capacity == 0 || Noise(capacity) <= 0.1 * Norm * (1 + 1e-12));
            Assert.True(Noise(capacity + 1) > 0.1 * Norm);
        }
        Assert.True(TopicSensitivity.DeletionCapacity(c, 1e6, 1e-5, 0.1, Norm) >= 1);
    }

    [Fact]
    public void DocumentsNeededForOneDeletion_IsWhereCapacityReachesOne()
    {
        TopicModelConstants c = _fixture.Constants;
        double norm = DenseMatrix.FrobeniusNorm(_fixture.Model.JointWordTopic);
        long? needed = TopicSensitivity.DocumentsNeededForOneDeletion(c, 0.5, 1e-5, 0.1, norm);
        Assert.NotNull(needed);
        _output.WriteLine($"capacity reaches 1 at m = {needed:N0} (the fixture has {c.DocumentCount:N0})");
        Assert.True(needed > c.DocumentCount);
        Assert.True(needed < int.MaxValue);
        Assert.Equal(1, Math.Min(1, TopicSensitivity.DeletionCapacity(c with { DocumentCount = (int)needed.Value }, 0.5, 1e-5, 0.1, norm)));
        Assert.Equal(0, TopicSensitivity.DeletionCapacity(c with { DocumentCount = (int)needed.Value - 1 }, 0.5, 1e-5, 0.1, norm));
    }

    // Random deletions of several sizes up to the largest covered one, and adversarial ones: the documents
    // carrying the largest share of the rarest anchor word (which move Q̄_S the most).
    private IEnumerable<BagOfWordsDocument[]> Deletions(int max)
    {
        var docs = _fixture.Synthetic.Corpus.Documents;
        var random = new Random(17);
        foreach (int size in new[] { 1, 2, 3, max / 2, max }.Where(s => s >= 1).Distinct())
        {
            for (int draw = 0; draw < 4; draw++)
            {
                yield return Enumerable.Range(0, docs.Count).OrderBy(_ => random.Next()).Take(size).Select(i => docs[i]).ToArray();
            }
        }
        double[] p = TopicFeatures.RowSums(_fixture.Model.JointWordTopic);
        int rarest = _fixture.Model.Anchors.OrderBy(a => p[a]).First();
        double Share(BagOfWordsDocument d)
        {
            int at = d.WordIds.ToList().IndexOf(rarest);
            return at < 0 ? 0 : (double)d.Counts[at] / d.Length;
        }
        BagOfWordsDocument[] heavy = docs.OrderByDescending(Share).ThenBy(d => d.Id).Take(max).ToArray();
        yield return heavy.Take(1).ToArray();
        yield return heavy;
    }

    private sealed record Realised(double CooccurrenceL1, double AnchorRowChange, double WeightedRowChange, double GramChange, double RetainedStrongConvexity, double WorstLemma3Ratio, double JointDistance);

    private Realised Realise(BagOfWordsDocument[] deletion)
    {
        AnchorTopicModel model = _fixture.Model;
        using CooccurrenceStatistics retained = model.Statistics.Clone();
        retained.Remove(deletion);
        (double[,] released, _, _, RecoveryInputs after) = TopicModelUnlearner.NoiselessUpdate(model, retained, TopicUnlearningUpdate.NewtonStep);
        RecoveryInputs before = TopicRecovery.Prepare(model.Statistics, model.Anchors);
        // The same-anchor re-fit, solved from the simplex centre as training does.
        double[,] refit = SimplexLeastSquares.SolveRows(after.Gram, after.Cross, DenseMatrix.EigenvalueRange(after.Gram).Max, 1e-14, 200_000);
        double[,] jointU = TopicRecovery.Assemble(retained, released, after.WordProbability).JointWordTopic;
        double[,] jointR = TopicRecovery.Assemble(retained, refit, after.WordProbability).JointWordTopic;

        using var scope = torch.NewDisposeScope();
        Tensor q = model.Statistics.Cooccurrence();
        Tensor q2 = retained.Cooccurrence();
        Tensor qbar = TopicRecovery.RowNormalize(q, q.sum(1));
        Tensor qbar2 = TopicRecovery.RowNormalize(q2, q2.sum(1));
        Tensor anchors = TopicRecovery.AnchorIndex(model.Anchors, q.device);
        double l1 = (q - q2).abs().sum().ToDouble();
        double anchorChange = (qbar2.index_select(0, anchors) - qbar.index_select(0, anchors)).square().sum().ToDouble();
        double weighted = (q2.sum(1) * (qbar2 - qbar).abs().sum(1)).sum().ToDouble();
        var deltaG = new double[model.TopicCount, model.TopicCount];
        for (int a = 0; a < model.TopicCount; a++)
        {
            for (int b = 0; b < model.TopicCount; b++)
            {
                deltaG[a, b] = after.Gram[a, b] - before.Gram[a, b];
            }
        }
        (double minEig, double maxEig) = DenseMatrix.EigenvalueRange(deltaG);
        double gramChange = Math.Max(Math.Abs(minEig), Math.Abs(maxEig));
        double lambdaRetained = TopicModelConstants.SumZeroMinEigenvalue(after.Gram);
        double worst = 0;
        for (int i = 0; i < model.VocabularySize; i++)
        {
            double change = 0;
            double distance = 0;
            for (int a = 0; a < model.TopicCount; a++)
            {
                double g = -(after.Cross[i, a] - before.Cross[i, a]);
                for (int b = 0; b < model.TopicCount; b++)
                {
                    g += deltaG[a, b] * model.WordTopic[i, b];
                }
                change += g * g;
                distance += (model.WordTopic[i, a] - refit[i, a]) * (model.WordTopic[i, a] - refit[i, a]);
            }
            double lemma = Math.Sqrt(change) / lambdaRetained;
            if (lemma > 1e-12)
            {
                worst = Math.Max(worst, Math.Sqrt(distance) / lemma);
            }
        }
        return new Realised(l1, Math.Sqrt(anchorChange), weighted, gramChange, lambdaRetained, worst, DenseMatrix.FrobeniusDistance(jointU, jointR));
    }
}
