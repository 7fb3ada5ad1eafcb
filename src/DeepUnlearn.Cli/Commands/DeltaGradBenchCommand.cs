using System.Collections.Generic;
using System.CommandLine;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.Json;
using System;
using DeepUnlearn.Reporting;
using DeepUnlearn.Torch;
using DeepUnlearn.Unlearning.Methods.DeltaGrad.Models;
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
        var dataset = new Option<string>("--dataset") { Description = "Training data.", DefaultValueFactory = _ => DeltaGradData.FashionMnist };
        dataset.AcceptOnlyFromAmong(DeltaGradData.FashionMnist, DeltaGradData.Synthetic);
        var dataDir = new Option<string?>("--data-dir") { Description = $"Directory of the Fashion-MNIST IDX files (default {DeltaGradData.DefaultFashionMnistDirectory})." };
        var trainSize = new Option<int>("--train-size") { Description = "Use the first N training samples (0: all).", DefaultValueFactory = _ => 0 };
        var model = new Option<string>("--model") { Description = "Model to train.", DefaultValueFactory = _ => "logreg" };
        model.AcceptOnlyFromAmong("logreg", "mlp");
        var hidden = new Option<long>("--hidden") { Description = "Hidden units of the two-layer model.", DefaultValueFactory = _ => TwoLayerPerceptron.PaperHiddenUnits };
        var batchSize = new Option<int>("--batch-size") { Description = "Mini-batch size; 0 for full-batch gradient descent.", DefaultValueFactory = _ => 10000 };
        var epochs = new Option<int>("--epochs") { Description = "Epochs of the original training.", DefaultValueFactory = _ => 20 };
        var lr = new Option<double>("--lr") { Description = "Learning rate η.", DefaultValueFactory = _ => 0.2 };
        var weightDecay = new Option<double>("--weight-decay") { Description = "L2 weight decay λ.", DefaultValueFactory = _ => 5e-3 };
        var seed = new Option<ulong>("--seed") { Description = "Seed of the initialisation, batch order and deletions.", DefaultValueFactory = _ => 0UL };
        var dtype = new Option<string>("--dtype") { Description = "Precision of the model and trajectory.", DefaultValueFactory = _ => "float64" };
        dtype.AcceptOnlyFromAmong("float32", "float64");
        var device = new Option<string>("--device") { Description = "auto, cpu or cuda[:n].", DefaultValueFactory = _ => "auto" };
        var rates = new Option<string>("--rates") { Description = "Comma-separated deletion rates.", DefaultValueFactory = _ => "0.0001,0.001,0.01" };
        var repeats = new Option<int>("--repeats") { Description = "Repeats per rate (different seeded deletions).", DefaultValueFactory = _ => 1 };
        var period = new Option<int>("--period") { Description = "DeltaGrad T0.", DefaultValueFactory = _ => new DeltaGradOptions().Period };
        var burnIn = new Option<int>("--burn-in") { Description = "DeltaGrad j0.", DefaultValueFactory = _ => new DeltaGradOptions().BurnIn };
        var history = new Option<int>("--history") { Description = "DeltaGrad m.", DefaultValueFactory = _ => new DeltaGradOptions().History };
        var json = new Option<bool>("--json") { Description = "Print the rows as JSON." };
        var outDir = new Option<DirectoryInfo?>("--out") { Description = "Directory for metrics.json." };
        var command = new Command(
            "deltagrad",
            "Train once with a recorded trajectory, then for each deletion rate compare DeltaGrad with exact retraining: " +
            "time, speed-up, ‖w_DG − w_retrain‖, ‖w_orig − w_retrain‖, test accuracies.")
        {
            dataset, dataDir, trainSize, model, hidden, batchSize, epochs, lr, weightDecay, seed, dtype, device,
            rates, repeats, period, burnIn, history, json, outDir,
        };
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
                recipe = new DeltaGradRecipe
                {
                    Model = parse.GetValue(model) == "mlp" ? FlatModelKind.Mlp : FlatModelKind.LogisticRegression,
                    HiddenUnits = parse.GetValue(hidden),
                    BatchSize = parse.GetValue(batchSize),
                    Epochs = parse.GetValue(epochs),
                    LearningRate = parse.GetValue(lr),
                    WeightDecay = parse.GetValue(weightDecay),
                    Seed = parse.GetValue(seed),
                    DType = parse.GetValue(dtype) == "float32" ? DType.Float32 : DType.Float64,
                };
                recipe.Validate();
                options = new DeltaGradOptions { Period = parse.GetValue(period), BurnIn = parse.GetValue(burnIn), History = parse.GetValue(history) };
                options.Validate();
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
            string deviceText = parse.GetValue(device) ?? "auto";
            Device target = deviceText == "auto" ? Device.Auto : Device.Parse(deviceText);
            bool asJson = parse.GetValue(json);
            using var scope = TensorScope.Begin();
            var (train, test) = DeltaGradData.Load(parse.GetValue(dataset)!, parse.GetValue(dataDir), parse.GetValue(trainSize), recipe.DType, target, recipe.Seed);
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
