using System;
using System.Collections.Generic;
using System.Globalization;
using System.Security;
using System.Text;

namespace DeepUnlearn.Evaluation.Attacks;

/// <summary>
/// The smallest log-log ROC chart (SVG) for the U-LiRA curves, as LiRA plots them (FPR and TPR from 1e-3 or 1/negatives
/// to 1, the diagonal = chance). A stand-in until the shared chart code in Reporting has one.
/// </summary>
public static class AttackRocChart
{
    private static readonly string[] s_palette = ["#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#76b7b2", "#edc948", "#b07aa1", "#9c755f"];

    /// <summary>An SVG with one curve per result.</summary>
    public static string Svg(IReadOnlyList<ULiraResult> results)
    {
        ArgumentNullException.ThrowIfNull(results);
        var inv = CultureInfo.InvariantCulture;
        const double left = 60, top = 30, size = 320, width = 600, height = 400;
        int negatives = 1000;
        foreach (ULiraResult r in results)
        {
            negatives = Math.Max(negatives, r.Negatives);
        }
        double floor = Math.Pow(10, Math.Floor(Math.Log10(1.0 / negatives)));
        double decades = -Math.Log10(floor);
        double X(double v) => left + (size * (Math.Log10(Math.Max(v, floor)) + decades) / decades);
        double Y(double v) => top + size - (size * (Math.Log10(Math.Max(v, floor)) + decades) / decades);
        var sb = new StringBuilder();
        sb.AppendLine(inv, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" font-family=\"sans-serif\" font-size=\"11\">");
        sb.AppendLine(inv, $"<text x=\"{left}\" y=\"18\" font-size=\"13\">U-LiRA ROC per method (log-log; diagonal = chance)</text>");
        sb.AppendLine(inv, $"<rect x=\"{left}\" y=\"{top}\" width=\"{size}\" height=\"{size}\" fill=\"none\" stroke=\"#333\"/>");
        for (int d = 0; d <= (int)decades; d++)
        {
            double v = floor * Math.Pow(10, d);
            string label = v.ToString("G1", inv);
            sb.AppendLine(inv, $"<line x1=\"{X(v):F1}\" y1=\"{top}\" x2=\"{X(v):F1}\" y2=\"{top + size}\" stroke=\"#ddd\"/><text x=\"{X(v):F1}\" y=\"{top + size + 14}\" text-anchor=\"middle\">{label}</text>");
            sb.AppendLine(inv, $"<line x1=\"{left}\" y1=\"{Y(v):F1}\" x2=\"{left + size}\" y2=\"{Y(v):F1}\" stroke=\"#ddd\"/><text x=\"{left - 4}\" y=\"{Y(v) + 4:F1}\" text-anchor=\"end\">{label}</text>");
        }
        sb.AppendLine(inv, $"<text x=\"{left + (size / 2)}\" y=\"{top + size + 30}\" text-anchor=\"middle\">false-positive rate</text>");
        sb.AppendLine(inv, $"<text x=\"14\" y=\"{top + (size / 2)}\" text-anchor=\"middle\" transform=\"rotate(-90 14 {top + (size / 2)})\">true-positive rate</text>");
        sb.AppendLine(inv, $"<line x1=\"{X(floor):F1}\" y1=\"{Y(floor):F1}\" x2=\"{X(1):F1}\" y2=\"{Y(1):F1}\" stroke=\"#999\" stroke-dasharray=\"4 3\"/>");
        for (int i = 0; i < results.Count; i++)
        {
            ULiraResult r = results[i];
            string colour = s_palette[i % s_palette.Length];
            var points = new StringBuilder();
            for (int p = 0; p < r.RocFpr.Length; p++)
            {
                points.Append(inv, $"{X(r.RocFpr[p]):F1},{Y(r.RocTpr[p]):F1} ");
            }
            sb.AppendLine(inv, $"<polyline fill=\"none\" stroke=\"{colour}\" stroke-width=\"1.8\" points=\"{points.ToString().TrimEnd()}\"/>");
            double ly = top + 10 + (i * 16);
            sb.AppendLine(inv, $"<line x1=\"{left + size + 16}\" y1=\"{ly:F1}\" x2=\"{left + size + 36}\" y2=\"{ly:F1}\" stroke=\"{colour}\" stroke-width=\"2\"/><text x=\"{left + size + 40}\" y=\"{ly + 4:F1}\">{SecurityElement.Escape(r.Method)} (AUC {r.Auc:F3})</text>");
        }
        sb.AppendLine("</svg>");
        return sb.ToString();
    }
}
