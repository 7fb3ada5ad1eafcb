using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Security;
using System.Text;
using DeepUnlearn.Evaluation;

namespace DeepUnlearn.Reporting;

/// <summary>
/// Minimal, dependency-free SVG charts for reports: grouped bars with error bars (linear or log axis), overlaid
/// histograms, and ROC curves on log-log axes. Every chart carries its title, axis labels and legend, so it reads
/// without the surrounding text.
/// </summary>
public static class SvgChart
{
    private static readonly string[] s_palette = ["#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#76b7b2", "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac"];

    /// <summary>
    /// A grouped bar chart: one group per category, one bar per series (mean with a ±std whisker when the statistic has
    /// several runs). <paramref name="maxValue"/> fixes the axis (100 for percentages); otherwise it ends at a round number
    /// above the largest bar. With <paramref name="logScale"/> the value axis is logarithmic (powers of ten), for values
    /// spanning orders of magnitude (times); non-positive values then draw no bar. Long category names are slanted.
    /// </summary>
    public static string GroupedBars(string title, IReadOnlyList<string> categories, IReadOnlyList<(string Name, Stat[] Values)> series, double? maxValue, bool logScale = false)
    {
        ArgumentNullException.ThrowIfNull(categories);
        ArgumentNullException.ThrowIfNull(series);
        var inv = CultureInfo.InvariantCulture;
        const int left = 70;
        const int top = 40;
        const int plotHeight = 260;
        const int legendWidth = 150;
        int groupWidth = Math.Max(60, (22 * series.Count) + 20);
        bool slant = categories.Any(c => c.Length * 7 > groupWidth - 4);
        int labelHeight = slant ? 14 + (int)(Math.Min(categories.Select(c => c.Length).DefaultIfEmpty(0).Max(), 28) * 7 * 0.5) : 24;
        int width = left + 20 + (groupWidth * Math.Max(categories.Count, 1)) + legendWidth;
        int height = top + plotHeight + labelHeight + 30;
        double[] tops = series.SelectMany(s => s.Values).Select(v => v.Mean + (double.IsNaN(v.Std) ? 0 : v.Std)).Where(v => !double.IsNaN(v)).ToArray();
        var axis = logScale
            ? LogAxis(tops.Where(v => v > 0).DefaultIfEmpty(1).Min(), tops.Where(v => v > 0).DefaultIfEmpty(1).Max())
            : LinearAxis(maxValue ?? tops.DefaultIfEmpty(1).Max(), exact: maxValue is not null);
        double Y(double value) => top + plotHeight - (plotHeight * axis.Fraction(value));

        var sb = new StringBuilder();
        Open(sb, width, height, title);
        foreach (double tick in axis.Ticks)
        {
            double y = Y(tick);
            sb.AppendLine(inv, $"<line x1=\"{left}\" y1=\"{y:F1}\" x2=\"{width - legendWidth}\" y2=\"{y:F1}\" stroke=\"#ddd\"/>");
            sb.AppendLine(inv, $"<text x=\"{left - 6}\" y=\"{y + 4:F1}\" text-anchor=\"end\">{FormatTick(tick)}</text>");
        }
        if (logScale)
        {
            sb.AppendLine(inv, $"<text x=\"14\" y=\"{top + (plotHeight / 2)}\" text-anchor=\"middle\" transform=\"rotate(-90 14 {top + (plotHeight / 2)})\">log scale</text>");
        }
        for (int c = 0; c < categories.Count; c++)
        {
            double groupX = left + 20 + (c * groupWidth);
            for (int s = 0; s < series.Count; s++)
            {
                Stat v = series[s].Values[c];
                double x = groupX + (s * 22);
                string fill = s_palette[s % s_palette.Length];
                string tip = $"{Escape(series[s].Name)} {Escape(categories[c])}: {v.Format()}";
                if (double.IsNaN(v.Mean) || (logScale && v.Mean <= 0))
                {
                    sb.AppendLine(inv, $"<text x=\"{x + 9:F1}\" y=\"{top + plotHeight - 4}\" text-anchor=\"middle\" font-size=\"10\">–<title>{tip}</title></text>");
                    continue;
                }
                double y = Y(v.Mean);
                double h = top + plotHeight - y;
                sb.AppendLine(inv, $"<rect x=\"{x:F1}\" y=\"{y:F1}\" width=\"18\" height=\"{h:F1}\" fill=\"{fill}\"><title>{tip}</title></rect>");
                if (v.Count > 1 && v.Std > 0)
                {
                    double y1 = Y(v.Mean + v.Std);
                    double y2 = Y(Math.Max(v.Mean - v.Std, logScale ? axis.Min : 0));
                    sb.AppendLine(inv, $"<line x1=\"{x + 9:F1}\" y1=\"{y1:F1}\" x2=\"{x + 9:F1}\" y2=\"{y2:F1}\" stroke=\"black\"/>");
                }
            }
            double labelX = groupX + (series.Count * 11);
            double labelY = top + plotHeight + 16;
            sb.AppendLine(slant
                ? string.Create(inv, $"<text x=\"{labelX:F1}\" y=\"{labelY:F1}\" text-anchor=\"end\" transform=\"rotate(-30 {labelX:F1} {labelY:F1})\">{Escape(categories[c])}</text>")
                : string.Create(inv, $"<text x=\"{labelX:F1}\" y=\"{labelY:F1}\" text-anchor=\"middle\">{Escape(categories[c])}</text>"));
        }
        Legend(sb, width - legendWidth + 10, top, series.Select(s => s.Name).ToArray(), dashed: null);
        sb.AppendLine("</svg>");
        return sb.ToString();
    }

    /// <summary>
    /// Overlaid histograms as step lines with a shared x axis over [<paramref name="min"/>, <paramref name="max"/>]: each
    /// series gives the share of its values in each of its equal-width bins (all series the same bins). The y axis is the
    /// share of samples (%). <paramref name="dashed"/> marks series drawn dashed (e.g. the original, for context).
    /// </summary>
    public static string Histograms(string title, string xLabel, double min, double max, IReadOnlyList<(string Name, double[] Fractions)> series, IReadOnlyCollection<string>? dashed = null)
    {
        ArgumentNullException.ThrowIfNull(series);
        var inv = CultureInfo.InvariantCulture;
        const int left = 70;
        const int top = 40;
        const int plotWidth = 420;
        const int plotHeight = 240;
        const int legendWidth = 170;
        int width = left + plotWidth + 20 + legendWidth;
        int height = top + plotHeight + 60;
        double peak = series.SelectMany(s => s.Fractions).DefaultIfEmpty(0).Max() * 100;
        var axis = LinearAxis(Math.Max(peak, 1), exact: false);
        double X(double v) => left + (plotWidth * (v - min) / (max - min));
        double Y(double percent) => top + plotHeight - (plotHeight * axis.Fraction(percent));

        var sb = new StringBuilder();
        Open(sb, width, height, title);
        foreach (double tick in axis.Ticks)
        {
            sb.AppendLine(inv, $"<line x1=\"{left}\" y1=\"{Y(tick):F1}\" x2=\"{left + plotWidth}\" y2=\"{Y(tick):F1}\" stroke=\"#ddd\"/>");
            sb.AppendLine(inv, $"<text x=\"{left - 6}\" y=\"{Y(tick) + 4:F1}\" text-anchor=\"end\">{FormatTick(tick)}</text>");
        }
        foreach (double tick in LinearAxis(max - min, exact: true).Ticks)
        {
            double x = X(min + tick);
            sb.AppendLine(inv, $"<line x1=\"{x:F1}\" y1=\"{top + plotHeight}\" x2=\"{x:F1}\" y2=\"{top + plotHeight + 4}\" stroke=\"black\"/>");
            sb.AppendLine(inv, $"<text x=\"{x:F1}\" y=\"{top + plotHeight + 17}\" text-anchor=\"middle\">{FormatTick(min + tick)}</text>");
        }
        sb.AppendLine(inv, $"<line x1=\"{left}\" y1=\"{top + plotHeight}\" x2=\"{left + plotWidth}\" y2=\"{top + plotHeight}\" stroke=\"black\"/>");
        sb.AppendLine(inv, $"<text x=\"{left + (plotWidth / 2)}\" y=\"{top + plotHeight + 40}\" text-anchor=\"middle\">{Escape(xLabel)}</text>");
        sb.AppendLine(inv, $"<text x=\"16\" y=\"{top + (plotHeight / 2)}\" text-anchor=\"middle\" transform=\"rotate(-90 16 {top + (plotHeight / 2)})\">% of samples</text>");
        for (int s = 0; s < series.Count; s++)
        {
            double[] f = series[s].Fractions;
            var points = new StringBuilder();
            for (int b = 0; b < f.Length; b++)
            {
                double x0 = X(min + ((max - min) * b / f.Length));
                double x1 = X(min + ((max - min) * (b + 1) / f.Length));
                double y = Y(f[b] * 100);
                points.Append(inv, $"{x0:F1},{y:F1} {x1:F1},{y:F1} ");
            }
            string dash = dashed?.Contains(series[s].Name) == true ? " stroke-dasharray=\"5,3\"" : string.Empty;
            sb.AppendLine(inv, $"<polyline fill=\"none\" stroke=\"{s_palette[s % s_palette.Length]}\" stroke-width=\"2\"{dash} points=\"{points.ToString().TrimEnd()}\"><title>{Escape(series[s].Name)}</title></polyline>");
        }
        Legend(sb, left + plotWidth + 30, top, series.Select(s => s.Name).ToArray(), dashed);
        sb.AppendLine("</svg>");
        return sb.ToString();
    }

    /// <summary>
    /// Membership-attack ROC curves from raw attack outputs: for each curve, its name, per-sample scores (higher =
    /// "member") and the truth (true = member). See <see cref="RocCurves(string, IReadOnlyList{RocCurve}, double)"/>.
    /// </summary>
    public static string RocCurves(string title, IReadOnlyList<(string Name, double[] Scores, bool[] Members)> curves, double minRate = 1e-3)
    {
        ArgumentNullException.ThrowIfNull(curves);
        return RocCurves(title, curves.Select(c => RocCurve.FromScores(c.Name, c.Scores, c.Members)).ToArray(), minRate);
    }

    /// <summary>
    /// ROC curves on log-log axes (TPR against FPR, both from <paramref name="minRate"/> to 1, as Carlini et al. 2022 plot
    /// membership attacks), with the chance diagonal dashed and each curve's AUC in the legend. Points with a rate below
    /// <paramref name="minRate"/> are drawn at the axis edge.
    /// </summary>
    public static string RocCurves(string title, IReadOnlyList<RocCurve> curves, double minRate = 1e-3)
    {
        ArgumentNullException.ThrowIfNull(curves);
        if (!(minRate > 0 && minRate < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(minRate), minRate, "the log axes need 0 < minRate < 1");
        }
        var inv = CultureInfo.InvariantCulture;
        const int left = 70;
        const int top = 40;
        const int plot = 320;
        const int legendWidth = 230;
        int width = left + plot + 20 + legendWidth;
        int height = top + plot + 60;
        double decades = -Math.Log10(minRate);
        double X(double fpr) => left + (plot * (1 + (Math.Log10(Math.Max(fpr, minRate)) / decades)));
        double Y(double tpr) => top + plot - (plot * (1 + (Math.Log10(Math.Max(tpr, minRate)) / decades)));

        var sb = new StringBuilder();
        Open(sb, width, height, title);
        for (int d = 0; d <= (int)Math.Floor(decades + 1e-9); d++)
        {
            double v = Math.Pow(10, -d);
            sb.AppendLine(inv, $"<line x1=\"{X(v):F1}\" y1=\"{top}\" x2=\"{X(v):F1}\" y2=\"{top + plot}\" stroke=\"#ddd\"/>");
            sb.AppendLine(inv, $"<line x1=\"{left}\" y1=\"{Y(v):F1}\" x2=\"{left + plot}\" y2=\"{Y(v):F1}\" stroke=\"#ddd\"/>");
            sb.AppendLine(inv, $"<text x=\"{X(v):F1}\" y=\"{top + plot + 17}\" text-anchor=\"middle\">{FormatTick(v)}</text>");
            sb.AppendLine(inv, $"<text x=\"{left - 6}\" y=\"{Y(v) + 4:F1}\" text-anchor=\"end\">{FormatTick(v)}</text>");
        }
        sb.AppendLine(inv, $"<rect x=\"{left}\" y=\"{top}\" width=\"{plot}\" height=\"{plot}\" fill=\"none\" stroke=\"black\"/>");
        sb.AppendLine(inv, $"<line x1=\"{X(minRate):F1}\" y1=\"{Y(minRate):F1}\" x2=\"{X(1):F1}\" y2=\"{Y(1):F1}\" stroke=\"#888\" stroke-dasharray=\"4,4\"><title>chance (TPR = FPR)</title></line>");
        sb.AppendLine(inv, $"<text x=\"{left + (plot / 2)}\" y=\"{top + plot + 40}\" text-anchor=\"middle\">false-positive rate (log)</text>");
        sb.AppendLine(inv, $"<text x=\"16\" y=\"{top + (plot / 2)}\" text-anchor=\"middle\" transform=\"rotate(-90 16 {top + (plot / 2)})\">true-positive rate (log)</text>");
        for (int c = 0; c < curves.Count; c++)
        {
            RocCurve curve = curves[c];
            var points = new StringBuilder();
            for (int i = 0; i < curve.FalsePositiveRate.Length; i++)
            {
                points.Append(inv, $"{X(curve.FalsePositiveRate[i]):F1},{Y(curve.TruePositiveRate[i]):F1} ");
            }
            sb.AppendLine(inv, $"<polyline fill=\"none\" stroke=\"{s_palette[c % s_palette.Length]}\" stroke-width=\"2\" points=\"{points.ToString().TrimEnd()}\"><title>{Escape(curve.Name)}</title></polyline>");
        }
        Legend(sb, left + plot + 30, top, curves.Select(c => string.Create(inv, $"{c.Name} (AUC {c.Auc:F3})")).ToArray(), dashed: null);
        sb.AppendLine("</svg>");
        return sb.ToString();
    }

    /// <summary>A linear axis from 0: round ticks (1, 2 or 5 × 10ⁿ apart) up to <paramref name="max"/> (exactly, when
    /// <paramref name="exact"/>), or to the first round tick at or above it.</summary>
    private static Axis LinearAxis(double max, bool exact)
    {
        max = max > 0 && !double.IsNaN(max) && !double.IsInfinity(max) ? max : 1;
        double raw = max / 5;
        double magnitude = Math.Pow(10, Math.Floor(Math.Log10(raw)));
        double step = new[] { 1, 2, 2.5, 5, 10 }.Select(m => m * magnitude).First(s => s >= raw * 0.999);
        double end = exact ? max : Math.Ceiling((max / step) - 1e-9) * step;
        var ticks = new List<double>();
        for (int i = 0; i * step <= end * (1 + 1e-9); i++)
        {
            ticks.Add(i * step);
        }
        return new Axis(0, end, ticks, v => Math.Clamp(v / end, 0, 1));
    }

    /// <summary>A log axis over the powers of ten around [<paramref name="min"/>, <paramref name="max"/>].</summary>
    private static Axis LogAxis(double min, double max)
    {
        double lo = Math.Pow(10, Math.Floor(Math.Log10(min)));
        double hi = Math.Pow(10, Math.Ceiling(Math.Log10(max)));
        if (hi <= lo)
        {
            hi = lo * 10;
        }
        var ticks = new List<double>();
        for (double t = lo; t <= hi * 1.0001; t *= 10)
        {
            ticks.Add(t);
        }
        double span = Math.Log10(hi / lo);
        return new Axis(lo, hi, ticks, v => v <= 0 ? 0 : Math.Clamp(Math.Log10(v / lo) / span, 0, 1));
    }

    private static string FormatTick(double value)
    {
        var inv = CultureInfo.InvariantCulture;
        double a = Math.Abs(value);
        return a == 0 ? "0"
            : a >= 1e5 || a < 1e-3 ? value.ToString("0.#E+0", inv)
            : a >= 1 ? value.ToString("#,0.##", inv)
            : value.ToString("0.###", inv);
    }

    private static void Open(StringBuilder sb, int width, int height, string title)
    {
        var inv = CultureInfo.InvariantCulture;
        sb.AppendLine(inv, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" font-family=\"sans-serif\" font-size=\"12\">");
        sb.AppendLine(inv, $"<rect width=\"{width}\" height=\"{height}\" fill=\"white\"/>");
        sb.AppendLine(inv, $"<text x=\"{width / 2}\" y=\"22\" text-anchor=\"middle\" font-size=\"15\">{Escape(title)}</text>");
    }

    private static void Legend(StringBuilder sb, int x, int top, IReadOnlyList<string> names, IReadOnlyCollection<string>? dashed)
    {
        var inv = CultureInfo.InvariantCulture;
        for (int s = 0; s < names.Count; s++)
        {
            int y = top + 10 + (s * 18);
            string color = s_palette[s % s_palette.Length];
            string dash = dashed?.Contains(names[s]) == true ? " stroke-dasharray=\"5,3\"" : string.Empty;
            sb.AppendLine(inv, $"<line x1=\"{x}\" y1=\"{y - 4}\" x2=\"{x + 14}\" y2=\"{y - 4}\" stroke=\"{color}\" stroke-width=\"6\"{dash}/>");
            sb.AppendLine(inv, $"<text x=\"{x + 20}\" y=\"{y}\">{Escape(names[s])}</text>");
        }
    }

    private sealed record Axis(double Min, double Max, IReadOnlyList<double> Ticks, Func<double, double> Fraction);

    private static string Escape(string text) => SecurityElement.Escape(text) ?? string.Empty;
}
