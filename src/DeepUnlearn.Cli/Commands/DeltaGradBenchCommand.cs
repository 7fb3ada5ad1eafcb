using System;
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
/// The <c>deltagrad</c> sub-command of <c>deepunlearn bench</c>: for each rate (0.01 %, 0.1 %, 1 %), deleting and
/// adding samples, DeltaGrad's speed-up over exact retraining, ‖w_DG − w_RT‖ and its ratio to ‖w_orig − w_RT‖,
/// and both models' test accuracy; optionally an online stream of k requests per kind
/// (<see cref="DeltaGradBenchmark"/>). The settings in force are printed next to the authors'.
/// </summary>
internal static class DeltaGradBenchCommand
{
    public static Command Create()
    {
        // The authors' published run for logistic regression on MNIST (DeltaGradBenchmark.AuthorsSettings), here
        // on Fashion-MNIST: batch 16384, 20 epochs, η 0.1 then 0.05 (the stages share the epochs evenly), λ 1e-4,
        // and DeltaGradOptions' T0 5, j0 20, m 2.
        var shared = new DeltaGradCliOptions(
            defaultBatchSize: 16384, defaultEpochs: 20, defaultLearningRates: "0.1,0.05", defaultWeightDecay: 1e-4);
        var rates = new Option<string>("--rates") { Description = "Comma-separated rates of the training set to delete or add.", DefaultValueFactory = _ => "0.0001,0.001,0.01" };
        var changes = new Option<string>("--changes") { Description = "deletion, addition or deletion,addition.", DefaultValueFactory = _ => "deletion,addition" };
        var repeats = new Option<int>("--repeats") { Description = "Repeats per rate (different seeded samples).", DefaultValueFactory = _ => 1 };
        var stream = new Option<int>("--stream") { Description = "k: also run an online stream of k requests per change kind, one after another (0: none).", DefaultValueFactory = _ => 0 };
        var streamSize = new Option<int>("--stream-size") { Description = "Samples per stream request (the authors' online runs: 1).", DefaultValueFactory = _ => 1 };
        var json = new Option<bool>("--json") { Description = "Print the report as JSON." };
        var outDir = new Option<DirectoryInfo?>("--out") { Description = "Directory for metrics.json." };
        var overwrite = CommonOptions.Overwrite();
        var command = new Command(
            "deltagrad",
            "Train once with a recorded trajectory, then for each rate delete and add samples and compare DeltaGrad with exact retraining: " +
            "time, speed-up, ‖w_DG − w_RT‖ and its ratio to ‖w_orig − w_RT‖, test accuracies; --stream k adds the online setting.")
        {
            rates, changes, repeats, stream, streamSize, json, outDir, overwrite,
        };
        shared.AddTo(command);
        command.SetAction(parse =>
        {
            DeltaGradBenchmarkPlan plan;
            DeltaGradRecipe recipe;
            DeltaGradOptions options;
            try
            {
                plan = new DeltaGradBenchmarkPlan
                {
                    Rates = (parse.GetValue(rates) ?? string.Empty)
                        .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                        .Select(r => double.TryParse(r, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) ? v : throw new FormatException($"--rates: '{r}' is not a number"))
                        .ToArray(),
                    Changes = (parse.GetValue(changes) ?? string.Empty)
                        .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                        .Select(c => c switch
                        {
                            "deletion" => DatasetChangeKind.Deletion,
                            "addition" => DatasetChangeKind.Addition,
                            _ => throw new FormatException($"--changes: '{c}' is not a change; valid: deletion, addition"),
                        })
                        .ToArray(),
                    Repeats = parse.GetValue(repeats),
                    StreamRequests = parse.GetValue(stream),
                    StreamRequestSize = parse.GetValue(streamSize),
                };
                plan.Validate();
                recipe = shared.Recipe(parse);
                options = shared.Algorithm(parse);
            }
            catch (Exception e) when (e is FormatException or ArgumentOutOfRangeException)
            {
                Console.Error.WriteLine($"error: {e.Message}");
                return Program.ExitUsage;
            }
            Device target = shared.TargetDevice(parse);
            bool asJson = parse.GetValue(json);
            // --out is claimed before the benchmark runs (RunDirectory: a foreign non-empty folder is refused).
            using RunDirectory? output = parse.GetValue(outDir) is DirectoryInfo claimed
                ? RunDirectory.Claim(claimed.FullName, parse.GetValue(overwrite) ? RunDirectoryMode.Overwrite : RunDirectoryMode.New)
                : null;
            using var scope = torch.NewDisposeScope();
            var (train, test) = DeltaGradData.Load(parse.GetValue(shared.Dataset)!, parse.GetValue(shared.DataDirectory), parse.GetValue(shared.TrainSize), recipe.ScalarType, target, recipe.Seed);
            using (train)
            using (test)
            {
                if (!asJson)
                {
                    Console.WriteLine($"{train.Identity}: {train.Count} samples; {recipe}; T0 {options.Period}, j0 {options.BurnIn}, m {options.History}");
                    Console.WriteLine($"(for comparison, the {DeltaGradBenchmark.AuthorsSettings})");
                }
                DeltaGradBenchmarkReport report = DeltaGradBenchmark.Run(train, test, recipe, options, plan);
                if (asJson)
                {
                    Console.WriteLine(JsonSerializer.Serialize(report, JsonFile.Options));
                }
                else
                {
                    Print(report, options);
                }
                if (output is not null)
                {
                    JsonFile.Write(output.Staged("metrics.json"), report);
                    output.Publish();
                }
            }
            return Program.ExitOk;
        });
        return command;
    }

    private static void Print(DeltaGradBenchmarkReport report, DeltaGradOptions options)
    {
        IAnsiConsole console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(Console.Out),
            Ansi = Console.IsOutputRedirected ? AnsiSupport.No : AnsiSupport.Detect,
        });
        // Redirected output has no terminal width; Spectre would squeeze the table into 80 columns.
        console.Profile.Width = Math.Max(console.Profile.Width, 160);
        console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"original model: {report.TrainingSamples} training samples ({report.HeldOutSamples} held out, to be added)"));
        console.Write(DeltaGradTables.Rates(report.Rows));
        if (report.Stream.Count > 0)
        {
            console.Write(DeltaGradTables.Stream(report.Stream, options));
        }
    }
}
