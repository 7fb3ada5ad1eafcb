using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using TorchSharp;
using static TorchSharp.torch;

namespace DeepUnlearn.TopicModels;

/// <summary>
/// U_base of Wei, Malladi, Arora and Sanyal, "Provable unlearning in topic modeling and downstream
/// tasks" (ICLR 2025, Algorithm 1): delete documents from an anchor-word topic model by downdating the
/// co-occurrence statistics, updating p(topic | word) with the anchors fixed, and adding Gaussian noise
/// calibrated for (ε, δ)-unlearning in the sense of Sekhari et al. 2021 (the output must be
/// indistinguishable from the same procedure run with no deletion on the model retrained without the
/// documents).
/// </summary>
/// <remarks>
/// <para>Steps, with m documents, m_U deleted, K topics, V words, anchors S:</para>
/// <para>(U1) Downdate: Q' = (m Q − Σ_{d∈S_f} Q_d) / (m − m_U). Because every Q_d is a non-negative
/// matrix of total mass 1, ‖Q − Q'‖₁ ≤ η := 2 m_U / m (entrywise L1).</para>
/// <para>(U2) Update, anchors fixed: with G = Q̄_S Q̄_Sᵀ and B = Q̄ Q̄_Sᵀ before, G', B' after the
/// downdate, each word's RecoverL2 objective f_i(c) = ‖Q̄_i − cᵀQ̄_S‖² has Hessian 2G; the Newton step from
/// the stored solution with the stored Hessian on the change of the objective is
/// C_i ← Π_Δ(C_i − G⁻¹((G' − G) C_i − (B'_i − B_i))), projected onto the simplex
/// (<see cref="TopicUnlearningUpdate.NewtonStep"/>); or every problem is re-solved
/// (<see cref="TopicUnlearningUpdate.ExactRecovery"/>). Then Ã = diag(p') C and A by Bayes' rule.</para>
/// <para>(U3) Sensitivity. Noise goes on the joint matrix Ã = diag(p(w)) C (the weighting by p(w) cancels
/// the 1/p(w) blow-up of row normalisation for rare words). Following the paper's proof route (the
/// perturbation of Q moves the anchor rows and every word's row, and the strongly convex per-word
/// problems move by at most gradient change / strong convexity), we bound the distance of the update to
/// the exact fixed-anchor solution on the retained documents by
/// <code>
///   Δ = 2 η [ (2√K + 1) · 2 / p_S + 2√K ] / λ_min(G)
/// </code>
/// where p_S = min_{s∈S} p(w = s) and λ_min(G) = σ_min(Q̄_S)². The terms: ‖Q̄_S − Q̄'_S‖_F ≤ 2η / p_S (row
/// normalisation, the worst case being deleted documents made of anchor words, which is why the
/// capacity depends on p_S); Σ_i p'_i ‖Q̄_i − Q̄'_i‖₁ ≤ 2η; ‖Q̄_S‖₂ ≤ √K; strong convexity 2 λ_min(G)
/// of the original problems bounds ‖C_i − C'_i‖; the Newton step adds the same amount again (factor 2).
/// The paper states its bound with model constants (p, γ) and the rate of Theorem 1; the constants here
/// are our own, made explicit so the noise can be computed.</para>
/// <para>(U4) Noise: Ã ← Ã + N(0, σ² I_{V×K}) with σ = Δ √(2 ln(1.25/δ)) / ε (Gaussian mechanism,
/// Lemma 1 of the paper); A = columns of max(Ã, 0) normalised (post-processing).</para>
/// <para>(U5) Deletion capacity: the largest m_U whose expected noise norm σ √(V K) is at most τ ‖Ã‖_F,
/// m_U* = ⌊ τ ‖Ã‖_F ε λ_min(G) m / (4 [(2√K+1) 2/p_S + 2√K] √(2 ln(1.25/δ)) √(V K)) ⌋; it scales like
/// the paper's m / (K² √(V K)) up to the model constants.</para>
/// <para>Cost: the downdate is O(Σ_f u_f²) for the deleted documents' distinct words u_f; recomputing G,
/// B is O(V² K); the update O(V K²): none depends on the number of training documents. The guarantee is
/// relative to retraining with the same anchors; re-selecting anchors on the retained corpus usually
/// returns the same anchors when they are well separated (the separability assumption of the paper).</para>
/// </remarks>
public static class TopicModelUnlearner
{
    /// <summary>Deletes <paramref name="forget"/> from <paramref name="model"/> (which is not modified).</summary>
    /// <exception cref="ArgumentException">The forget set is empty, has duplicates or unknown ids, or covers the whole corpus.</exception>
    /// <exception cref="ArgumentOutOfRangeException">ε or δ is out of range.</exception>
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

        RecoveryInputs before = TopicRecovery.Prepare(model.Statistics, model.Anchors);
        CooccurrenceStatistics statistics = model.Statistics.clone();
        try
        {
            int removed = statistics.Remove(contributing);
            double change = CooccurrenceChange(model.Statistics, statistics);
            RecoveryInputs after = TopicRecovery.Prepare(statistics, model.Anchors);
            (double lambdaMin, _) = DenseMatrix.EigenvalueRange(before.Gram);
            double[,] wordTopic = options.Update == TopicUnlearningUpdate.NewtonStep
                ? NewtonStep(model.WordTopic, before, after)
                : SimplexLeastSquares.SolveRows(after.Gram, after.Cross, DenseMatrix.EigenvalueRange(after.Gram).Max, model.Options.SolverTolerance, model.Options.SolverMaxIterations, model.WordTopic);
            RecoveredTopics noiseless = TopicRecovery.Assemble(statistics, wordTopic, after.WordProbability);

            double minAnchorProbability = model.Anchors.Min(a => before.WordProbability[a]);
            double sensitivity = SensitivityBound(m, removed, k, minAnchorProbability, lambdaMin);
            double sigma = options.AddNoise ? GaussianMechanism.NoiseStd(sensitivity, options.Epsilon, options.Delta) : 0;
            (RecoveredTopics released, double noiseNorm) = AddNoise(statistics, noiseless, sigma, options.Seed);
            int capacity = DeletionCapacity(m, k, v, minAnchorProbability, lambdaMin, options.Epsilon, options.Delta, options.UtilityTolerance, DenseMatrix.FrobeniusNorm(noiseless.JointWordTopic));

            var removedIds = new HashSet<int>(forget.Select(d => d.Id));
            var result = new AnchorTopicModel(
                model.Vocabulary,
                model.Options,
                model.Anchors,
                released with { WordTopic = wordTopic },
                statistics,
                model.DocumentIds.Where(id => !removedIds.Contains(id)).ToArray(),
                model.DeletedDocumentIds.Concat(removedIds).Order().ToArray(),
                model.CorpusDocumentCount);
            return new TopicUnlearningResult
            {
                Model = result,
                DocumentCountBefore = m,
                DeletedCount = removed,
                SkippedCount = skipped,
                CooccurrenceChange = change,
                MinAnchorProbability = minAnchorProbability,
                GramMinEigenvalue = lambdaMin,
                Sensitivity = sensitivity,
                NoiseStd = sigma,
                NoiseAdded = options.AddNoise,
                DeletionCapacity = capacity,
                PaperCapacityRate = m / (k * (double)k * Math.Sqrt((double)v * k)),
                NoiseNorm = noiseNorm,
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
    /// Δ of (U3): 2 η [(2√K + 1) · 2/p_S + 2√K] / λ_min(G) with η = 2 m_U / m.
    /// </summary>
    public static double SensitivityBound(int documentCount, int deletedCount, int topicCount, double minAnchorProbability, double gramMinEigenvalue)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(documentCount, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(deletedCount);
        ArgumentOutOfRangeException.ThrowIfLessThan(topicCount, 1);
        if (!(minAnchorProbability > 0) || !(gramMinEigenvalue > 0))
        {
            return double.PositiveInfinity;
        }
        double eta = 2.0 * deletedCount / documentCount;
        return 2 * eta * Kappa(topicCount, minAnchorProbability) / gramMinEigenvalue;
    }

    /// <summary>m_U* of (U5): the largest deletion count whose expected noise norm σ √(V K) stays within τ ‖Ã‖_F.</summary>
    public static int DeletionCapacity(int documentCount, int topicCount, int vocabularySize, double minAnchorProbability, double gramMinEigenvalue, double epsilon, double delta, double tolerance, double jointNorm)
    {
        GaussianMechanism.Validate(epsilon, delta);
        if (!(minAnchorProbability > 0) || !(gramMinEigenvalue > 0))
        {
            return 0;
        }
        double perDeletion = 4 * Kappa(topicCount, minAnchorProbability) / (gramMinEigenvalue * documentCount)
            * Math.Sqrt(2 * Math.Log(1.25 / delta)) / epsilon * Math.Sqrt((double)vocabularySize * topicCount);
        double capacity = Math.Floor(tolerance * jointNorm / perDeletion);
        return (int)Math.Clamp(capacity, 0, Math.Max(0, documentCount - 2));
    }

    private static double Kappa(int topicCount, double minAnchorProbability)
    {
        double rootK = Math.Sqrt(topicCount);
        return ((2 * rootK) + 1) * 2 / minAnchorProbability + (2 * rootK);
    }

    private static (BagOfWordsDocument[] Contributing, int Skipped) ValidateForgetSet(AnchorTopicModel model, IReadOnlyList<BagOfWordsDocument> forget)
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

    private static double[,] NewtonStep(double[,] wordTopic, RecoveryInputs before, RecoveryInputs after)
    {
        int v = wordTopic.GetLength(0);
        int k = wordTopic.GetLength(1);
        using var scope = torch.NewDisposeScope();
        Tensor c = DenseMatrix.ToTensor(wordTopic);
        Tensor deltaGram = DenseMatrix.ToTensor(after.Gram) - DenseMatrix.ToTensor(before.Gram);
        Tensor deltaCross = DenseMatrix.ToTensor(after.Cross) - DenseMatrix.ToTensor(before.Cross);
        // Rows: ΔG c_i − Δb_i (G symmetric), then G⁻¹ applied to each: solve G Xᵀ = Dᵀ.
        Tensor gradientChange = c.mm(deltaGram) - deltaCross;
        Tensor step = Linalg.Solve(DenseMatrix.ToTensor(before.Gram), gradientChange.T()).T();
        double[,] updated = DenseMatrix.FromTensor(c - step);
        var row = new double[k];
        for (int i = 0; i < v; i++)
        {
            for (int j = 0; j < k; j++)
            {
                row[j] = updated[i, j];
            }
            // Projection onto the simplex is non-expansive and the retrained C'_i lies in it, so it can only
            // bring the update closer (the bound of (U3) still holds).
            SimplexLeastSquares.ProjectOntoSimplex(row);
            for (int j = 0; j < k; j++)
            {
                updated[i, j] = row[j];
            }
        }
        return updated;
    }

    private static double CooccurrenceChange(CooccurrenceStatistics before, CooccurrenceStatistics after)
    {
        using var scope = torch.NewDisposeScope();
        return (before.Cooccurrence() - after.Cooccurrence()).abs().Sum().ToDouble();
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
        using (var generator = new Generator(seed))
        using (var scope = torch.NewDisposeScope())
        {
            noise = DenseMatrix.FromTensor(torch.randn([v, k], ScalarType.Float64, torch.CPU, generator) * sigma);
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
