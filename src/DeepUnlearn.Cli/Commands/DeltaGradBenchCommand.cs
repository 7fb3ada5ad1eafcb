using System;
using System.Collections.Generic;
using System.CommandLine;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.Json;
using DeepUnlearn.Reporting;
using TorchSharp;
using static TorchSharp.torch;
using DeepUnlearn.Unlearning.Methods.DeltaGrad;
using Spectre.Console;

namespace DeepUnlearn.Cli.Commands;

/// <summary>
/// The <c>deltagrad</c> sub-command of <c>deepunlearn bench</c>: DeltaGrad's speed-up over exact retraining
/// and its distance to the retrained model at deletion rates 0.01 %, 0.1 % and 1 %
/// (<see cref="DeltaGradBenchmark"/>). Register it with one line in BenchCommand's list of benchmarks:
/// <c>DeltaGradBenchCommand.Create,</c>.
/// </summary>
internal static class DeltaGradBenchCommand
{
    public static Command Create()
    {
        var shared = new DeltaGradCliOptions(defaultBatchSize: 10000, defaultEpochs: 20);
        var rates = new Option<string>("--rates") { Description = "Comma-separated deletion rates.", DefaultValueFactory = _ => "0.0001,0.001,0.01" };
        var repeats = new Option<int>("--repeats") { Description = "Repeats per rate (different seeded deletions).", DefaultValueFactory = _ => 1 };
        var json = new Option<bool>("--json") { Description = "Print the rows as JSON." };
        var outDir = new Option<DirectoryInfo?>("--out") { Description = "Directory for metrics.json." };
        var command = new Command(
            "deltagrad",
            "Train once with a recorded trajectory, then for each deletion rate compare DeltaGrad with exact retraining: " +
            "time, speed-up, ‖w_DG − w_retrain‖, ‖w_orig − w_retrain‖, test accuracies.")
        {
            rates, repeats, json, outDir,
        };
        shared.AddTo(command);
        command.SetAction(parse =>
        {
            double[] deletionRates;
            DeltaGradRecipe recipe;
            DeltaGradOptions options;
            try
            {
                deletionRates = (parse.GetValue(rates) ?? string.Empty)
                    .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                    .Select(r => double.Parse(r, NumberStyles.Float, CultureInfo.InvariantCulture))
                    .ToArray();
                if (deletionRates.Length == 0 || deletionRates.Any(r => !(r > 0 && r < 1)))
                {
                    throw new FormatException("--rates needs one or more rates in (0, 1)");
                }
                recipe = shared.Recipe(parse);
                options = shared.Algorithm(parse);
                if (parse.GetValue(repeats) < 1)
                {
                    throw new FormatException("--repeats must be ≥ 1");
                }
            }
            catch (Exception e) when (e is FormatException or ArgumentOutOfRangeException)
            {
                Console.Error.WriteLine($"error: {e.Message}");
                return Program.ExitUsage;
            }
            Device target = shared.TargetDevice(parse);
            bool asJson = parse.GetValue(json);
            using var scope = torch.NewDisposeScope();
            var (train, test) = DeltaGradData.Load(parse.GetValue(shared.Dataset)!, parse.GetValue(shared.DataDirectory), parse.GetValue(shared.TrainSize), recipe.dtype, target, recipe.Seed);
            using (train)
            using (test)
            {
                if (!asJson)
                {
                    Console.WriteLine($"{train.Identity}: {train.Count} samples; {recipe}; T0 {options.Period}, j0 {options.BurnIn}, m {options.History}");
                }
                IReadOnlyList<DeltaGradBenchmarkRow> rows = DeltaGradBenchmark.Run(train, test, recipe, options, deletionRates, parse.GetValue(repeats));
                if (asJson)
                {
                    Console.WriteLine(JsonSerializer.Serialize(rows, JsonFile.Options));
                }
                else
                {
                    Print(rows);
                }
                if (parse.GetValue(outDir) is DirectoryInfo dir)
                {
                    dir.Create();
                    JsonFile.Write(Path.Combine(dir.FullName, "metrics.json"), rows);
                }
            }
            return Program.ExitOk;
        });
        return command;
    }

    private static void Print(IReadOnlyList<DeltaGradBenchmarkRow> rows)
    {
        IAnsiConsole console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(Console.Out),
            Ansi = Console.IsOutputRedirected ? AnsiSupport.No : AnsiSupport.Detect,
        });
        // Redirected output has no terminal width; Spectre would squeeze the table into 80 columns.
        console.Profile.Width = Math.Max(console.Profile.Width, 160);
        static string F(double value, string format) => value.ToString(format, CultureInfo.InvariantCulture);
        var table = new Table();
        foreach (string column in new[] { "deletion", "deleted", "DeltaGrad s", "retrain s", "speed-up", "‖w_DG − w_RT‖", "‖w_orig − w_RT‖", "ratio", "acc DG", "acc RT" })
        {
            table.AddColumn(new TableColumn(column).RightAligned());
        }
        foreach (DeltaGradBenchmarkRow row in rows)
        {
            DeltaGradMetrics m = row.Metrics;
            table.AddRow(
                F(row.DeletionRate * 100, "G3") + " %",
                m.ChangedSamples.ToString(CultureInfo.InvariantCulture),
                F(m.DeltaGradSeconds, "F2"),
                F(m.RetrainSeconds, "F2"),
                F(m.Speedup, "F2") + "×",
                F(m.DistanceToRetrain, "G3"),
                F(m.OriginalDistanceToRetrain, "G3"),
                F(m.RelativeDistance, "G3"),
                m.TestAccuracyDeltaGrad is null ? "–" : F(m.TestAccuracyDeltaGrad.Value, "F2"),
                m.TestAccuracyRetrain is null ? "–" : F(m.TestAccuracyRetrain.Value, "F2"));
        }
        console.Write(table);
    }
}
