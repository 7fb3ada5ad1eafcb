using System.Collections.Generic;
using System.Linq;
using TorchSharp;
using static TorchSharp.torch;

namespace DeepUnlearn.TopicModels;

/// <summary>What RecoverL2 needs from Q for fixed anchors S (all small: V or V×K or K×K).</summary>
/// <param name="WordProbability">p(w) = Q 1 (V).</param>
/// <param name="Gram">G = Q̄_S Q̄_Sᵀ (K×K): half the Hessian of every per-word objective.</param>
/// <param name="Cross">B = Q̄ Q̄_Sᵀ (V×K): row i is the linear term of word i's objective.</param>
internal sealed record RecoveryInputs(double[] WordProbability, double[,] Gram, double[,] Cross);

/// <summary>The outputs of RecoverL2 for one Q and anchor set.</summary>
internal sealed record RecoveredTopics(double[,] WordTopic, double[,] JointWordTopic, double[,] TopicWord, double[] TopicPrior, double[,] TopicCooccurrence);

/// <summary>
/// RecoverL2 (Arora et al. 2013, Algorithm 3): with Q̄ the row-normalised co-occurrence matrix and S the
/// anchors, each word's row is written as the convex combination of anchor rows closest in L2,
/// C_i = argmin_{c ∈ Δ_K} ‖Q̄_i − cᵀ Q̄_S‖², so C_ik = p(z = k | w = i); Bayes' rule gives
/// A_ik = p(w = i | z = k) ∝ C_ik p(w = i), and R = A⁺ Q A⁺ᵀ is the topic-topic matrix.
/// </summary>
internal static class TopicRecovery
{
    /// <summary>Computes p(w), G and B from the statistics (matrix products on the statistics' device).</summary>
    public static RecoveryInputs Prepare(CooccurrenceStatistics statistics, IReadOnlyList<int> anchors)
    {
        using var scope = torch.NewDisposeScope();
        Tensor q = statistics.Cooccurrence();
        Tensor p = q.sum(1);
        Tensor qbar = RowNormalize(q, p);
        Tensor x = qbar.index_select(0, AnchorIndex(anchors, q.device));
        double[,] gram = DenseMatrix.FromTensor(x.mm(x.t()));
        double[,] cross = DenseMatrix.FromTensor(qbar.mm(x.t()));
        return new RecoveryInputs(DenseMatrix.ToArray(p), gram, cross);
    }

    /// <summary>Q̄: rows of Q divided by their sums; rows with zero sum stay zero.</summary>
    public static Tensor RowNormalize(Tensor q, Tensor rowSums) =>
        q / rowSums.clamp(min: double.Epsilon).unsqueeze(1);

    /// <summary>Solves every word's simplex problem (optionally warm-started) and applies Bayes' rule.</summary>
    public static RecoveredTopics Recover(CooccurrenceStatistics statistics, IReadOnlyList<int> anchors, AnchorTopicModelOptions options, double[,]? start = null)
    {
        RecoveryInputs inputs = Prepare(statistics, anchors);
        (_, double lambdaMax) = DenseMatrix.EigenvalueRange(inputs.Gram);
        double[,] wordTopic = SimplexLeastSquares.SolveRows(inputs.Gram, inputs.Cross, lambdaMax, options.SolverTolerance, options.SolverMaxIterations, start);
        return Assemble(statistics, wordTopic, inputs.WordProbability);
    }

    /// <summary>From C = p(z|w) and p(w): Ã = diag(p(w)) C, A = Ã with unit column sums, p(z), and R.</summary>
    public static RecoveredTopics Assemble(CooccurrenceStatistics statistics, double[,] wordTopic, double[] wordProbability)
    {
        int v = wordTopic.GetLength(0);
        int k = wordTopic.GetLength(1);
        var joint = new double[v, k];
        for (int i = 0; i < v; i++)
        {
            for (int j = 0; j < k; j++)
            {
                joint[i, j] = wordProbability[i] * wordTopic[i, j];
            }
        }
        (double[,] topicWord, double[] prior) = NormalizeColumns(joint);
        double[,] r = TopicCooccurrence(statistics, topicWord);
        return new RecoveredTopics(wordTopic, joint, topicWord, prior, r);
    }

    /// <summary>Columns of a non-negative V×K matrix scaled to sum to 1 (an all-zero column becomes uniform), and the column sums.</summary>
    public static (double[,] Normalized, double[] Sums) NormalizeColumns(double[,] joint)
    {
        int v = joint.GetLength(0);
        int k = joint.GetLength(1);
        var sums = new double[k];
        for (int i = 0; i < v; i++)
        {
            for (int j = 0; j < k; j++)
            {
                sums[j] += joint[i, j];
            }
        }
        var a = new double[v, k];
        for (int i = 0; i < v; i++)
        {
            for (int j = 0; j < k; j++)
            {
                a[i, j] = sums[j] > 0 ? joint[i, j] / sums[j] : 1.0 / v;
            }
        }
        return (a, sums);
    }

    /// <summary>R = A⁺ Q A⁺ᵀ (K×K).</summary>
    public static double[,] TopicCooccurrence(CooccurrenceStatistics statistics, double[,] topicWord)
    {
        using var scope = torch.NewDisposeScope();
        Tensor a = DenseMatrix.ToTensor(topicWord, statistics.Device);
        Tensor pinv = torch.linalg.pinv(a);
        Tensor q = statistics.Cooccurrence();
        return DenseMatrix.FromTensor(pinv.mm(q).mm(pinv.t()));
    }

    public static Tensor AnchorIndex(IReadOnlyList<int> anchors, Device device) =>
        torch.tensor(anchors.Select(a => (long)a).ToArray(), ScalarType.Int64, device);
}
