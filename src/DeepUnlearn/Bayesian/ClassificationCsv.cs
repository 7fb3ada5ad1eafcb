using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using DeepUnlearn.Data;

namespace DeepUnlearn.Bayesian;

/// <summary>
/// Reads user data from CSV: comma-separated rows, every column but the last a feature (a finite number),
/// the last column the label. The first line is a header when any of its feature fields is not a number.
/// Labels that are all non-negative integers are the class indices themselves (K = largest + 1); otherwise
/// each distinct label text is a class, numbered in ordinal order of the texts. Blank lines are skipped;
/// fields are trimmed and may be wrapped in double quotes (without embedded commas). Row ids are the data
/// rows' order (0 for the first data row).
/// </summary>
public static class ClassificationCsv
{
    /// <summary>The largest CSV file read (256 MiB, some 30 million numbers; raised by <see cref="InputFile.LimitVariable"/>).</summary>
    public const long MaxFileBytes = 256L << 20;

    /// <summary>Reads the CSV file at <paramref name="path"/>.</summary>
    /// <exception cref="FileNotFoundException">There is no such file.</exception>
    /// <exception cref="InvalidDataException">The content is malformed, or the file is larger than <see cref="MaxFileBytes"/>; the message names the file, line and what was expected.</exception>
    public static ClassificationData Read(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using StreamReader reader = InputFile.OpenText(path, "CSV file", MaxFileBytes);
        return Parse(reader, path);
    }

    /// <summary>Parses CSV text from <paramref name="reader"/>; <paramref name="sourceName"/> names it in errors.</summary>
    /// <exception cref="InvalidDataException">The content is malformed; the message names the source, line and what was expected.</exception>
    public static ClassificationData Parse(TextReader reader, string sourceName = "CSV")
    {
        ArgumentNullException.ThrowIfNull(reader);
        var features = new List<double>();
        var labelTexts = new List<string>();
        int columns = -1;
        int lineNumber = 0;
        bool sawFirst = false;
        string? line;
        while ((line = reader.ReadLine()) is not null)
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }
            string[] fields = line.Split(',').Select(Unquote).ToArray();
            if (!sawFirst)
            {
                sawFirst = true;
                if (fields.Length < 2)
                {
                    throw Error(sourceName, lineNumber, $"found {fields.Length} column; need at least 2 (features..., label)");
                }
                columns = fields.Length;
                bool header = fields.Take(columns - 1).Any(f => !double.TryParse(f, NumberStyles.Float, CultureInfo.InvariantCulture, out _));
                if (header)
                {
                    continue;
                }
            }
            if (fields.Length != columns)
            {
                throw Error(sourceName, lineNumber, $"found {fields.Length} fields; expected {columns} like the first line ({columns - 1} features and a label)");
            }
            for (int c = 0; c < columns - 1; c++)
            {
                if (fields[c].Length == 0)
                {
                    throw Error(sourceName, lineNumber, $"column {c + 1} is empty; every feature must be a finite number");
                }
                if (!TryNumber(fields[c], out double value))
                {
                    throw Error(sourceName, lineNumber, $"column {c + 1} is '{fields[c]}', not a finite number");
                }
                features.Add(value);
            }
            string label = fields[columns - 1];
            if (label.Length == 0)
            {
                throw Error(sourceName, lineNumber, $"the label (column {columns}) is empty");
            }
            labelTexts.Add(label);
        }
        if (labelTexts.Count == 0)
        {
            throw new InvalidDataException($"{sourceName}: no data rows (a CSV needs rows of features then a label, with an optional header line)");
        }

        var labels = new int[labelTexts.Count];
        string[] classNames;
        bool integral = labelTexts.All(t => int.TryParse(t, NumberStyles.None, CultureInfo.InvariantCulture, out _));
        if (integral)
        {
            for (int i = 0; i < labels.Length; i++)
            {
                labels[i] = int.Parse(labelTexts[i], NumberStyles.None, CultureInfo.InvariantCulture);
            }
            int classes = labels.Max() + 1;
            classNames = Enumerable.Range(0, classes).Select(k => k.ToString(CultureInfo.InvariantCulture)).ToArray();
        }
        else
        {
            classNames = labelTexts.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
            var index = classNames.Select((name, k) => (name, k)).ToDictionary(p => p.name, p => p.k, StringComparer.Ordinal);
            for (int i = 0; i < labels.Length; i++)
            {
                labels[i] = index[labelTexts[i]];
            }
        }
        if (labels.Distinct().Count() < 2)
        {
            throw new InvalidDataException($"{sourceName}: every row has label '{labelTexts[0]}'; a classifier needs at least 2 classes");
        }
        return new ClassificationData(features.ToArray(), labels, columns - 1, classNames.Length, classNames);
    }

    private static bool TryNumber(string text, out double value) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value) && double.IsFinite(value);

    private static string Unquote(string field)
    {
        string trimmed = field.Trim();
        return trimmed.Length >= 2 && trimmed[0] == '"' && trimmed[^1] == '"' ? trimmed[1..^1].Trim() : trimmed;
    }

    private static InvalidDataException Error(string source, int line, string message) => new($"{source}, line {line}: {message}");
}
