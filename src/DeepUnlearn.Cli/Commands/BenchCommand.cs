using System;
using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using DeepUnlearn.Engine;
using DeepUnlearn.Reporting;
using Spectre.Console;
using TorchSharp;

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
        MallocBenchCommand.Create,
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
        var warmup = new Option<int?>("--warmup") { Description = "Untimed steps before each run, at least 1 (default: 3 for smallcnn, 1 for resnet18)." };
        var rounds = new Option<int>("--rounds")
        {
            Description = "Runs of each loop, alternated toolkit, bare, bare, toolkit, ... so that machine noise hits both alike; the best and the median are reported.",
            DefaultValueFactory = _ => 3,
        };
        var threads = new Option<int?>("--threads") { Description = $"libtorch intra-op threads for both loops (default: {TorchRuntime.ThreadsVariable}, else the machine's cores)." };
        var seed = new Option<ulong>("--seed") { Description = "Seed of the weights and the random batch.", DefaultValueFactory = _ => 0 };
        var json = new Option<bool>("--json") { Description = "Print the result as one JSON object." };
        var amp = new Option<string?>("--amp") { Description = "Time the toolkit's step with this precision (bf16, fp16 or off) against the toolkit's float32 step, instead of against the bare loop." };
        var channelsLast = new Option<string?>("--channels-last") { Description = "With --amp (or alone): time the toolkit's step with channels-last on or off against its float32 contiguous step." };
        var command = new Command(
            "engine",
            "Time the toolkit's training step (the zoo's model, Trainer.Step, its SGD, its dispose scopes) against a bare " +
            "TorchSharp loop of the same network with the same weights on the same random batch, alternately in this process; " +
            "print images/s of both, their ratio, and each loop's live tensors and RSS before and after.")
        {
            model, batch, steps, warmup, rounds, threads, seed, json, amp, channelsLast,
        };
        command.SetAction(parse =>
        {
            string name = parse.GetValue(model)!;
            bool small = name == "smallcnn";
            PrecisionPolicy? precision;
            try
            {
                precision = BenchPrecision(parse.GetValue(amp), parse.GetValue(channelsLast));
            }
            catch (ArgumentException e)
            {
                Console.Error.WriteLine($"error: {e.Message}");
                return Program.ExitUsage;
            }
            var options = new EngineBenchOptions(
                name,
                parse.GetValue(batch),
                parse.GetValue(steps) ?? (small ? 20 : 5),
                parse.GetValue(warmup) ?? (small ? 3 : 1),
                parse.GetValue(rounds),
                parse.GetValue(seed),
                precision);
            if (options.Batch < 1 || options.Steps < 1 || options.Warmup < 1 || options.Rounds < 1)
            {
                Console.Error.WriteLine("error: --batch, --steps, --warmup and --rounds must be at least 1");
                return Program.ExitUsage;
            }
            if (parse.GetValue(threads) is int n)
            {
                int max = TorchRuntime.MaxThreadsPerCore * Environment.ProcessorCount;
                if (n < 1 || n > max)
                {
                    // Checked here: libtorch aborts the process on a thread count it rejects.
                    Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"error: --threads must be from 1 to {max} ({TorchRuntime.MaxThreadsPerCore} × the {Environment.ProcessorCount} cores)"));
                    return Program.ExitUsage;
                }
                torch.set_num_threads(n);
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

    /// <summary>
    /// The policy <c>bench engine --amp/--channels-last</c> times against float32 on the CPU (null when neither is given):
    /// explicit values only, since auto is float32 on the CPU.
    /// </summary>
    private static PrecisionPolicy? BenchPrecision(string? amp, string? channelsLast)
    {
        if (amp is null && channelsLast is null)
        {
            return null;
        }
        var options = new PrecisionOptions
        {
            Amp = amp is null ? MixedPrecisionMode.Off : PrecisionOptions.ParseAmp(amp),
            ChannelsLast = channelsLast is null ? ChannelsLastMode.Off : PrecisionOptions.ParseChannelsLast(channelsLast),
        };
        if (options.Amp == MixedPrecisionMode.Auto || options.ChannelsLast == ChannelsLastMode.Auto)
        {
            throw new ArgumentException("bench engine compares one explicit setting with float32: give --amp bf16, fp16 or off and --channels-last on or off (auto is off on the CPU)");
        }
        return options.Resolve(new torch.Device(DeviceType.CPU), hasConvolutions: true);
    }

    private static void WriteEngineTable(EngineBenchReport report)
    {
        static string F(double v, string format) => v.ToString(format, CultureInfo.InvariantCulture);
        var table = new Table()
            .Title(Markup.Escape($"engine: {report.Model}, batch {report.Batch}, {report.Steps} steps × {report.Rounds} runs, {report.Threads} threads, TorchSharp {report.TorchSharp} / libtorch {report.Libtorch}"))
            .AddColumn("loop")
            .AddColumn(new TableColumn("img/s").RightAligned())
            .AddColumn(new TableColumn("median").RightAligned())
            .AddColumn(new TableColumn("best step img/s").RightAligned())
            .AddColumn(new TableColumn("img/CPU-s").RightAligned())
            .AddColumn(new TableColumn("live tensors").RightAligned())
            .AddColumn(new TableColumn("RSS MB").RightAligned());
        foreach (LoopSummary s in new[] { report.Toolkit, report.Bare })
        {
            LoopResult best = s.Best;
            table.AddRow(
                Markup.Escape(s.Loop),
                F(s.BestImagesPerSecond, "F1"),
                F(s.MedianImagesPerSecond, "F1"),
                F(s.BestStepImagesPerSecond, "F1"),
                F(s.ImagesPerCpuSecond, "F1"),
                string.Create(CultureInfo.InvariantCulture, $"{best.LiveTensorsBefore} → {best.LiveTensorsAfter}"),
                $"{F(best.RssMbBefore, "F0")} → {F(best.RssMbAfter, "F0")}");
        }
        AnsiConsole.Write(table);
        AnsiConsole.MarkupLine(Markup.Escape($"img/s: best run (median beside it); img/CPU-s: all runs; live tensors and RSS: before → after the timed steps of the best run. OpenMP wait {report.OmpWaitPolicy}, malloc {report.Malloc}."));
        if (report.Precision is { } precision)
        {
            AnsiConsole.MarkupLine(Markup.Escape($"first-step loss, {precision} vs fp32: differ by at most {report.FirstLossDifference:G3} (same network, same weights, same batch)."));
            AnsiConsole.MarkupLine(
                $"{Markup.Escape(precision)} / fp32 = [bold]{F(report.Ratio, "F3")}[/] (best runs; medians {F(report.MedianRatio, "F3")}; fastest steps {F(report.BestStepRatio, "F3")}; per CPU-second {F(report.CpuRatio, "F3")}; above 1 is faster)");
            return;
        }
        AnsiConsole.MarkupLine(Markup.Escape($"first-step loss, toolkit vs bare: differ by at most {report.FirstLossDifference:G3} (same network, same weights)."));
        AnsiConsole.MarkupLine(
            $"toolkit / bare = [bold]{F(report.Ratio, "F3")}[/] (best runs; medians {F(report.MedianRatio, "F3")}; fastest steps {F(report.BestStepRatio, "F3")}; per CPU-second {F(report.CpuRatio, "F3")}; target ≥ {F(EngineBenchReport.Target, "F2")})");
    }
}
