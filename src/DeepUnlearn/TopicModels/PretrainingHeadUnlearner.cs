using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using TorchSharp;
using static TorchSharp.torch;

namespace DeepUnlearn.TopicModels;

/// <summary>
/// U_head of Wei, Malladi, Arora and Sanyal 2025 (Algorithm 2, §5): unlearn <b>pre-training</b> documents
/// from a fine-tuned model without modifying the base topic model. Only the fine-tuned model
/// (B, b) (<see cref="FineTunedTopicClassifier"/>) is released, so only it receives noise.
/// </summary>
/// <remarks>
/// <para>Steps (derivation and bound: <c>docs/topic-unlearning.md</c>, §5):</para>
/// <para>(H1) Privately, the noiseless U_base update: downdate Q, Newton step with fixed anchors, Ã_u.
/// The base model and its statistics are not modified (nothing of them is released).</para>
/// <para>(H2) Re-fit the head on the task documents (those deleted from pre-training are removed from the
/// task set too) with features φ = Ã_uᵀ x̄ / (x̄ᵀp') (<see cref="TopicFeatures"/>); warm-started Newton's
/// method to convergence (the head objective is λ-strongly convex, cost independent of m).</para>
/// <para>(H3) Release B = Ã_u W_u and b = b_u plus N(0, σ_H²) on each of the (V + 1)·C entries, with
/// σ_H = Δ_H √(2 ln(1.25/δ)) / ε and Δ_H of <see cref="HeadSensitivity"/>; the normaliser n = p' goes out as
/// is (it is the same in the retrained world).</para>
/// <para>Guarantee: relative to the same fine-tuning on a base model retrained with the same anchors
/// (and to a full retrain when FastAnchorWords on the retained documents returns the same anchors,
/// which is checked). Noise lives in V·C dimensions instead of the V·K of U_base.</para>
/// </remarks>
public static class PretrainingHeadUnlearner
{
    /// <summary>
    /// Unlearns the pre-training documents <paramref name="forget"/> from the fine-tuned model made of
    /// <paramref name="model"/> and <paramref name="head"/>; neither is modified.
    /// </summary>
    /// <param name="model">The base topic model (with its private statistics).</param>
    /// <param name="head">The head, trained on <see cref="TopicFeatures"/> of <paramref name="taskDocuments"/>.</param>
    /// <param name="taskDocuments">The head's training documents (ids = <see cref="TopicClassifierHead.DocumentIds"/>).</param>
    /// <param name="taskLabels">Their class indices.</param>
    /// <param name="forget">The pre-training documents to unlearn.</param>
    /// <param name="options">ε, δ, update, noise, seed and τ.</param>
    /// <exception cref="ArgumentException">Bad forget set, task documents that do not match the head, no task document left, or a deletion the bound does not cover.</exception>
    public static PretrainingHeadUnlearningResult Unlearn(AnchorTopicModel model, TopicClassifierHead head, IReadOnlyList<BagOfWordsDocument> taskDocuments, IReadOnlyList<int> taskLabels, IReadOnlyList<BagOfWordsDocument> forget, TopicUnlearningOptions options)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(head);
        ArgumentNullException.ThrowIfNull(taskDocuments);
        ArgumentNullException.ThrowIfNull(taskLabels);
        ArgumentNullException.ThrowIfNull(forget);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var stopwatch = Stopwatch.StartNew();
        if (taskDocuments.Count != taskLabels.Count)
        {
            throw new ArgumentException($"got {taskDocuments.Count} task documents and {taskLabels.Count} labels; give one label per document", nameof(taskLabels));
        }
        if (!taskDocuments.Select(d => d.Id).Order().SequenceEqual(head.DocumentIds.Order()))
        {
            throw new ArgumentException($"the task documents ({taskDocuments.Count}) are not the head's training documents ({head.DocumentIds.Count}); pass the documents the head was trained on", nameof(taskDocuments));
        }
        if (head.TopicCount != model.TopicCount)
        {
            throw new ArgumentException($"the head takes {head.TopicCount} topic features, the model has {model.TopicCount} topics", nameof(head));
        }
        (BagOfWordsDocument[] contributing, _) = TopicModelUnlearner.ValidateForgetSet(model, forget);
        var forgetIds = new HashSet<int>(forget.Select(d => d.Id));
        int[] keep = Enumerable.Range(0, taskDocuments.Count).Where(i => !forgetIds.Contains(taskDocuments[i].Id)).ToArray();
        if (keep.Length == 0)
        {
            throw new ArgumentException("the forget set removes every task document of the head; nothing is left to fine-tune on", nameof(forget));
        }
        BagOfWordsDocument[] task = keep.Select(i => taskDocuments[i]).ToArray();
        int[] labels = keep.Select(i => taskLabels[i]).ToArray();

        TopicModelConstants constants = TopicModelConstants.Measure(model);
        TopicSensitivity baseTerms = TopicSensitivity.Compute(constants, contributing.Length);
        if (options.AddNoise && !baseTerms.IsFinite)
        {
            long? needed = TopicSensitivity.DocumentsNeededForOneDeletion(constants, options.Epsilon, options.Delta, options.UtilityTolerance, DenseMatrix.FrobeniusNorm(model.JointWordTopic));
            throw new ArgumentException(
                $"deleting {contributing.Length} of {constants.DocumentCount} documents is beyond what the sensitivity bound covers for this model (λ − g ≤ 0, so the base bound Δ and the head's Δ_H are infinite); "
                + $"a base model with these constants would need {(needed is long n ? n.ToString("N0", CultureInfo.InvariantCulture) : "more than 10^15")} training documents for U_base's capacity to reach one deletion. "
                + "Delete fewer documents per request, retrain, or run without noise (not certified)",
                nameof(forget));
        }

        using CooccurrenceStatistics retained = model.Statistics.Clone();
        retained.Remove(contributing);
        (double[,] released, _, int exactWords, RecoveryInputs after) = TopicModelUnlearner.NoiselessUpdate(model, retained, options.Update);
        double[,] joint = TopicRecovery.Assemble(retained, released, after.WordProbability).JointWordTopic;
        double[][] features = TopicFeatures.Compute(joint, task);
        TopicClassifierHead refit = TopicClassifierHead.Train(features, labels, head.ClassNames, head.Lambda, task.Select(d => d.Id).ToArray(), TopicFeatures.Bound, head.Weights);
        FineTunedTopicClassifier noiseless = FineTunedTopicClassifier.Compose(joint, refit);

        double[] gains = task.Select(d => HeadSensitivity.FeatureGain(d, after.WordProbability)).ToArray();
        HeadSensitivity sensitivity = HeadSensitivity.Compute(baseTerms, head.Lambda, head.ClassCount, gains);
        double sigma = options.AddNoise ? GaussianMechanism.NoiseStd(sensitivity.Bound, options.Epsilon, options.Delta) : 0;
        (FineTunedTopicClassifier noisy, double noiseNorm) = AddNoise(noiseless, sigma, options.Seed);

        double releaseNorm = FineTunedTopicClassifier.Compose(model.JointWordTopic, head).Norm();
        double[] wordProbability = WordProbability(model.Statistics);
        double[] allGains = taskDocuments.Select(d => HeadSensitivity.FeatureGain(d, wordProbability)).ToArray();
        int capacity = HeadSensitivity.DeletionCapacity(constants, head.Lambda, head.ClassCount, allGains, options.Epsilon, options.Delta, options.UtilityTolerance, releaseNorm);
        int baseCapacity = TopicSensitivity.DeletionCapacity(constants, options.Epsilon, options.Delta, options.UtilityTolerance, DenseMatrix.FrobeniusNorm(model.JointWordTopic));
        var anchorWatch = Stopwatch.StartNew();
        int[]? reselected = options.CheckAnchors && retained.WordDocumentCounts is not null ? TopicModelUnlearner.ReselectAnchors(retained, model.Options) : null;
        TimeSpan anchorCheck = options.CheckAnchors ? anchorWatch.Elapsed : TimeSpan.Zero;
        bool? unchanged = reselected?.SequenceEqual(model.Anchors);

        return new PretrainingHeadUnlearningResult
        {
            FineTuned = noisy,
            Head = refit,
            DeletedCount = contributing.Length,
            TaskDocumentsRemoved = taskDocuments.Count - keep.Length,
            Constants = constants,
            BaseSensitivity = baseTerms,
            Sensitivity = sensitivity,
            NoiseStd = sigma,
            NoiseAdded = options.AddNoise,
            NoiseNorm = noiseNorm,
            Regime = options.Regime,
            DeletionCapacity = capacity,
            BaseDeletionCapacity = baseCapacity,
            ExactWords = exactWords,
            ReselectedAnchors = reselected,
            AnchorsUnchanged = unchanged,
            Guarantee = DescribeGuarantee(model, options, sigma, constants.DocumentCount - contributing.Length, task.Length, reselected, unchanged),
            AnchorCheckElapsed = anchorCheck,
            Elapsed = stopwatch.Elapsed,
        };
    }

    private static string DescribeGuarantee(AnchorTopicModel model, TopicUnlearningOptions options, double sigma, int retained, int taskCount, IReadOnlyList<int>? reselected, bool? unchanged)
    {
        if (!options.AddNoise)
        {
            return "not certified: no noise was added (diagnostic run)";
        }
        string eps = options.Epsilon.ToString("G4", CultureInfo.InvariantCulture);
        string del = options.Delta.ToString("G4", CultureInfo.InvariantCulture);
        return $"({eps}, {del})-unlearning of the pre-training documents for the released fine-tuned model (B, b) only, relative to the same fine-tuning "
            + $"(the head objective on the {taskCount} remaining task documents) over a base model retrained on the {retained} retained documents with the same anchor words, "
            + $"plus the same Gaussian noise (σ = {sigma.ToString("G4", CultureInfo.InvariantCulture)} per entry). "
            + "The base topic model is not modified: it still reflects the deleted documents and is not covered, so it must not be released. "
            + TopicModelUnlearner.RegimeSentence(options) + TopicModelUnlearner.AnchorSentence(model, reselected, unchanged) + TopicModelUnlearner.ConstantsSentence;
    }

    private static double[] WordProbability(CooccurrenceStatistics statistics)
    {
        using var scope = torch.NewDisposeScope();
        return DenseMatrix.ToArray(statistics.Cooccurrence().sum(1));
    }

    private static (FineTunedTopicClassifier Model, double NoiseNorm) AddNoise(FineTunedTopicClassifier model, double sigma, ulong seed)
    {
        if (sigma == 0)
        {
            return (model, 0);
        }
        int v = model.WordWeights.GetLength(0);
        int c = model.WordWeights.GetLength(1);
        double[] noise;
        using (var generator = new torch.Generator(seed))
        using (var scope = torch.NewDisposeScope())
        {
            noise = DenseMatrix.ToArray(torch.randn([(v + 1) * c], ScalarType.Float64, torch.CPU, generator: generator) * sigma);
        }
        var weights = new double[v, c];
        for (int i = 0; i < v; i++)
        {
            for (int l = 0; l < c; l++)
            {
                weights[i, l] = model.WordWeights[i, l] + noise[(i * c) + l];
            }
        }
        double[] bias = model.Bias.Select((b, l) => b + noise[(v * c) + l]).ToArray();
        return (new FineTunedTopicClassifier(weights, bias, model.Normalizer, model.ClassNames), Math.Sqrt(noise.Sum(x => x * x)));
    }
}
