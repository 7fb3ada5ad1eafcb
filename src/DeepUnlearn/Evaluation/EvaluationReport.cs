using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;

namespace DeepUnlearn.Evaluation;

/// <summary>Overall and per-class accuracy and the confusion matrix of one model on one dataset split.</summary>
public sealed record EvaluationReport
{
    /// <summary>The checkpoint evaluated.</summary>
    public required string Checkpoint { get; init; }

    /// <summary>The dataset specification.</summary>
    public required string Dataset { get; init; }

    /// <summary>Samples evaluated.</summary>
    public required int Samples { get; init; }

    /// <summary>Accuracy in percent.</summary>
    public required double Accuracy { get; init; }

    /// <summary>Mean cross-entropy.</summary>
    public required double Loss { get; init; }

    /// <summary>Accuracy per class name (percent).</summary>
    public required IReadOnlyDictionary<string, double> PerClass { get; init; }

    /// <summary>Class names in label order.</summary>
    public required IReadOnlyList<string> ClassNames { get; init; }

    /// <summary>Confusion counts: rows are true classes, columns predicted classes.</summary>
    public required long[][] Confusion { get; init; }

    /// <summary>Builds the report from predictions.</summary>
    public static EvaluationReport From(Predictions predictions, IReadOnlyList<string> classNames, string checkpoint, string dataset)
    {
        ArgumentNullException.ThrowIfNull(predictions);
        ArgumentNullException.ThrowIfNull(classNames);
        long[,] confusion = ClassificationMetrics.ConfusionMatrix(predictions.PredictedLabels(), predictions.Labels, predictions.NumClasses);
        double[] perClass = ClassificationMetrics.PerClassAccuracyPercent(confusion);
        int k = predictions.NumClasses;
        return new EvaluationReport
        {
            Checkpoint = checkpoint,
            Dataset = dataset,
            Samples = predictions.Count,
            Accuracy = predictions.AccuracyPercent(),
            Loss = predictions.MeanLoss(),
            PerClass = Enumerable.Range(0, classNames.Count).ToDictionary(c => classNames[c], c => perClass[c]),
            ClassNames = classNames,
            Confusion = Enumerable.Range(0, k).Select(r => Enumerable.Range(0, k).Select(c => confusion[r, c]).ToArray()).ToArray(),
        };
    }

    /// <summary>The report as Markdown: summary, per-class table, confusion matrix.</summary>
    public string ToMarkdown()
    {
        var inv = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        sb.AppendLine(inv, $"# Evaluation of `{Checkpoint}`");
        sb.AppendLine();
        sb.AppendLine(inv, $"Dataset `{Dataset}`, {Samples:N0} samples: accuracy **{Accuracy:F2}%**, mean loss {Loss:F4}.");
        sb.AppendLine();
        sb.AppendLine("| class | accuracy (%) |");
        sb.AppendLine("| --- | ---: |");
        foreach (string name in ClassNames)
        {
            sb.AppendLine(inv, $"| {name} | {PerClass[name]:F2} |");
        }
        sb.AppendLine();
        sb.AppendLine("Confusion matrix (rows: true class, columns: predicted class):");
        sb.AppendLine();
        sb.Append("| true \\ predicted |");
        for (int c = 0; c < ClassNames.Count; c++)
        {
            sb.Append(inv, $" {c} |");
        }
        sb.AppendLine();
        sb.Append("| --- |");
        sb.Append(string.Concat(Enumerable.Repeat(" ---: |", ClassNames.Count)));
        sb.AppendLine();
        for (int r = 0; r < ClassNames.Count; r++)
        {
            sb.Append(inv, $"| {r} {ClassNames[r]} |");
            foreach (long count in Confusion[r])
            {
                sb.Append(inv, $" {count} |");
            }
            sb.AppendLine();
        }
        return sb.ToString();
    }
}
