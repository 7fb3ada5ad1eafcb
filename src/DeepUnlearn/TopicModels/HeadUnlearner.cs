using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using TorchSharp;
using static TorchSharp.torch;

namespace DeepUnlearn.TopicModels;

/// <summary>
/// U_head (Wei et al. 2025, Algorithm 2, here for documents of the downstream task): unlearns documents
/// from the linear head only, keeping the topic model fixed, by the Newton-step removal of Sekhari et al.
/// 2021 ("Remember what you want to forget") with Gaussian noise.
/// </summary>
/// <remarks>
/// <para>With f(W; z) = CE(W; z) + (λ/2)‖W‖² (λ-strongly convex), Ŵ the minimiser on the m training
/// documents and U the m_U deleted ones:</para>
/// <para>(H1) Ĥ = (1/(m − m_U)) (Σ_{S} ∇²CE(Ŵ) − Σ_{U} ∇²CE(Ŵ)) + λ I  (stored Hessian sum, downdated);</para>
/// <para>(H2) W̄ = Ŵ + (1/(m − m_U)) Ĥ⁻¹ Σ_{z∈U} ∇f(Ŵ; z)  (one Newton step on the retained risk);</para>
/// <para>(H3) W̃ = W̄ + N(0, σ² I), σ = γ √(2 ln(1.25/δ)) / ε, γ = 2 M L² m_U² / (λ³ m²), the bound on
/// ‖W̄ − W_retrained‖ for L-Lipschitz, M-Hessian-Lipschitz losses. For the softmax cross-entropy on
/// x = [θ; 1] with θ on the simplex, ‖x‖ ≤ √2: the loss gradient x(s − e_y)ᵀ has norm ≤ √2·√2 = 2, so
/// f is L = 4-Lipschitz on the ball ‖W‖ ≤ 2/λ holding the minimisers; the log-sum-exp Hessian is
/// 6-Lipschitz in the logits, so M = 6 ‖x‖³ = 12√2.</para>
/// <para>The cost is O(m_U P² + P³) for P = (K+1)·C parameters, independent of m. The topic model is not
/// touched: the head's features come from the unchanged A.</para>
/// </remarks>
public static class HeadUnlearner
{
    /// <summary>Lipschitz constant L of f on the minimisers' ball (see remarks).</summary>
    public const double Lipschitz = 4.0;

    /// <summary>Hessian-Lipschitz constant M = 6 ‖x‖³ with ‖x‖ = √2.</summary>
    public static double HessianLipschitz { get; } = 12 * Math.Sqrt(2);

    /// <summary>γ of (H3).</summary>
    public static double SensitivityBound(int trainingCount, int deletedCount, double lambda) =>
        2 * HessianLipschitz * Lipschitz * Lipschitz * deletedCount * (double)deletedCount / (lambda * lambda * lambda * trainingCount * (double)trainingCount);

    /// <summary>
    /// Removes the documents <paramref name="forgetIds"/> (with their topic proportions and labels) from
    /// <paramref name="head"/>; ε, δ, noise and seed come from <paramref name="options"/>.
    /// </summary>
    /// <exception cref="ArgumentException">Empty, duplicate, unknown ids, or the whole training set.</exception>
    public static HeadUnlearningResult Unlearn(TopicClassifierHead head, IReadOnlyList<int> forgetIds, IReadOnlyList<double[]> forgetTopics, IReadOnlyList<int> forgetLabels, TopicUnlearningOptions options)
    {
        ArgumentNullException.ThrowIfNull(head);
        ArgumentNullException.ThrowIfNull(forgetIds);
        ArgumentNullException.ThrowIfNull(forgetTopics);
        ArgumentNullException.ThrowIfNull(forgetLabels);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var stopwatch = Stopwatch.StartNew();
        ValidateForgetSet(head, forgetIds, forgetTopics, forgetLabels);
        int m = head.TrainingCount;
        int mU = forgetIds.Count;
        int retained = m - mU;
        int p = head.Weights.Length;
        int c = head.ClassCount;

        var hessianSum = (double[,])head.HessianSum.clone();
        var gradient = new double[p];
        for (int d = 0; d < mU; d++)
        {
            double[] x = TopicClassifierHead.Features(forgetTopics[d]);
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

        double gamma = SensitivityBound(m, mU, head.Lambda);
        double sigma = options.AddNoise ? GaussianMechanism.NoiseStd(gamma, options.Epsilon, options.Delta) : 0;
        if (sigma > 0)
        {
            using var generator = new Generator(options.Seed);
            using var scope = torch.NewDisposeScope();
            double[] noise = (torch.randn([p], ScalarType.Float64, torch.CPU, generator) * sigma).ToArray<double>();
            weights = TopicClassifierHead.Add(weights, noise, 1);
        }
        var removed = new HashSet<int>(forgetIds);
        var unlearned = new TopicClassifierHead(weights, head.Lambda, retained, hessianSum, head.ClassNames, head.DocumentIds.Where(id => !removed.Contains(id)).ToArray());
        return new HeadUnlearningResult
        {
            Head = unlearned,
            DeletedCount = mU,
            Sensitivity = gamma,
            NoiseStd = sigma,
            NoiseAdded = options.AddNoise,
            Elapsed = stopwatch.Elapsed,
        };
    }

    private static void ValidateForgetSet(TopicClassifierHead head, IReadOnlyList<int> ids, IReadOnlyList<double[]> topics, IReadOnlyList<int> labels)
    {
        if (ids.Count == 0)
        {
            throw new ArgumentException("the forget set is empty; give at least one document id to unlearn", nameof(ids));
        }
        if (topics.Count != ids.Count || labels.Count != ids.Count)
        {
            throw new ArgumentException($"got {ids.Count} ids, {topics.Count} topic vectors and {labels.Count} labels; give one of each per document", nameof(ids));
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
