using System;
using System.Collections.Generic;

namespace DeepUnlearn.Evaluation;

/// <summary>Accuracy, per-class accuracy and confusion matrices from predicted and true labels.</summary>
public static class ClassificationMetrics
{
    /// <summary>Percentage of <paramref name="predicted"/> equal to <paramref name="actual"/> (NaN when empty).</summary>
    public static double AccuracyPercent(ReadOnlySpan<int> predicted, ReadOnlySpan<int> actual)
    {
        CheckLengths(predicted, actual);
        if (predicted.Length == 0)
        {
            return double.NaN;
        }
        int correct = 0;
        for (int i = 0; i < predicted.Length; i++)
        {
            if (predicted[i] == actual[i])
            {
                correct++;
            }
        }
        return 100.0 * correct / predicted.Length;
    }

    /// <summary>Accuracy over the samples whose true label satisfies <paramref name="include"/>.</summary>
    public static double AccuracyPercent(ReadOnlySpan<int> predicted, ReadOnlySpan<int> actual, Func<int, bool> include)
    {
        ArgumentNullException.ThrowIfNull(include);
        CheckLengths(predicted, actual);
        int total = 0;
        int correct = 0;
        for (int i = 0; i < predicted.Length; i++)
        {
            if (include(actual[i]))
            {
                total++;
                if (predicted[i] == actual[i])
                {
                    correct++;
                }
            }
        }
        return total == 0 ? double.NaN : 100.0 * correct / total;
    }

    /// <summary>counts[actual, predicted] over <paramref name="numClasses"/> classes.</summary>
    public static long[,] ConfusionMatrix(ReadOnlySpan<int> predicted, ReadOnlySpan<int> actual, int numClasses)
    {
        CheckLengths(predicted, actual);
        ArgumentOutOfRangeException.ThrowIfLessThan(numClasses, 1);
        var matrix = new long[numClasses, numClasses];
        for (int i = 0; i < predicted.Length; i++)
        {
            if ((uint)actual[i] >= (uint)numClasses || (uint)predicted[i] >= (uint)numClasses)
            {
                throw new ArgumentOutOfRangeException(nameof(actual), $"label {actual[i]} or prediction {predicted[i]} at {i} is outside 0..{numClasses - 1}");
            }
            matrix[actual[i], predicted[i]]++;
        }
        return matrix;
    }

    /// <summary>Per-class accuracy (percent; NaN for classes without samples) from a confusion matrix.</summary>
    public static double[] PerClassAccuracyPercent(long[,] confusion)
    {
        ArgumentNullException.ThrowIfNull(confusion);
        int k = confusion.GetLength(0);
        var result = new double[k];
        for (int c = 0; c < k; c++)
        {
            long total = 0;
            for (int p = 0; p < k; p++)
            {
                total += confusion[c, p];
            }
            result[c] = total == 0 ? double.NaN : 100.0 * confusion[c, c] / total;
        }
        return result;
    }

    /// <summary>Index of the largest value in each row of a row-major [n, k] matrix.</summary>
    public static int[] ArgMaxRows(ReadOnlySpan<float> values, int k)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);
        if (values.Length % k != 0)
        {
            throw new ArgumentException($"{values.Length} values are not rows of {k}", nameof(values));
        }
        int n = values.Length / k;
        var result = new int[n];
        for (int i = 0; i < n; i++)
        {
            ReadOnlySpan<float> row = values.Slice(i * k, k);
            int best = 0;
            for (int j = 1; j < k; j++)
            {
                if (row[j] > row[best])
                {
                    best = j;
                }
            }
            result[i] = best;
        }
        return result;
    }

    private static void CheckLengths(ReadOnlySpan<int> predicted, ReadOnlySpan<int> actual)
    {
        if (predicted.Length != actual.Length)
        {
            throw new ArgumentException($"{predicted.Length} predictions but {actual.Length} labels");
        }
    }

    /// <summary>The classes present in <paramref name="labels"/>, sorted.</summary>
    public static int[] ClassesPresent(ReadOnlySpan<int> labels)
    {
        var set = new SortedSet<int>();
        foreach (int l in labels)
        {
            set.Add(l);
        }
        return [.. set];
    }

    /// <summary>
    /// ROC AUC of <paramref name="scores"/> for the positives marked in <paramref name="positive"/>: the probability that a
    /// random positive scores above a random negative, ties counting one half (the Mann–Whitney U statistic over
    /// |positives|·|negatives|, as scikit-learn's <c>roc_auc_score</c>). Needs at least one of each.
    /// </summary>
    public static double RocAuc(ReadOnlySpan<double> scores, ReadOnlySpan<bool> positive)
    {
        if (scores.Length != positive.Length)
        {
            throw new ArgumentException($"{scores.Length} scores but {positive.Length} labels");
        }
        int n = scores.Length;
        var order = new int[n];
        var keys = scores.ToArray();
        for (int i = 0; i < n; i++)
        {
            order[i] = i;
        }
        Array.Sort(keys, order);
        // Mid-ranks over runs of tied scores; U = Σ ranks of positives − P(P + 1)/2.
        double rankSum = 0;
        long positives = 0;
        for (int start = 0; start < n;)
        {
            int end = start;
            while (end + 1 < n && keys[end + 1] == keys[start])
            {
                end++;
            }
            double midRank = ((start + end) / 2.0) + 1;
            for (int i = start; i <= end; i++)
            {
                if (positive[order[i]])
                {
                    rankSum += midRank;
                    positives++;
                }
            }
            start = end + 1;
        }
        long negatives = n - positives;
        if (positives == 0 || negatives == 0)
        {
            throw new ArgumentException($"the AUC needs positives and negatives; got {positives} and {negatives}");
        }
        return (rankSum - (positives * (positives + 1) / 2.0)) / ((double)positives * negatives);
    }
}
