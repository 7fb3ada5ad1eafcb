using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using TorchSharp;
using static TorchSharp.torch;

namespace DeepUnlearn.TopicModels;

/// <summary>
/// Removes documents of the downstream task's own training set (labelled documents the head was fitted
/// on) from the classifier head, keeping the topic model fixed, by the Newton-step removal of Sekhari et
/// al. 2021 ("Remember what you want to forget", Algorithm 1) with Gaussian noise. This is not the
/// paper's U_head, which unlearns pre-training documents (<see cref="PretrainingHeadUnlearner"/>).
/// </summary>
/// <remarks>
/// <para>With f(W; z) = CE(W; z) + (λ/2)‖W‖² (λ-strongly convex), Ŵ the minimiser on the m training
/// documents and U the m_U deleted ones:</para>
/// <para>(H1) Ĥ = (1/(m − m_U)) (Σ_{S} ∇²CE(Ŵ) − Σ_{U} ∇²CE(Ŵ)) + λ I  (stored Hessian sum, downdated);</para>
/// <para>(H2) W̄ = Ŵ + (1/(m − m_U)) Ĥ⁻¹ Σ_{z∈U} ∇f(Ŵ; z)  (one Newton step on the retained risk);</para>
/// <para>(H3) W̃ = W̄ + N(0, σ² I), σ = γ √(2 ln(1.25/δ)) / ε, γ = 2 M L² m_U² / (λ³ m²), the bound on
/// ‖W̄ − W_retrained‖ for L-Lipschitz, M-Hessian-Lipschitz losses. With R = <see cref="TopicClassifierHead.FeatureBound"/>
/// ≥ ‖x‖ for x = [φ; 1]: the loss gradient x(s − e_y)ᵀ has norm ≤ √2 R, the minimisers lie in ‖W‖ ≤ √2 R/λ,
/// so f is L = 2√2 R-Lipschitz there; the log-sum-exp Hessian is 6-Lipschitz in the logits, so M = 6 R³.</para>
/// <para>The cost is O(m_U P² + P³) for P = (K+1)·C parameters, independent of m. The topic model is not
/// touched: the head's features come from the unchanged Ã.</para>
/// </remarks>
public static class DownstreamDocumentUnlearner
{
    /// <summary>Lipschitz constant L = 2√2 R of f on the minimisers' ball (see remarks).</summary>
    public static double Lipschitz(double featureBound) => 2 * Math.Sqrt(2) * featureBound;

    /// <summary>Hessian-Lipschitz constant M = 6 R³.</summary>
    public static double HessianLipschitz(double featureBound) => 6 * featureBound * featureBound * featureBound;

    /// <summary>γ of (H3) for features bounded by <paramref name="featureBound"/>.</summary>
    public static double SensitivityBound(int trainingCount, int deletedCount, double lambda, double featureBound)
    {
        double l = Lipschitz(featureBound);
        return 2 * HessianLipschitz(featureBound) * l * l * deletedCount * (double)deletedCount / (lambda * lambda * lambda * trainingCount * (double)trainingCount);
    }

    /// <summary>
    /// Removes the documents <paramref name="forgetIds"/> (with their topic features and labels) from
    /// <paramref name="head"/>; ε, δ, noise and seed come from <paramref name="options"/>.
    /// </summary>
    /// <exception cref="ArgumentException">Empty, duplicate, unknown ids, or the whole training set.</exception>
    public static DownstreamDocumentUnlearningResult Unlearn(TopicClassifierHead head, IReadOnlyList<int> forgetIds, IReadOnlyList<double[]> forgetFeatures, IReadOnlyList<int> forgetLabels, TopicUnlearningOptions options)
    {
        ArgumentNullException.ThrowIfNull(head);
        ArgumentNullException.ThrowIfNull(forgetIds);
        ArgumentNullException.ThrowIfNull(forgetFeatures);
        ArgumentNullException.ThrowIfNull(forgetLabels);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var stopwatch = Stopwatch.StartNew();
        ValidateForgetSet(head, forgetIds, forgetFeatures, forgetLabels);
        int m = head.TrainingCount;
        int mU = forgetIds.Count;
        int retained = m - mU;
        int p = head.Weights.Length;
        int c = head.ClassCount;

        var hessianSum = (double[,])head.HessianSum.Clone();
        var gradient = new double[p];
        for (int d = 0; d < mU; d++)
        {
            double[] x = TopicClassifierHead.Features(forgetFeatures[d]);
            TopicClassifierHead.AddLossHessian(head.Weights, x, hessianSum, -1);
            double[] g = TopicClassifierHead.LossGradient(head.Weights, x, forgetLabels[d]);
            for (int i = 0; i < p; i++)
            {
                gradient[i] += g[i] + (head.Lambda * head.Weights[i / c, i % c]);
            }
        }
        var hessian = new double[p, p];
        for (int i = 0; i < p; i++)
        {
            for (int j = 0; j < p; j++)
            {
                hessian[i, j] = hessianSum[i, j] / retained;
            }
            hessian[i, i] += head.Lambda;
        }
        double[] step = TopicClassifierHead.Solve(hessian, gradient);
        double[,] weights = TopicClassifierHead.Add(head.Weights, step, 1.0 / retained);

        double gamma = SensitivityBound(m, mU, head.Lambda, head.FeatureBound);
        double sigma = options.AddNoise ? GaussianMechanism.NoiseStd(gamma, options.Epsilon, options.Delta) : 0;
        if (sigma > 0)
        {
            using var generator = new torch.Generator(options.Seed);
            using var scope = torch.NewDisposeScope();
            double[] noise = DenseMatrix.ToArray(torch.randn([p], ScalarType.Float64, torch.CPU, generator: generator) * sigma);
            weights = TopicClassifierHead.Add(weights, noise, 1);
        }
        var removed = new HashSet<int>(forgetIds);
        var unlearned = new TopicClassifierHead(weights, head.Lambda, retained, hessianSum, head.ClassNames, head.DocumentIds.Where(id => !removed.Contains(id)).ToArray(), head.FeatureBound);
        return new DownstreamDocumentUnlearningResult
        {
            Head = unlearned,
            DeletedCount = mU,
            Sensitivity = gamma,
            NoiseStd = sigma,
            NoiseAdded = options.AddNoise,
            Elapsed = stopwatch.Elapsed,
        };
    }

    private static void ValidateForgetSet(TopicClassifierHead head, IReadOnlyList<int> ids, IReadOnlyList<double[]> features, IReadOnlyList<int> labels)
    {
        if (ids.Count == 0)
        {
            throw new ArgumentException("the forget set is empty; give at least one document id to unlearn", nameof(ids));
        }
        if (features.Count != ids.Count || labels.Count != ids.Count)
        {
            throw new ArgumentException($"got {ids.Count} ids, {features.Count} feature vectors and {labels.Count} labels; give one of each per document", nameof(ids));
        }
        var known = new HashSet<int>(head.DocumentIds);
        var seen = new HashSet<int>();
        for (int d = 0; d < ids.Count; d++)
        {
            if (!seen.Add(ids[d]))
            {
                throw new ArgumentException($"document id {ids[d]} appears twice in the forget set; list each id once", nameof(ids));
            }
            if (!known.Contains(ids[d]))
            {
                throw new ArgumentException($"document {ids[d]} is not a training document of the head (it has {head.DocumentIds.Count} documents, ids {head.DocumentIds.FirstOrDefault()} to {head.DocumentIds.LastOrDefault()})", nameof(ids));
            }
            if (labels[d] < 0 || labels[d] >= head.ClassCount)
            {
                throw new ArgumentOutOfRangeException(nameof(labels), labels[d], $"labels must be class indices in [0, {head.ClassCount - 1}]");
            }
        }
        if (head.TrainingCount - ids.Count < 1)
        {
            throw new ArgumentException($"the forget set covers all {head.TrainingCount} training documents of the head; at least 1 must remain", nameof(ids));
        }
    }
}
