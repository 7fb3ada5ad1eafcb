using System;
using System.Collections.Generic;
using System.Linq;
using TorchSharp;
using static TorchSharp.torch;

namespace DeepUnlearn.Bayesian;

/// <summary>
/// A small tabular classification data set held in memory: N rows of D features and one label each.
/// Every row has a stable id, its index in the data set's canonical order, so erase requests are id sets.
/// </summary>
public sealed class ClassificationData
{
    private readonly double[] _features;
    private readonly int[] _labels;
    private readonly int[] _ids;

    /// <summary>Creates a data set over <paramref name="features"/> (row-major N × D) and <paramref name="labels"/> (taken, not copied).</summary>
    /// <param name="features">N × D finite values, row after row.</param>
    /// <param name="labels">N labels in 0..classCount − 1.</param>
    /// <param name="featureCount">D ≥ 1.</param>
    /// <param name="classCount">K ≥ 1.</param>
    /// <param name="classNames">Optional names of the K classes.</param>
    /// <param name="ids">Optional stable ids of the rows (default 0..N − 1).</param>
    public ClassificationData(double[] features, int[] labels, int featureCount, int classCount, IReadOnlyList<string>? classNames = null, int[]? ids = null)
    {
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(featureCount);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(classCount);
        if (features.LongLength != (long)labels.Length * featureCount)
        {
            throw new ArgumentException($"{features.Length} feature values do not make {labels.Length} rows of {featureCount}", nameof(features));
        }
        for (int i = 0; i < labels.Length; i++)
        {
            if ((uint)labels[i] >= (uint)classCount)
            {
                throw new ArgumentException($"row {i} has label {labels[i]}; valid labels are 0..{classCount - 1}", nameof(labels));
            }
        }
        if (classNames is not null && classNames.Count != classCount)
        {
            throw new ArgumentException($"{classNames.Count} class names for {classCount} classes", nameof(classNames));
        }
        if (ids is not null && ids.Length != labels.Length)
        {
            throw new ArgumentException($"{ids.Length} ids for {labels.Length} rows", nameof(ids));
        }
        _features = features;
        _labels = labels;
        _ids = ids ?? Enumerable.Range(0, labels.Length).ToArray();
        FeatureCount = featureCount;
        ClassCount = classCount;
        ClassNames = classNames?.ToArray() ?? Enumerable.Range(0, classCount).Select(k => k.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();
    }

    /// <summary>The number of rows N.</summary>
    public int Count => _labels.Length;

    /// <summary>The number of features D.</summary>
    public int FeatureCount { get; }

    /// <summary>The number of classes K.</summary>
    public int ClassCount { get; }

    /// <summary>The class names, by label.</summary>
    public IReadOnlyList<string> ClassNames { get; }

    /// <summary>The features, row-major N × D.</summary>
    public ReadOnlySpan<double> Features => _features;

    /// <summary>The labels.</summary>
    public ReadOnlySpan<int> Labels => _labels;

    /// <summary>The stable id of each row.</summary>
    public ReadOnlySpan<int> Ids => _ids;

    /// <summary>The rows whose ids are in <paramref name="ids"/>, in this data set's order.</summary>
    /// <exception cref="ArgumentException">An id is not in this data set.</exception>
    public ClassificationData Select(IEnumerable<int> ids) => Partition(ids, keep: true);

    /// <summary>The rows whose ids are not in <paramref name="ids"/>, in this data set's order.</summary>
    /// <exception cref="ArgumentException">An id is not in this data set.</exception>
    public ClassificationData Without(IEnumerable<int> ids) => Partition(ids, keep: false);

    /// <summary>The features as a [N, D] tensor.</summary>
    public Tensor FeaturesTensor(ScalarType dtype = ScalarType.Float64, Device? device = null)
    {
        return torch.tensor(_features, [Count, FeatureCount], dtype, device ?? torch.CPU);
    }

    /// <summary>The labels as an int64 [N] tensor.</summary>
    public Tensor LabelsTensor(Device? device = null)
    {
        long[] labels = Array.ConvertAll(_labels, l => (long)l);
        return torch.tensor(labels, [Count], ScalarType.Int64, device ?? torch.CPU);
    }

    private ClassificationData Partition(IEnumerable<int> ids, bool keep)
    {
        ArgumentNullException.ThrowIfNull(ids);
        var wanted = new HashSet<int>(ids);
        var known = new HashSet<int>(_ids);
        foreach (int id in wanted)
        {
            if (!known.Contains(id))
            {
                throw new ArgumentException($"id {id} is not in the data set (it has {Count} rows with ids {DescribeIds()})", nameof(ids));
            }
        }
        var rows = new List<int>();
        for (int i = 0; i < Count; i++)
        {
            if (wanted.Contains(_ids[i]) == keep)
            {
                rows.Add(i);
            }
        }
        var features = new double[rows.Count * FeatureCount];
        var labels = new int[rows.Count];
        var newIds = new int[rows.Count];
        for (int r = 0; r < rows.Count; r++)
        {
            int i = rows[r];
            Array.Copy(_features, (long)i * FeatureCount, features, (long)r * FeatureCount, FeatureCount);
            labels[r] = _labels[i];
            newIds[r] = _ids[i];
        }
        return new ClassificationData(features, labels, FeatureCount, ClassCount, ClassNames, newIds);
    }

    private string DescribeIds()
    {
        if (Count == 0)
        {
            return "none";
        }
        bool canonical = true;
        for (int i = 0; i < Count && canonical; i++)
        {
            canonical = _ids[i] == i;
        }
        return canonical ? $"0..{Count - 1}" : $"{_ids.Min()}..{_ids.Max()} (not contiguous)";
    }
}
