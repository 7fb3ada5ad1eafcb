using System;
using System.Globalization;
using System.Linq;
using System.Xml.Linq;
using DeepUnlearn.Evaluation;
using DeepUnlearn.Reporting;
using Xunit;

namespace DeepUnlearn.Tests.Reporting;

/// <summary>
/// The report's charts are well-formed SVG (they parse as XML) and carry what makes them readable without the text:
/// title, axis labels, every series in the legend, round or power-of-ten ticks, a log axis when asked.
/// </summary>
public class SvgChartTests
{
    private static readonly XNamespace s_svg = "http://www.w3.org/2000/svg";

    [Fact]
    public void GroupedBars_LinearAxis_RoundTicksAndEverySeriesAndCategory()
    {
        XDocument svg = Parse(SvgChart.GroupedBars("Per class", ["T-shirt/top", "Trouser"], [("original", [Stat(90), Stat(97)]), ("retrain", [Stat(0), Stat(96)])], maxValue: 100));
        string[] texts = Texts(svg);
        Assert.Contains("Per class", texts);
        Assert.Contains("original", texts);
        Assert.Contains("retrain", texts);
        Assert.Contains("T-shirt/top", texts);
        Assert.Equal(["0", "20", "40", "60", "80", "100"], Ticks(texts));
        Assert.Equal(4, svg.Descendants(s_svg + "rect").Count(r => r.Element(s_svg + "title") is not null));
    }

    [Fact]
    public void GroupedBars_UnroundMax_AxisEndsAtARoundTick()
    {
        XDocument svg = Parse(SvgChart.GroupedBars("t", ["a", "b"], [("s", [Stat(3.7), Stat(123.4)])], maxValue: null));
        Assert.Equal(["0", "25", "50", "75", "100", "125"], Ticks(Texts(svg)));
    }

    [Fact]
    public void TimeChart_TimesOrdersOfMagnitudeApart_LogAxisWithPowersOfTen()
    {
        MethodSummary[] summaries = [Summary("retrain", 412), Summary(ComparisonReport.DoNothing, 0), Summary("famr", 1.3), Summary("ssd", 9)];
        string[] texts = Texts(Parse(ComparisonReport.TimeChart(summaries)));
        Assert.Contains("Wall time per method (s, log scale)", texts);
        Assert.Equal(["1", "10", "100", "1,000"], Ticks(texts));
        Assert.DoesNotContain(ComparisonReport.DoNothing, texts);
        string[] linear = Texts(Parse(ComparisonReport.TimeChart([Summary("retrain", 40), Summary("famr", 12)])));
        Assert.Contains("Wall time per method (s)", linear);
    }

    [Fact]
    public void Histograms_TwoSeries_StepLinesLegendAndAxisLabels()
    {
        XDocument svg = Parse(SvgChart.Histograms("famr vs retrain", "max-softmax confidence on D_f", 0, 1, [("famr", [0.5, 0.5, 0, 0]), ("retrain", [0, 0.25, 0.25, 0.5])], dashed: ["retrain"]));
        string[] texts = Texts(svg);
        Assert.Contains("max-softmax confidence on D_f", texts);
        Assert.Contains("% of samples", texts);
        var lines = svg.Descendants(s_svg + "polyline").ToArray();
        Assert.Equal(["famr", "retrain"], lines.Select(l => l.Element(s_svg + "title")!.Value));
        // Four bins drawn as steps: two points per bin.
        Assert.Equal(8, lines[0].Attribute("points")!.Value.Split(' ').Length);
        Assert.NotNull(lines[1].Attribute("stroke-dasharray"));
    }

    [Fact]
    public void RocCurves_FromScoresAndLabels_LogLogAxesAndAucInTheLegend()
    {
        XDocument svg = Parse(SvgChart.RocCurves("attack", [("original", new[] { 0.9, 0.8, 0.2, 0.1 }, new[] { true, true, false, false }), ("retrain", new[] { 0.5, 0.5, 0.5, 0.5 }, new[] { true, false, true, false })], minRate: 1e-3));
        string[] texts = Texts(svg);
        Assert.Contains("original (AUC 1.000)", texts);
        Assert.Contains("retrain (AUC 0.500)", texts);
        Assert.Contains("false-positive rate (log)", texts);
        Assert.Contains("true-positive rate (log)", texts);
        Assert.Equal(["0.001", "0.01", "0.1", "1"], texts.Where(t => t is "1" or "0.1" or "0.01" or "0.001").Distinct().OrderBy(t => double.Parse(t, CultureInfo.InvariantCulture)));
        Assert.Equal(2, svg.Descendants(s_svg + "polyline").Count());
        Assert.Throws<ArgumentOutOfRangeException>(() => SvgChart.RocCurves("x", Array.Empty<RocCurve>(), minRate: 0));
    }

    private static XDocument Parse(string svg) => XDocument.Parse(svg);

    private static string[] Texts(XDocument svg) => svg.Descendants(s_svg + "text").Select(t => t.Nodes().OfType<XText>().FirstOrDefault()?.Value ?? string.Empty).ToArray();

    private static string[] Ticks(string[] texts) => texts.Where(t => t.Length > 0 && (char.IsDigit(t[0]) || t[0] == '-')).Distinct().ToArray();

    private static Stat Stat(double mean) => new(mean, 0, 1);

    private static MethodSummary Summary(string method, double seconds) => new()
    {
        Method = method,
        Runs = 1,
        UnlearningAccuracy = Stat(0),
        RetainAccuracy = Stat(0),
        TestAccuracy = Stat(0),
        MiaEfficacy = Stat(0),
        LossMiaEfficacy = Stat(0),
        DistanceToOriginal = Stat(0),
        Seconds = Stat(seconds),
    };
}
