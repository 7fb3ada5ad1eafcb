using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Security;
using System.Text;

namespace DeepUnlearn.Reporting;

/// <summary>Minimal, dependency-free SVG charts for reports (grouped bars with error bars).</summary>
public static class SvgChart
{
    private static readonly string[] s_palette = ["#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#76b7b2", "#edc948"];

    /// <summary>
    /// A grouped bar chart: one group per category, one bar per series (mean with a ±std whisker when
    /// the statistic has several runs). <paramref name="maxValue"/> fixes the axis (100 for percentages).
    /// </summary>
    public static string GroupedBars(string title, IReadOnlyList<string> categories, IReadOnlyList<(string Name, Stat[] Values)> series, double? maxValue)
    {
        ArgumentNullException.ThrowIfNull(categories);
        ArgumentNullException.ThrowIfNull(series);
        var inv = CultureInfo.InvariantCulture;
        const int left = 60;
        const int top = 40;
        const int plotHeight = 260;
        int groupWidth = Math.Max(60, 22 * series.Count + 20);
        int width = left + 20 + (groupWidth * Math.Max(categories.Count, 1)) + 120;
        int height = top + plotHeight + 70;
        double max = maxValue ?? Math.Max(1e-9, series.SelectMany(s => s.Values).Select(v => v.Mean + v.Std).DefaultIfEmpty(1).Max() * 1.1);

        var sb = new StringBuilder();
        sb.AppendLine(inv, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" font-family=\"sans-serif\" font-size=\"12\">");
        sb.AppendLine(inv, $"<rect width=\"{width}\" height=\"{height}\" fill=\"white\"/>");
        sb.AppendLine(inv, $"<text x=\"{width / 2}\" y=\"22\" text-anchor=\"middle\" font-size=\"15\">{Escape(title)}</text>");
        for (int t = 0; t <= 5; t++)
        {
            double value = max * t / 5;
            double y = top + plotHeight - (plotHeight * t / 5.0);
            sb.AppendLine(inv, $"<line x1=\"{left}\" y1=\"{y:F1}\" x2=\"{width - 120}\" y2=\"{y:F1}\" stroke=\"#ddd\"/>");
            sb.AppendLine(inv, $"<text x=\"{left - 6}\" y=\"{y + 4:F1}\" text-anchor=\"end\">{value.ToString(max >= 10 ? "F0" : "F2", inv)}</text>");
        }
        for (int c = 0; c < categories.Count; c++)
        {
            double groupX = left + 20 + (c * groupWidth);
            for (int s = 0; s < series.Count; s++)
            {
                Stat v = series[s].Values[c];
                double mean = double.IsNaN(v.Mean) ? 0 : Math.Clamp(v.Mean, 0, max);
                double h = plotHeight * mean / max;
                double x = groupX + (s * 22);
                double y = top + plotHeight - h;
                sb.AppendLine(inv, $"<rect x=\"{x:F1}\" y=\"{y:F1}\" width=\"18\" height=\"{h:F1}\" fill=\"{s_palette[s % s_palette.Length]}\"><title>{Escape(series[s].Name)} {Escape(categories[c])}: {v.Format()}</title></rect>");
                if (v.Count > 1 && v.Std > 0)
                {
                    double y1 = top + plotHeight - (plotHeight * Math.Clamp(v.Mean + v.Std, 0, max) / max);
                    double y2 = top + plotHeight - (plotHeight * Math.Clamp(v.Mean - v.Std, 0, max) / max);
                    sb.AppendLine(inv, $"<line x1=\"{x + 9:F1}\" y1=\"{y1:F1}\" x2=\"{x + 9:F1}\" y2=\"{y2:F1}\" stroke=\"black\"/>");
                }
            }
            sb.AppendLine(inv, $"<text x=\"{groupX + (series.Count * 11):F1}\" y=\"{top + plotHeight + 18}\" text-anchor=\"middle\">{Escape(categories[c])}</text>");
        }
        for (int s = 0; s < series.Count; s++)
        {
            int y = top + 10 + (s * 18);
            sb.AppendLine(inv, $"<rect x=\"{width - 110}\" y=\"{y - 10}\" width=\"12\" height=\"12\" fill=\"{s_palette[s % s_palette.Length]}\"/>");
            sb.AppendLine(inv, $"<text x=\"{width - 92}\" y=\"{y}\">{Escape(series[s].Name)}</text>");
        }
        sb.AppendLine("</svg>");
        return sb.ToString();
    }

    private static string Escape(string text) => SecurityElement.Escape(text) ?? string.Empty;
}
