using System;
using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using DeepUnlearn.Reporting;
using TorchSharp;
using static TorchSharp.torch;
using Spectre.Console;

namespace DeepUnlearn.Cli.Commands;

/// <summary>
/// <c>deepunlearn bench &lt;what&gt;</c>: speed measurements. Each benchmark is one sub-command created by one
/// factory in <see cref="s_benchmarks"/>; a new benchmark (<c>bench data</c>, <c>bench train</c>,
/// <c>bench deltagrad</c>) adds its factory there.
/// </summary>
internal static class BenchCommand
{
    private static readonly Func<Command>[] s_benchmarks =
    [
        CreateEngine,
        DataBenchCommand.Create,
        TrainBenchCommand.Create,
        DeltaGradBenchCommand.Create,
    ];

    public static Command Create()
    {
        var command = new Command("bench", "Measure DeepUnlearn's speed (see the sub-commands).");
        foreach (Func<Command> create in s_benchmarks)
        {
            command.Subcommands.Add(create());
        }
        return command;
    }

    // ---- bench engine ----------------------------------------------------------------------------

    private static Command CreateEngine()
    {
        var model = new Option<string>("--model")
        {
            Description = "The model to train: smallcnn or resnet18 (CIFAR stem), on 3×32×32 inputs.",
            DefaultValueFactory = _ => "smallcnn",
        };
        model.AcceptOnlyFromAmong(EngineBenchmark.Models);
        var batch = new Option<int>("--batch") { Description = "Batch size.", DefaultValueFactory = _ => 128 };
        var steps = new Option<int?>("--steps") { Description = "Timed steps per run (default: 20 for smallcnn, 5 for resnet18)." };
        var warmup = new Option<int?>("--warmup") { Description = "Untimed steps before each run (default: 3 for smallcnn, 1 for resnet18)." };
        var rounds = new Option<int>("--rounds")
        {
            Description = "Runs of each engine, alternated C#, C++, C++, C#, ... so that machine noise hits both alike; the best and the median are reported.",
            DefaultValueFactory = _ => 3,
        };
        var threads = new Option<int?>("--threads") { Description = "libtorch intra-op threads for both engines (default: the binding's, the machine's cores or DU_NUM_THREADS)." };
        var seed = new Option<ulong>("--seed") { Description = "Seed of the weights and the random batch.", DefaultValueFactory = _ => 0 };
        var json = new Option<bool>("--json") { Description = "Print the result as one JSON object." };
        var command = new Command(
            "engine",
            "Train a fixed model on a random 32×32 batch through the C# binding and in a pure C++ libtorch program " +
            "(du_engine_bench) with the same ops, threads and batch; print images/s of both, their ratio, and the C# " +
            "loop's live tensors and RSS before and after.")
        {
            model, batch, steps, warmup, rounds, threads, seed, json,
        };
        command.SetAction(parse =>
        {
            string name = parse.GetValue(model)!;
            bool small = name == "smallcnn";
            var options = new EngineBenchOptions(
                name,
                parse.GetValue(batch),
                parse.GetValue(steps) ?? (small ? 20 : 5),
                parse.GetValue(warmup) ?? (small ? 3 : 1),
                parse.GetValue(rounds),
                parse.GetValue(seed));
            if (options.Batch < 1 || options.Steps < 1 || options.Warmup < 0 || options.Rounds < 1)
            {
                Console.Error.WriteLine("error: --batch, --steps and --rounds must be at least 1, --warmup at least 0");
                return Program.ExitUsage;
            }
            if (parse.GetValue(threads) is int n)
            {
                if (n < 1)
                {
                    Console.Error.WriteLine("error: --threads must be at least 1");
                    return Program.ExitUsage;
                }
                LibTorch.SetNumThreads(n);
            }
            bool asJson = parse.GetValue(json);
            EngineBenchReport report = EngineBenchmark.Run(options, asJson ? null : message => Console.Error.WriteLine(message));
            if (asJson)
            {
                Console.WriteLine(JsonSerializer.Serialize(report, JsonFile.Options));
            }
            else
            {
                WriteEngineTable(report);
            }
            return Program.ExitOk;
        });
        return command;
    }

    private static void WriteEngineTable(EngineBenchReport report)
    {
        static string F(double v, string format) => v.ToString(format, CultureInfo.InvariantCulture);
        var table = new Table()
            .Title($"engine: {report.Model}, batch {report.Batch}, {report.Steps} steps × {report.Rounds} runs, {report.Threads} threads, libtorch {report.Libtorch}")
            .AddColumn("engine")
            .AddColumn(new TableColumn("img/s").RightAligned())
            .AddColumn(new TableColumn("median").RightAligned())
            .AddColumn(new TableColumn("best step img/s").RightAligned())
            .AddColumn(new TableColumn("img/CPU-s").RightAligned())
            .AddColumn(new TableColumn("live tensors").RightAligned())
            .AddColumn(new TableColumn("RSS MB").RightAligned());
        foreach (EngineSummary s in new[] { report.CSharp, report.Cpp })
        {
            LoopResult best = s.Best;
            table.AddRow(
                Markup.Escape(s.Engine),
                F(s.BestImagesPerSecond, "F1"),
                F(s.MedianImagesPerSecond, "F1"),
                F(s.BestStepImagesPerSecond, "F1"),
                F(s.ImagesPerCpuSecond, "F1"),
                best.LiveTensorsBefore is long lb ? $"{lb} → {best.LiveTensorsAfter}" : "-",
                best.RssMbBefore is double rb ? $"{F(rb, "F0")} → {F(best.RssMbAfter ?? double.NaN, "F0")}" : $"- → {F(best.RssMbAfter ?? double.NaN, "F0")}");
        }
        AnsiConsole.Write(table);
        AnsiConsole.MarkupLine("img/s: best run (median beside it); img/CPU-s: all runs; live tensors and RSS: before → after the timed steps of the best run (C++: RSS after).");
        AnsiConsole.MarkupLine($"C# / C++ = [bold]{F(report.Ratio, "F3")}[/] (best runs; medians {F(report.MedianRatio, "F3")}; fastest steps {F(report.BestStepRatio, "F3")}; per CPU-second {F(report.CpuRatio, "F3")}; target ≥ 0.97)");
    }
}
