using System;
using System.Collections.Generic;

namespace DeepUnlearn.Evaluation;

/// <summary>
/// A model's outputs on a set of samples, on the host: softmax probabilities (row-major [n, k]),
/// per-sample cross-entropy losses, true labels and sample ids, in the loader's order.
/// </summary>
public sealed class Predictions
{
    /// <summary>Wraps arrays produced by <see cref="ModelEvaluator"/>.</summary>
    public Predictions(int[] ids, int[] labels, float[] probabilities, double[] losses, int numClasses)
    {
        ArgumentNullException.ThrowIfNull(ids);
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(probabilities);
        ArgumentNullException.ThrowIfNull(losses);
        if (labels.Length != ids.Length || losses.Length != ids.Length || probabilities.Length != (long)ids.Length * numClasses)
        {
            throw new ArgumentException("predictions arrays have inconsistent lengths");
        }
        Ids = ids;
        Labels = labels;
        Probabilities = probabilities;
        Losses = losses;
        NumClasses = numClasses;
    }

    /// <summary>Sample ids.</summary>
    public int[] Ids { get; }

    /// <summary>True labels.</summary>
    public int[] Labels { get; }

    /// <summary>Softmax probabilities, row-major [Count, NumClasses].</summary>
    public float[] Probabilities { get; }

    /// <summary>Per-sample cross-entropy losses.</summary>
    public double[] Losses { get; }

    /// <summary>Classes K.</summary>
    public int NumClasses { get; }

    /// <summary>Samples.</summary>
    public int Count => Ids.Length;

    /// <summary>The arg-max class of each sample.</summary>
    public int[] PredictedLabels() => ClassificationMetrics.ArgMaxRows(Probabilities, NumClasses);

    /// <summary>Accuracy in percent (NaN when empty).</summary>
    public double AccuracyPercent() => ClassificationMetrics.AccuracyPercent(PredictedLabels(), Labels);

    /// <summary>Mean loss.</summary>
    public double MeanLoss()
    {
        double sum = 0;
        foreach (double l in Losses)
        {
            sum += l;
        }
        return Count == 0 ? double.NaN : sum / Count;
    }

    /// <summary>The softmax probability of each sample's true class (the SalUn MIA feature).</summary>
    public double[] TrueClassConfidence()
    {
        var result = new double[Count];
        for (int i = 0; i < Count; i++)
        {
            result[i] = Probabilities[((long)i * NumClasses) + Labels[i]];
        }
        return result;
    }

    /// <summary>The samples whose true label satisfies <paramref name="include"/>.</summary>
    public Predictions WhereLabel(Func<int, bool> include)
    {
        ArgumentNullException.ThrowIfNull(include);
        var rows = new List<int>();
        for (int i = 0; i < Count; i++)
        {
            if (include(Labels[i]))
            {
                rows.Add(i);
            }
        }
        return Rows(rows);
    }

    /// <summary>The first <paramref name="count"/> samples (SalUn's shadow-member subset).</summary>
    public Predictions Take(int count)
    {
        var rows = new List<int>();
        for (int i = 0; i < Math.Min(count, Count); i++)
        {
            rows.Add(i);
        }
        return Rows(rows);
    }

    private Predictions Rows(List<int> rows)
    {
        var ids = new int[rows.Count];
        var labels = new int[rows.Count];
        var losses = new double[rows.Count];
        var probabilities = new float[rows.Count * NumClasses];
        for (int r = 0; r < rows.Count; r++)
        {
            int i = rows[r];
            ids[r] = Ids[i];
            labels[r] = Labels[i];
            losses[r] = Losses[i];
            Array.Copy(Probabilities, (long)i * NumClasses, probabilities, (long)r * NumClasses, NumClasses);
        }
        return new Predictions(ids, labels, probabilities, losses, NumClasses);
    }
}
