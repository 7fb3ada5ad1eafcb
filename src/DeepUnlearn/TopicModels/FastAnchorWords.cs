using System;
using System.Collections.Generic;
using System.Linq;
using TorchSharp;
using static TorchSharp.torch;

namespace DeepUnlearn.TopicModels;

/// <summary>
/// Anchor selection of Arora et al. 2013, Algorithm 4 (FastAnchorWords): the rows of the row-normalised
/// co-occurrence matrix Q̄ are points whose convex hull has the anchor rows as vertices; pick K of them by
/// greedy farthest-point Gram–Schmidt, optionally after a random projection of the rows, then run the
/// clean-up pass that replaces each anchor by the point farthest from the affine hull of the others.
/// </summary>
/// <remarks>
/// The greedy phase works in the affine hull, as the authors' reference code does: the first anchor is
/// the row farthest from the origin, all rows are translated so that it becomes the origin, and each
/// next anchor is the candidate with the largest residual after projecting out the directions already
/// chosen. Only candidate words (those in enough documents, so that their rows are well estimated) may
/// be anchors.
/// </remarks>
public static class FastAnchorWords
{
    /// <summary>
    /// Selects <paramref name="topicCount"/> anchor word ids among <paramref name="candidates"/>.
    /// </summary>
    /// <param name="rowNormalized">Q̄, V×V float64.</param>
    /// <param name="topicCount">K.</param>
    /// <param name="candidates">Word ids allowed as anchors (at least K).</param>
    /// <param name="projectionDimension">If positive and below V, project the rows onto this many random
    /// Gaussian directions first (Arora et al. 2013 use 4 log V / ε² dimensions).</param>
    /// <param name="seed">Seed of the random projection.</param>
    /// <param name="cleanup">Run the clean-up pass (step 5 of Algorithm 4).</param>
    public static int[] Select(Tensor rowNormalized, int topicCount, IReadOnlyList<int> candidates, int projectionDimension = 0, ulong seed = 0, bool cleanup = true)
    {
        ArgumentNullException.ThrowIfNull(rowNormalized);
        ArgumentNullException.ThrowIfNull(candidates);
        ArgumentOutOfRangeException.ThrowIfLessThan(topicCount, 1);
        if (candidates.Count < topicCount)
        {
            throw new ArgumentException($"{candidates.Count} anchor candidates cannot give {topicCount} anchors; need at least one candidate per topic", nameof(candidates));
        }
        using var scope = torch.NewDisposeScope();
        long v = rowNormalized.size(0);
        Tensor points = rowNormalized.index_select(0, torch.tensor(candidates.Select(c => (long)c).ToArray(), ScalarType.Int64, rowNormalized.device));
        if (projectionDimension > 0 && projectionDimension < v)
        {
            // Drawn on the CPU from a seeded generator, so the projection is the same on every device.
            using var generator = new torch.Generator(seed);
            Tensor projection = torch.randn([v, projectionDimension], ScalarType.Float64, torch.CPU, generator: generator).to(rowNormalized.device) / Math.Sqrt(projectionDimension);
            points = points.mm(projection);
        }
        int[] chosen = Greedy(points, topicCount);
        if (cleanup && topicCount > 1)
        {
            Cleanup(points, chosen);
        }
        return chosen.Select(i => candidates[i]).ToArray();
    }

    private static int[] Greedy(Tensor points, int k)
    {
        using var scope = torch.NewDisposeScope();
        var chosen = new int[k];
        chosen[0] = ArgMaxRowNorm(points, chosen.AsSpan(0, 0));
        if (k == 1)
        {
            return chosen;
        }
        Tensor residual = points - points[chosen[0]].unsqueeze(0);
        for (int j = 1; j < k; j++)
        {
            using var step = torch.NewDisposeScope();
            int next = ArgMaxRowNorm(residual, chosen.AsSpan(0, j));
            chosen[j] = next;
            Tensor direction = residual[next];
            double norm = direction.norm().ToDouble();
            if (norm <= 0)
            {
                throw new InvalidOperationException($"the co-occurrence rows span fewer than {k} affine dimensions; fewer topics than requested can be separated (found {j})");
            }
            direction = direction / norm;
            Tensor updated = residual - residual.mm(direction.unsqueeze(1)).mm(direction.unsqueeze(0));
            residual.copy_(updated);
        }
        return chosen;
    }

    private static void Cleanup(Tensor points, int[] chosen)
    {
        int k = chosen.Length;
        for (int i = 0; i < k; i++)
        {
            using var scope = torch.NewDisposeScope();
            int[] others = chosen.Where((_, j) => j != i).ToArray();
            Tensor origin = points[others[0]].unsqueeze(0);
            Tensor shifted = points - origin;
            if (others.Length > 1)
            {
                Tensor spanning = shifted.index_select(0, torch.tensor(others.Skip(1).Select(o => (long)o).ToArray(), ScalarType.Int64, points.device));
                (Tensor basis, _) = torch.linalg.qr(spanning.t());
                shifted = shifted - shifted.mm(basis).mm(basis.t());
            }
            chosen[i] = ArgMaxRowNorm(shifted, others);
        }
    }

    private static int ArgMaxRowNorm(Tensor rows, ReadOnlySpan<int> exclude)
    {
        using var scope = torch.NewDisposeScope();
        double[] norms = DenseMatrix.ToArray(rows.square().sum(1));
        foreach (int e in exclude)
        {
            norms[e] = double.NegativeInfinity;
        }
        int best = 0;
        for (int i = 1; i < norms.Length; i++)
        {
            if (norms[i] > norms[best])
            {
                best = i;
            }
        }
        return best;
    }
}
