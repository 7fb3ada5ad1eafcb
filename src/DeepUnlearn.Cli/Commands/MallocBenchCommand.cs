using System;
using System.Collections.Generic;
using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.Json;
using DeepUnlearn.Engine;
using DeepUnlearn.Reporting;
using Spectre.Console;

namespace DeepUnlearn.Cli.Commands;

/// <summary>One child run of <c>bench malloc</c>: the setting it ran under and what its <c>bench engine</c> reported.</summary>
internal sealed record MallocRun(string Setting, EngineBenchReport Report);

/// <summary>A malloc setting <c>bench malloc</c> runs a child under: its name, the environment it sets, and what the child must report.</summary>
internal sealed record MallocSetting(string Name, string Tuning, string? TrimSeconds, string ExpectedMalloc, int ExpectedTrimSeconds)
{
    /// <summary>The settings compared, in the order of odd rounds (even rounds run them backwards).</summary>
    public static readonly MallocSetting[] All =
    [
        new("tuned", "1", null, nameof(MallocTuning.Applied), MallocTrimmer.DefaultPeriodSeconds),
        new("tuned, never trimmed", "1", "0", nameof(MallocTuning.Applied), 0),
        new("glibc default", "0", null, nameof(MallocTuning.DisabledByVariable), 0),
    ];
}

/// <summary>
/// <c>deepunlearn bench malloc</c>: the start-up malloc tuning (<see cref="TorchRuntime"/>: mmap threshold 256 MiB, trim
/// threshold 512 MiB, freed heap memory returned every <see cref="MallocTrimmer.DefaultPeriodSeconds"/> s), the same
/// thresholds never trimmed, and glibc's defaults, side by side in one run. The thresholds must be set before libtorch's
/// first allocation, so each setting runs in a child process (<c>bench engine --json</c> with
/// <see cref="TorchRuntime.MallocTuningVariable"/> and <see cref="MallocTrimmer.PeriodVariable"/> set), in the order
/// A B C, C B A, ... so that drifting machine load hits all alike.
/// </summary>
internal static class MallocBenchCommand
{
    public static Command Create()
    {
        var model = new Option<string>("--model")
        {
            Description = "The model: smallcnn or resnet18 (CIFAR stem), on 3×32×32 inputs.",
            DefaultValueFactory = _ => "smallcnn",
        };
        model.AcceptOnlyFromAmong(EngineBenchmark.Models);
        var batch = new Option<int>("--batch") { Description = "Batch size.", DefaultValueFactory = _ => 128 };
        var steps = new Option<int?>("--steps") { Description = "Timed steps per child run (default: 20 for smallcnn, 5 for resnet18)." };
        var warmup = new Option<int?>("--warmup") { Description = "Untimed steps before the timed ones (default: 3 for smallcnn, 1 for resnet18)." };
        var rounds = new Option<int>("--rounds")
        {
            Description = "Child runs of each setting, in the order tuned, never trimmed, default, then backwards, ...",
            DefaultValueFactory = _ => 2,
        };
        var json = new Option<bool>("--json") { Description = "Print every child's report as one JSON array." };
        var command = new Command(
            "malloc",
            "Time the training step with DeepUnlearn's malloc settings (trimmed, never trimmed) against glibc's defaults, one " +
            "child process per run, alternated: images/s, kernel CPU share, minor page faults per step and RSS of each setting, and the ratios.")
        {
            model, batch, steps, warmup, rounds, json,
        };
        command.SetAction(parse =>
        {
            string name = parse.GetValue(model)!;
            bool small = name == "smallcnn";
            int stepCount = parse.GetValue(steps) ?? (small ? 20 : 5);
            int warmupCount = parse.GetValue(warmup) ?? (small ? 3 : 1);
            int batchSize = parse.GetValue(batch);
            int roundCount = parse.GetValue(rounds);
            if (batchSize < 1 || stepCount < 1 || warmupCount < 1 || roundCount < 1)
            {
                Console.Error.WriteLine("error: --batch, --steps, --warmup and --rounds must be at least 1");
                return Program.ExitUsage;
            }
            string[] engineArgs =
            [
                "bench", "engine", "--json", "--rounds", "1", "--model", name,
                "--batch", Invariant(batchSize), "--steps", Invariant(stepCount), "--warmup", Invariant(warmupCount),
            ];
            var runs = new List<MallocRun>();
            for (int round = 1; round <= roundCount; round++)
            {
                foreach (MallocSetting setting in round % 2 == 1 ? MallocSetting.All : MallocSetting.All.Reverse())
                {
                    Console.Error.WriteLine($"run {round}/{roundCount}: {setting.Name} ({name}, batch {batchSize}, {warmupCount} + {stepCount} steps) ...");
                    EngineBenchReport report = RunChild(engineArgs, setting);
                    if (report.Malloc != setting.ExpectedMalloc || report.MallocTrimSeconds != setting.ExpectedTrimSeconds)
                    {
                        Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                            $"error: the child run for '{setting.Name}' reports malloc '{report.Malloc}' trimmed every {report.MallocTrimSeconds} s, not '{setting.ExpectedMalloc}' every {setting.ExpectedTrimSeconds} s: its malloc setting did not take effect, so the comparison would be void"));
                        return Program.ExitFailure;
                    }
                    runs.Add(new MallocRun(setting.Name, report));
                    Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"  {setting.Name}: toolkit {report.Toolkit.BestImagesPerSecond:F1} img/s, bare {report.Bare.BestImagesPerSecond:F1} img/s"));
                }
            }
            if (parse.GetValue(json))
            {
                Console.WriteLine(JsonSerializer.Serialize(runs, JsonFile.Options));
            }
            else
            {
                WriteTable(name, batchSize, stepCount, runs);
            }
            return Program.ExitOk;
        });
        return command;
    }

    private static string Invariant(int value) => value.ToString(CultureInfo.InvariantCulture);

    // Runs `deepunlearn bench engine --json ...` in a child with the malloc switches set, and the user's own malloc
    // tunables removed (they would override every setting alike and void the comparison).
    private static EngineBenchReport RunChild(string[] arguments, MallocSetting setting)
    {
        ProcessStartInfo start = SelfStartInfo(arguments);
        start.Environment[TorchRuntime.MallocTuningVariable] = setting.Tuning;
        start.Environment[MallocTrimmer.PeriodVariable] = setting.TrimSeconds;
        start.Environment.Remove("GLIBC_TUNABLES");
        start.Environment.Remove("MALLOC_MMAP_THRESHOLD_");
        start.Environment.Remove("MALLOC_TRIM_THRESHOLD_");
        using Process child = Process.Start(start) ?? throw new InvalidOperationException("could not start a child process of deepunlearn");
        // Read stderr concurrently so that a chatty child cannot block on a full pipe.
        var error = child.StandardError.ReadToEndAsync();
        string output = child.StandardOutput.ReadToEnd();
        child.WaitForExit();
        if (child.ExitCode != 0)
        {
            throw new InvalidOperationException($"the child run 'deepunlearn {string.Join(' ', arguments)}' failed with exit code {child.ExitCode}: {error.Result.Trim()}");
        }
        return JsonSerializer.Deserialize<EngineBenchReport>(output, JsonFile.Options)
            ?? throw new InvalidOperationException("the child run printed no report");
    }

    /// <summary>A start of this same program (its apphost, or <c>dotnet deepunlearn.dll</c>) with <paramref name="arguments"/>.</summary>
    internal static ProcessStartInfo SelfStartInfo(IEnumerable<string> arguments)
    {
        string host = Environment.ProcessPath ?? throw new InvalidOperationException("the path of this process is unknown");
        var start = new ProcessStartInfo(host)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (Path.GetFileNameWithoutExtension(host).Equals("dotnet", StringComparison.OrdinalIgnoreCase))
        {
            start.ArgumentList.Add(typeof(MallocBenchCommand).Assembly.Location);
        }
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        return start;
    }

    private static void WriteTable(string model, int batch, int steps, List<MallocRun> runs)
    {
        static string F(double v, string format) => v.ToString(format, CultureInfo.InvariantCulture);
        EngineBenchReport first = runs[0].Report;
        var table = new Table()
            .Title(Markup.Escape($"malloc: {model}, batch {batch}, {steps} timed steps per run, {runs.Count / MallocSetting.All.Length} runs per setting, {first.Threads} threads, TorchSharp {first.TorchSharp} / libtorch {first.Libtorch}"))
            .AddColumn("setting")
            .AddColumn(new TableColumn("toolkit img/s").RightAligned())
            .AddColumn(new TableColumn("bare img/s").RightAligned())
            .AddColumn(new TableColumn("kernel CPU %").RightAligned())
            .AddColumn(new TableColumn("minor faults/step").RightAligned())
            .AddColumn(new TableColumn("RSS MB").RightAligned());
        var summaries = new Dictionary<string, MallocSummary>();
        foreach (MallocSetting setting in MallocSetting.All)
        {
            MallocSummary s = MallocSummary.Of(runs.Where(r => r.Setting == setting.Name).Select(r => r.Report).ToList());
            summaries[setting.Name] = s;
            table.AddRow(
                setting.Name,
                $"{F(s.ToolkitMedian, "F1")} ({F(s.ToolkitBest, "F1")})",
                $"{F(s.BareMedian, "F1")} ({F(s.BareBest, "F1")})",
                F(100 * s.KernelShare, "F1"),
                s.FaultsPerStep < 0 ? "n/a" : F(s.FaultsPerStep, "F0"),
                F(s.RssMb, "F0"));
        }
        AnsiConsole.Write(table);
        AnsiConsole.MarkupLine(Markup.Escape("img/s: median of the runs (best in brackets); kernel CPU share, minor page faults per step and RSS after the timed steps: both loops, all runs (the largest RSS)."));
        MallocSummary tuned = summaries[MallocSetting.All[0].Name], kept = summaries[MallocSetting.All[1].Name], glibc = summaries[MallocSetting.All[2].Name];
        AnsiConsole.MarkupLine(
            $"tuned / glibc default: toolkit [bold]{F(tuned.ToolkitMedian / glibc.ToolkitMedian, "F3")}[/] (medians; best runs {F(tuned.ToolkitBest / glibc.ToolkitBest, "F3")}), bare {F(tuned.BareMedian / glibc.BareMedian, "F3")}");
        AnsiConsole.MarkupLine(
            $"tuned / never trimmed: toolkit {F(tuned.ToolkitMedian / kept.ToolkitMedian, "F3")}, bare {F(tuned.BareMedian / kept.BareMedian, "F3")}; RSS {F(tuned.RssMb, "F0")} against {F(kept.RssMb, "F0")} MB");
    }
}

/// <summary>The runs of one malloc setting, summarised.</summary>
internal sealed record MallocSummary(
    double ToolkitMedian, double ToolkitBest, double BareMedian, double BareBest, double KernelShare, double FaultsPerStep, double RssMb)
{
    public static MallocSummary Of(IReadOnlyList<EngineBenchReport> reports)
    {
        List<LoopResult> loops = reports.SelectMany(r => r.Toolkit.Runs.Concat(r.Bare.Runs)).ToList();
        long faults = loops.Sum(l => l.MinorFaults);
        return new MallocSummary(
            EngineBenchmark.Median(reports.Select(r => r.Toolkit.BestImagesPerSecond)),
            reports.Max(r => r.Toolkit.BestImagesPerSecond),
            EngineBenchmark.Median(reports.Select(r => r.Bare.BestImagesPerSecond)),
            reports.Max(r => r.Bare.BestImagesPerSecond),
            loops.Sum(l => l.SystemCpuSeconds) / loops.Sum(l => l.CpuSeconds),
            loops.Any(l => l.MinorFaults < 0) ? -1 : faults / (double)reports.Sum(r => r.Steps * (r.Toolkit.Runs.Count + r.Bare.Runs.Count)),
            loops.Max(l => l.RssMbAfter));
    }
}
