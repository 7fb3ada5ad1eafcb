using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using TorchSharp;
using static TorchSharp.torch;

namespace DeepUnlearn.TopicModels;

/// <summary>
/// U_base of Wei, Malladi, Arora and Sanyal, "Provable unlearning in topic modeling and downstream
/// tasks" (ICLR 2025, Algorithm 1): delete documents from an anchor-word topic model by downdating the
/// co-occurrence statistics, updating p(topic | word) with the anchors fixed, and adding Gaussian noise
/// calibrated for (ε, δ)-unlearning in the sense of Sekhari et al. 2021.
/// </summary>
/// <remarks>
/// <para>The derivation of the sensitivity Δ and of where the noise goes is in
/// <c>docs/topic-unlearning.md</c>; the steps, with m documents, m_U deleted, anchors S fixed:</para>
/// <para>(U1) Downdate: Q' = (m Q − Σ_{d∈S_f} Q_d) / (m − m_U), exact (Lemma 1: ‖Q − Q'‖₁ ≤ 2 m_U / m).</para>
/// <para>(U2) Update C = p(topic | word): one Newton step per word on the retained objective with the
/// retained Hessian 2G' (<see cref="TopicUnlearningUpdate.NewtonStep"/>), or an exact re-solve
/// (<see cref="TopicUnlearningUpdate.ExactRecovery"/>). Ã_u = diag(p') C_u.</para>
/// <para>(U3) Sensitivity: ‖Ã_u − Ã_r‖_F ≤ Δ (<see cref="TopicSensitivity"/>), Ã_r the RecoverL2 re-fit on the
/// retained documents with the same anchors. Noise goes on Ã (our choice; the paper perturbs the
/// recovered matrices): weighting each word's row by p'(w) cancels the 1/p(w) of row normalisation, so
/// rare words, whose rows of Q̄ a deletion can change completely, contribute in proportion to their mass.</para>
/// <para>(U4) Release: Ã + N(0, σ² I), σ = Δ √(2 ln(1.25/δ)) / ε; A = columns of max(Ã, 0) normalised and
/// R = A⁺ Q' A⁺ᵀ are post-processing (Q' is the same in the retrained world).</para>
/// <para>Guarantee: the release is (ε, δ)-indistinguishable from Ã_r + N(0, σ² I), i.e. relative to a retrain
/// with the same anchor words. FastAnchorWords is re-run on Q' (O(V² K), independent of m) and the result
/// says whether it returns the same anchors, in which case the guarantee also holds relative to a full
/// retrain. The private state keeps the exact fixed-anchor optimum on Q' (words whose Newton step left
/// their face are re-solved), so later deletions start from what a retrain would hold.</para>
/// </remarks>
public static class TopicModelUnlearner
{
    /// <summary>Deletes <paramref name="forget"/> from <paramref name="model"/> (which is not modified).</summary>
    /// <exception cref="ArgumentException">The forget set is empty, has duplicates or unknown ids, covers the
    /// whole corpus, or (with noise) exceeds the deletions the sensitivity bound covers.</exception>
    /// <exception cref="ArgumentOutOfRangeException">ε or δ is out of range (ε ≥ 1 needs <see cref="TopicUnlearningOptions.AllowEpsilonOutsideProvenRange"/>).</exception>
    public static TopicUnlearningResult Unlearn(AnchorTopicModel model, IReadOnlyList<BagOfWordsDocument> forget, TopicUnlearningOptions options)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(forget);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var stopwatch = Stopwatch.StartNew();
        (BagOfWordsDocument[] contributing, int skipped) = ValidateForgetSet(model, forget);
        int k = model.TopicCount;
        int v = model.VocabularySize;
        int m = model.Statistics.DocumentCount;
        TopicModelConstants constants = TopicModelConstants.Measure(model);
        TopicSensitivity sensitivity = TopicSensitivity.Compute(constants, contributing.Length);
        if (options.AddNoise && !sensitivity.IsFinite)
        {
            long? needed = TopicSensitivity.DocumentsNeededForOneDeletion(constants, options.Epsilon, options.Delta, options.UtilityTolerance, DenseMatrix.FrobeniusNorm(model.JointWordTopic));
            throw new ArgumentException(
                $"deleting {contributing.Length} of {m} documents is beyond what the sensitivity bound covers for this model "
                + $"(the retained strong convexity bound λ − g = {sensitivity.RetainedStrongConvexity.ToString("G3", CultureInfo.InvariantCulture)} is not positive; "
                + $"λ = {constants.GramMinEigenvalue.ToString("G3", CultureInfo.InvariantCulture)}, p_S = {constants.MinAnchorProbability.ToString("G3", CultureInfo.InvariantCulture)}); "
                + $"a model with these constants would need {(needed is long n ? n.ToString("N0", CultureInfo.InvariantCulture) : "more than 10^15")} training documents for its capacity to reach one deletion at this ε, δ, τ. "
                + "Delete fewer documents per request, retrain, or run without noise (not certified)",
                nameof(forget));
        }

        CooccurrenceStatistics statistics = model.Statistics.Clone();
        try
        {
            statistics.Remove(contributing);
            double change = CooccurrenceChange(model.Statistics, statistics);
            (double[,] released, double[,] stored, int exactWords, RecoveryInputs after) = NoiselessUpdate(model, statistics, options.Update);
            RecoveredTopics noiseless = TopicRecovery.Assemble(statistics, released, after.WordProbability);

            double sigma = options.AddNoise ? GaussianMechanism.NoiseStd(sensitivity.Bound, options.Epsilon, options.Delta) : 0;
            (RecoveredTopics noisy, double noiseNorm) = AddNoise(statistics, noiseless, sigma, options.Seed);
            double jointNorm = DenseMatrix.FrobeniusNorm(model.JointWordTopic);
            int capacity = TopicSensitivity.DeletionCapacity(constants, options.Epsilon, options.Delta, options.UtilityTolerance, jointNorm);

            var anchorWatch = Stopwatch.StartNew();
            int[]? reselected = options.CheckAnchors && statistics.WordDocumentCounts is not null ? ReselectAnchors(statistics, model.Options) : null;
            TimeSpan anchorCheck = options.CheckAnchors ? anchorWatch.Elapsed : TimeSpan.Zero;
            bool? unchanged = reselected?.SequenceEqual(model.Anchors);

            var removedIds = new HashSet<int>(forget.Select(d => d.Id));
            var result = new AnchorTopicModel(
                model.Vocabulary,
                model.Options,
                model.Anchors,
                noisy with { WordTopic = stored },
                statistics,
                model.DocumentIds.Where(id => !removedIds.Contains(id)).ToArray(),
                model.DeletedDocumentIds.Concat(removedIds).Order().ToArray(),
                model.CorpusDocumentCount);
            return new TopicUnlearningResult
            {
                Model = result,
                DocumentCountBefore = m,
                DeletedCount = contributing.Length,
                SkippedCount = skipped,
                CooccurrenceChange = change,
                Constants = constants,
                Sensitivity = sensitivity,
                NoiseStd = sigma,
                NoiseAdded = options.AddNoise,
                NoiseNorm = noiseNorm,
                Regime = options.Regime,
                DeletionCapacity = capacity,
                DocumentsNeededForOneDeletion = TopicSensitivity.DocumentsNeededForOneDeletion(constants, options.Epsilon, options.Delta, options.UtilityTolerance, jointNorm),
                PaperCapacityRate = m / (k * (double)k * Math.Sqrt((double)v * k)),
                ExactWords = exactWords,
                ReselectedAnchors = reselected,
                AnchorsUnchanged = unchanged,
                Guarantee = DescribeGuarantee(model, options, sigma, m - contributing.Length, reselected, unchanged),
                AnchorCheckElapsed = anchorCheck,
                Elapsed = stopwatch.Elapsed,
            };
        }
        catch
        {
            statistics.Dispose();
            throw;
        }
    }

    /// <summary>
    /// The guarantee of a U_base release in words: its reference (a retrain with the same anchors; also a
    /// full retrain when FastAnchorWords on the retained documents returns the same anchors), ε, δ and regime.
    /// </summary>
    internal static string DescribeGuarantee(AnchorTopicModel model, TopicUnlearningOptions options, double sigma, int retained, IReadOnlyList<int>? reselected, bool? anchorsUnchanged)
    {
        if (!options.AddNoise)
        {
            return "not certified: no noise was added (diagnostic run)";
        }
        string eps = options.Epsilon.ToString("G4", CultureInfo.InvariantCulture);
        string del = options.Delta.ToString("G4", CultureInfo.InvariantCulture);
        return $"({eps}, {del})-unlearning relative to a retrain with the same anchor words: the released joint matrix Ã is ({eps}, {del})-indistinguishable "
            + $"from RecoverL2 on the {retained} retained documents with the anchors [{AnchorWords(model, model.Anchors)}] held fixed, plus the same Gaussian noise "
            + $"(σ = {sigma.ToString("G4", CultureInfo.InvariantCulture)} per entry). "
            + RegimeSentence(options) + AnchorSentence(model, reselected, anchorsUnchanged) + ConstantsSentence;
    }

    /// <summary>The note on where σ's constants come from.</summary>
    internal const string ConstantsSentence = "σ uses constants measured on the model before the deletion (p_S, λ, s); the paper takes the corresponding population constants as known.";

    /// <summary>Which ε regime applies, in words.</summary>
    internal static string RegimeSentence(TopicUnlearningOptions options) => options.Regime == PrivacyRegime.Proven
        ? "ε lies in (0, 1), where the Gaussian mechanism's calibration is proven. "
        : "ε ≥ 1 is outside the range where the Gaussian mechanism's calibration is proven (accepted on request): the guarantee is not proven. ";

    /// <summary>Whether the guarantee extends to a full retrain, in words.</summary>
    internal static string AnchorSentence(AnchorTopicModel model, IReadOnlyList<int>? reselected, bool? anchorsUnchanged) => anchorsUnchanged switch
    {
        true => "FastAnchorWords re-run on the retained documents returns the same anchors in the same order, so the guarantee also holds relative to a full retrain. ",
        false => $"FastAnchorWords re-run on the retained documents returns different anchors [{AnchorWords(model, reselected!)}]: the guarantee does NOT extend to a full retrain. ",
        null => "Whether a full retrain would pick the same anchors was not checked. ",
    };

    private static string AnchorWords(AnchorTopicModel model, IEnumerable<int> ids) => string.Join(", ", ids.Select(a => model.Vocabulary.Words[a]));

    /// <summary>
    /// (U2) on already downdated statistics: the released C (Newton step or exact re-solve), the stored
    /// private C (the fixed-anchor optimum), how many words the Newton step solved exactly, and the
    /// retained recovery inputs.
    /// </summary>
    internal static (double[,] Released, double[,] Stored, int ExactWords, RecoveryInputs After) NoiselessUpdate(AnchorTopicModel model, CooccurrenceStatistics retained, TopicUnlearningUpdate update)
    {
        RecoveryInputs after = TopicRecovery.Prepare(retained, model.Anchors);
        double lambdaMax = DenseMatrix.EigenvalueRange(after.Gram).Max;
        if (update == TopicUnlearningUpdate.NewtonStep)
        {
            (double[,] released, bool[] exact) = NewtonFaceUpdate.Apply(model.WordTopic, after.Gram, after.Cross);
            return (released, Refine(released, exact, after, lambdaMax, model.Options), exact.Count(e => e), after);
        }
        double[,] solved = SimplexLeastSquares.SolveRows(after.Gram, after.Cross, lambdaMax, model.Options.SolverTolerance, model.Options.SolverMaxIterations, model.WordTopic);
        return (solved, solved, model.VocabularySize, after);
    }

    internal static int[] ReselectAnchors(CooccurrenceStatistics statistics, AnchorTopicModelOptions options)
    {
        try
        {
            return AnchorTopicModel.SelectAnchors(statistics, options);
        }
        catch (InvalidOperationException)
        {
            // Too few candidates left (or the rows span fewer dimensions): a full retrain would fail or differ.
            return [];
        }
    }

    // Words whose Newton step did not land on the constrained optimum are re-solved (warm-started), so the
    // stored private C is the fixed-anchor optimum on Q' (the premise of the next deletion's bound).
    private static double[,] Refine(double[,] newton, bool[] exact, RecoveryInputs after, double lambdaMax, AnchorTopicModelOptions options)
    {
        int[] rows = Enumerable.Range(0, exact.Length).Where(i => !exact[i]).ToArray();
        var stored = (double[,])newton.Clone();
        if (rows.Length == 0)
        {
            return stored;
        }
        int k = newton.GetLength(1);
        var cross = new double[rows.Length, k];
        var start = new double[rows.Length, k];
        for (int r = 0; r < rows.Length; r++)
        {
            for (int j = 0; j < k; j++)
            {
                cross[r, j] = after.Cross[rows[r], j];
                start[r, j] = newton[rows[r], j];
            }
        }
        double[,] solved = SimplexLeastSquares.SolveRows(after.Gram, cross, lambdaMax, options.SolverTolerance, options.SolverMaxIterations, start);
        for (int r = 0; r < rows.Length; r++)
        {
            for (int j = 0; j < k; j++)
            {
                stored[rows[r], j] = solved[r, j];
            }
        }
        return stored;
    }

    internal static (BagOfWordsDocument[] Contributing, int Skipped) ValidateForgetSet(AnchorTopicModel model, IReadOnlyList<BagOfWordsDocument> forget)
    {
        if (forget.Count == 0)
        {
            throw new ArgumentException("the forget set is empty; give at least one document id to unlearn", nameof(forget));
        }
        var seen = new HashSet<int>();
        var trained = new HashSet<int>(model.DocumentIds);
        var deleted = new HashSet<int>(model.DeletedDocumentIds);
        var contributing = new List<BagOfWordsDocument>();
        int skipped = 0;
        foreach (BagOfWordsDocument d in forget)
        {
            ArgumentNullException.ThrowIfNull(d, nameof(forget));
            if (!seen.Add(d.Id))
            {
                throw new ArgumentException($"document id {d.Id} appears twice in the forget set; list each id once", nameof(forget));
            }
            if (d.Id >= model.CorpusDocumentCount)
            {
                throw new ArgumentException($"document id {d.Id} is out of range; the training corpus has ids 0 to {model.CorpusDocumentCount - 1}", nameof(forget));
            }
            if (deleted.Contains(d.Id))
            {
                throw new ArgumentException($"document {d.Id} was already unlearned from this model", nameof(forget));
            }
            if (trained.Contains(d.Id))
            {
                if (!CooccurrenceStatistics.Contributes(d))
                {
                    throw new ArgumentException($"document {d.Id} is in the model's statistics but the given copy has fewer than 2 words; pass the document as it was trained", nameof(forget));
                }
                contributing.Add(d);
            }
            else
            {
                // Fewer than 2 vocabulary words: it never entered Q, so there is nothing to remove.
                skipped++;
            }
        }
        int remaining = model.DocumentIds.Count - contributing.Count;
        if (remaining < 2)
        {
            throw new ArgumentException(
                $"the forget set removes {contributing.Count} of the {model.DocumentIds.Count} training documents, leaving {remaining}; at least 2 must remain (to forget everything, discard the model)",
                nameof(forget));
        }
        return (contributing.ToArray(), skipped);
    }

    private static double CooccurrenceChange(CooccurrenceStatistics before, CooccurrenceStatistics after)
    {
        using var scope = torch.NewDisposeScope();
        return (before.Cooccurrence() - after.Cooccurrence()).abs().sum().ToDouble();
    }

    private static (RecoveredTopics Topics, double NoiseNorm) AddNoise(CooccurrenceStatistics statistics, RecoveredTopics topics, double sigma, ulong seed)
    {
        if (sigma == 0)
        {
            return (topics, 0);
        }
        int v = topics.JointWordTopic.GetLength(0);
        int k = topics.JointWordTopic.GetLength(1);
        double[,] noise;
        using (var generator = new torch.Generator(seed))
        using (var scope = torch.NewDisposeScope())
        {
            noise = DenseMatrix.FromTensor(torch.randn([v, k], ScalarType.Float64, torch.CPU, generator: generator) * sigma);
        }
        var joint = new double[v, k];
        for (int i = 0; i < v; i++)
        {
            for (int j = 0; j < k; j++)
            {
                joint[i, j] = Math.Max(topics.JointWordTopic[i, j] + noise[i, j], 0);
            }
        }
        (double[,] topicWord, double[] prior) = TopicRecovery.NormalizeColumns(joint);
        double total = prior.Sum();
        double[] normalizedPrior = prior.Select(p => total > 0 ? p / total : 1.0 / k).ToArray();
        return (topics with
        {
            JointWordTopic = joint,
            TopicWord = topicWord,
            TopicPrior = normalizedPrior,
            TopicCooccurrence = TopicRecovery.TopicCooccurrence(statistics, topicWord),
        }, DenseMatrix.FrobeniusNorm(noise));
    }
}
