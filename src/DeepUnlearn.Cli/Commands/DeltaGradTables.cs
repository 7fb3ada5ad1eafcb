using System.Collections.Generic;
using System.Globalization;
using DeepUnlearn.Unlearning.Methods.DeltaGrad;
using Spectre.Console;

namespace DeepUnlearn.Cli.Commands;

/// <summary>The tables <c>deepunlearn deltagrad</c> and <c>bench deltagrad</c> print.</summary>
internal static class DeltaGradTables
{
    /// <summary>One row per rate and change kind: times, speed-up, distances and accuracies.</summary>
    public static Table Rates(IReadOnlyList<DeltaGradBenchmarkRow> rows)
    {
        var table = new Table();
        foreach (string column in new[] { "change", "rate", "samples", "DeltaGrad s", "retrain s", "speed-up", "‖w_DG − w_RT‖", "‖w_orig − w_RT‖", "ratio", "acc orig", "acc DG", "acc RT" })
        {
            table.AddColumn(new TableColumn(column).RightAligned());
        }
        foreach (DeltaGradBenchmarkRow row in rows)
        {
            DeltaGradMetrics m = row.Metrics;
            table.AddRow(
                m.Change,
                F(row.Rate * 100, "G3") + " %",
                m.ChangedSamples.ToString(CultureInfo.InvariantCulture),
                F(m.DeltaGradSeconds, "F2"),
                F(m.RetrainSeconds, "F2"),
                F(m.Speedup, "F2") + "×",
                F(m.DistanceToRetrain, "G3"),
                F(m.OriginalDistanceToRetrain, "G3"),
                F(m.RelativeDistance, "F4"),
                Accuracy(m.TestAccuracyOriginal),
                Accuracy(m.TestAccuracyDeltaGrad),
                Accuracy(m.TestAccuracyRetrain));
        }
        return table;
    }

    /// <summary>One row per request of an online stream, with cumulative times and the distance after it.</summary>
    public static Table Stream(IReadOnlyList<DeltaGradStreamStep> steps, DeltaGradOptions options)
    {
        var table = new Table
        {
            Title = new TableTitle(string.Create(CultureInfo.InvariantCulture,
                $"online requests, applied one after another (T0 {options.Period}, j0 {options.BurnIn}, m {options.History}); times are cumulative")),
        };
        foreach (string column in new[] { "request", "change", "samples so far", "DeltaGrad s", "retrain s", "speed-up", "‖w_DG − w_RT‖", "‖w_orig − w_RT‖", "ratio", "acc DG", "acc RT" })
        {
            table.AddColumn(new TableColumn(column).RightAligned());
        }
        foreach (DeltaGradStreamStep s in steps)
        {
            table.AddRow(
                s.Request.ToString(CultureInfo.InvariantCulture),
                s.Change,
                s.CumulativeChangedSamples.ToString(CultureInfo.InvariantCulture),
                F(s.CumulativeDeltaGradSeconds, "F2"),
                F(s.CumulativeRetrainSeconds, "F2"),
                F(s.CumulativeSpeedup, "F2") + "×",
                F(s.DistanceToRetrain, "G3"),
                F(s.OriginalDistanceToRetrain, "G3"),
                F(s.RelativeDistance, "F4"),
                Accuracy(s.TestAccuracyDeltaGrad),
                Accuracy(s.TestAccuracyRetrain));
        }
        return table;
    }

    private static string F(double value, string format) => value.ToString(format, CultureInfo.InvariantCulture);

    private static string Accuracy(double? value) => value is null ? "–" : F(value.Value, "F2");
}
