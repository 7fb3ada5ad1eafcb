using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using DeepUnlearn.Data;

namespace DeepUnlearn.TopicModels;

/// <summary>
/// Class labels of corpus documents for a downstream task, read from a CSV file of <c>id,label</c> lines
/// (an optional header line whose first field is not a number is skipped). Class names are the distinct
/// labels in ordinal order; documents without a line are unlabelled (-1).
/// </summary>
public sealed class TopicLabels
{
    /// <summary>Creates labels from a class index per document (-1 = unlabelled) and the class names.</summary>
    public TopicLabels(IReadOnlyList<int> labels, IReadOnlyList<string> classNames)
    {
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(classNames);
        if (labels.Any(l => l < -1 || l >= classNames.Count))
        {
            throw new ArgumentException($"labels must be -1 (none) or class indices in [0, {classNames.Count - 1}]", nameof(labels));
        }
        Labels = labels.ToArray();
        ClassNames = classNames.ToArray();
    }

    /// <summary>The class index of each document id, or -1.</summary>
    public IReadOnlyList<int> Labels { get; }

    /// <summary>The class names.</summary>
    public IReadOnlyList<string> ClassNames { get; }

    /// <summary>The ids of labelled documents, ascending.</summary>
    public int[] LabelledIds() => Enumerable.Range(0, Labels.Count).Where(i => Labels[i] >= 0).ToArray();

    /// <summary>Reads <paramref name="path"/> for a corpus of <paramref name="documentCount"/> documents.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">A malformed line, an id out of range or repeated, or fewer than 2 classes.</exception>
    public static TopicLabels Load(string path, int documentCount)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"labels file '{path}' not found; give a CSV of 'id,label' lines", path);
        }
        var byId = new Dictionary<int, string>();
        string[] lines = InputFile.ReadAllLines(path, "labels file");
        for (int n = 0; n < lines.Length; n++)
        {
            string line = lines[n].Trim();
            if (line.Length == 0)
            {
                continue;
            }
            string[] fields = line.Split(',');
            bool isNumber = int.TryParse(fields[0].Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out int id);
            if (!isNumber && byId.Count == 0 && n == 0)
            {
                continue;
            }
            if (fields.Length != 2 || !isNumber || fields[1].Trim().Length == 0)
            {
                throw new InvalidDataException($"{path}:{n + 1}: expected 'id,label' with an integer id and a non-empty label, got '{lines[n]}'");
            }
            if (id < 0 || id >= documentCount)
            {
                throw new InvalidDataException($"{path}:{n + 1}: document id {id} is out of range; the corpus has ids 0 to {documentCount - 1}");
            }
            if (!byId.TryAdd(id, fields[1].Trim()))
            {
                throw new InvalidDataException($"{path}:{n + 1}: document id {id} is labelled twice");
            }
        }
        string[] classes = byId.Values.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        if (classes.Length < 2)
        {
            throw new InvalidDataException($"labels file '{path}' has {classes.Length} distinct label(s); a classifier needs at least 2");
        }
        var index = classes.Select((c, i) => (c, i)).ToDictionary(p => p.c, p => p.i, StringComparer.Ordinal);
        var labels = Enumerable.Repeat(-1, documentCount).ToArray();
        foreach ((int id, string label) in byId)
        {
            labels[id] = index[label];
        }
        return new TopicLabels(labels, classes);
    }
}
