using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.Json;
using DeepUnlearn.Models;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace DeepUnlearn.Cli.Commands;

/// <summary>What <c>bench engine</c> runs.</summary>
internal sealed record EngineBenchOptions(string Model, int Batch, int Steps, int Warmup, int Rounds, ulong Seed);

// Figures per run: Seconds (wall time of the timed steps), ImagesPerSecond (their throughput),
// BestStepImagesPerSecond (the fastest single step), CpuSeconds (user + system CPU time of the timed steps,
// all threads: the figure least disturbed by other processes on a shared machine).

/// <summary>One timed run of one engine.</summary>
internal sealed record LoopResult(
    string Engine,
    double Seconds,
    double ImagesPerSecond,
    double BestStepImagesPerSecond,
    double CpuSeconds,
    long? LiveTensorsBefore,
    long? LiveTensorsAfter,
    double? RssMbBefore,
    double? RssMbAfter);

/// <summary>The runs of one engine.</summary>
internal sealed record EngineSummary(string Engine, List<LoopResult> Runs)
{
    public LoopResult Best => Runs.MaxBy(r => r.ImagesPerSecond)!;

    public double BestImagesPerSecond => Best.ImagesPerSecond;

    /// <summary>Images/s of the fastest single step over all runs.</summary>
    public double BestStepImagesPerSecond => Runs.Max(r => r.BestStepImagesPerSecond);

    /// <summary>Images per CPU-second over all runs together.</summary>
    public double ImagesPerCpuSecond => Runs.Sum(r => r.ImagesPerSecond * r.Seconds) / Runs.Sum(r => r.CpuSeconds);

    public double MedianImagesPerSecond
    {
        get
        {
            double[] sorted = Runs.Select(r => r.ImagesPerSecond).Order().ToArray();
            int n = sorted.Length;
            return n % 2 == 1 ? sorted[n / 2] : (sorted[(n / 2) - 1] + sorted[n / 2]) / 2;
        }
    }
}

/// <summary>What <c>bench engine</c> reports.</summary>
internal sealed record EngineBenchReport(
    string Model,
    int Batch,
    int Steps,
    int Warmup,
    int Rounds,
    int Threads,
    string Libtorch,
    EngineSummary CSharp,
    EngineSummary Cpp)
{
    /// <summary>Best C# images/s over best C++ images/s.</summary>
    public double Ratio => CSharp.BestImagesPerSecond / Cpp.BestImagesPerSecond;

    /// <summary>Median C# images/s over median C++ images/s.</summary>
    public double MedianRatio => CSharp.MedianImagesPerSecond / Cpp.MedianImagesPerSecond;

    /// <summary>The fastest C# step over the fastest C++ step.</summary>
    public double BestStepRatio => CSharp.BestStepImagesPerSecond / Cpp.BestStepImagesPerSecond;

    /// <summary>C# images per CPU-second over C++ images per CPU-second (the CPU cost of the binding).</summary>
    public double CpuRatio => CSharp.ImagesPerCpuSecond / Cpp.ImagesPerCpuSecond;
}

/// <summary>
/// The engine benchmark: the same training step (forward, cross entropy, backward, SGD with momentum
/// 0.9) of the same model on the same random batch, through the C# binding and in the pure C++ program
/// du_engine_bench, alternately, with libtorch's thread count shared.
/// </summary>
internal static class EngineBenchmark
{
    public const int Classes = 10;
    public const int ImageSize = 32;
    public const double LearningRate = 0.01;
    public const double Momentum = 0.9;

    /// <summary>The models du_engine_bench implements.</summary>
    public static readonly string[] Models = ["smallcnn", "resnet18"];

    public static EngineBenchReport Run(EngineBenchOptions options, Action<string>? progress)
    {
        string program = NativeProgramPath();
        int threads = LibTorch.NumThreads;
        var cs = new List<LoopResult>();
        var cpp = new List<LoopResult>();
        // ABBA order (C#, C++, C++, C#, ...): a drift in the machine's load over the runs hits both engines alike.
        for (int round = 1; round <= options.Rounds; round++)
        {
            bool csharpFirst = round % 2 == 1;
            for (int turn = 0; turn < 2; turn++)
            {
                if ((turn == 0) == csharpFirst)
                {
                    progress?.Invoke($"run {round}/{options.Rounds}: C# ({options.Model}, batch {options.Batch}, {options.Warmup} + {options.Steps} steps) ...");
                    cs.Add(RunCSharp(options));
                    progress?.Invoke($"  C#   {cs[^1].ImagesPerSecond.ToString("F1", CultureInfo.InvariantCulture)} img/s");
                }
                else
                {
                    progress?.Invoke($"run {round}/{options.Rounds}: C++ ({Path.GetFileName(program)}) ...");
                    cpp.Add(RunCpp(program, options, threads));
                    progress?.Invoke($"  C++  {cpp[^1].ImagesPerSecond.ToString("F1", CultureInfo.InvariantCulture)} img/s");
                }
            }
        }
        return new EngineBenchReport(
            options.Model, options.Batch, options.Steps, options.Warmup, options.Rounds, threads, LibTorch.Version,
            new EngineSummary("C#", cs), new EngineSummary("C++", cpp));
    }

    /// <summary>The C# loop: one model, one fixed batch, each step in its own <see cref="TensorScope"/>.</summary>
    public static LoopResult RunCSharp(EngineBenchOptions options)
    {
        var modelOptions = new ModelOptions
        {
            NumClasses = Classes,
            InChannels = 3,
            ImageSize = ImageSize,
            Stem = ModelStem.Cifar,
            Seed = options.Seed,
        };
        using ClassifierModel model = ModelRegistry.Create(options.Model, modelOptions);
        using var generator = new Generator(options.Seed);
        using Tensor x = torch.randn([options.Batch, 3, ImageSize, ImageSize], generator: generator).DetachFromDisposeScope();
        using Tensor y = torch.randint(0, Classes, [options.Batch], generator: generator).DetachFromDisposeScope();
        using var sgd = new Sgd(model.Parameters(), LearningRate, Momentum);
        for (int i = 0; i < options.Warmup; i++)
        {
            Step(model, sgd, x, y);
        }
        long liveBefore = Tensor.LiveCount;
        double? rssBefore = RssMb();
        double bestStep = double.MaxValue;
        TimeSpan cpuStart = CpuTime();
        long start = Stopwatch.GetTimestamp();
        for (int i = 0; i < options.Steps; i++)
        {
            long stepStart = Stopwatch.GetTimestamp();
            Step(model, sgd, x, y);
            bestStep = Math.Min(bestStep, Stopwatch.GetElapsedTime(stepStart).TotalSeconds);
        }
        double seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
        double cpuSeconds = (CpuTime() - cpuStart).TotalSeconds;
        return new LoopResult("C#", seconds, options.Batch * (double)options.Steps / seconds, options.Batch / bestStep, cpuSeconds, liveBefore, Tensor.LiveCount, rssBefore, RssMb());
    }

    // One training step; du_engine_bench issues the same ATen ops in the same order. Sgd is torch.optim.SGD:
    // buf = grad.clone() on the first step, then buf.mul_(momentum).add_(grad); p.add_(buf, -lr).
    private static void Step(ClassifierModel model, Sgd sgd, Tensor x, Tensor y)
    {
        using var scope = torch.NewDisposeScope();
        Tensor loss = torch.nn.functional.cross_entropy(model.call(x), y);
        sgd.zero_grad();
        loss.backward();
        sgd.Step();
    }

    /// <summary>Runs du_engine_bench once and reads its JSON line.</summary>
    public static LoopResult RunCpp(string program, EngineBenchOptions options, int threads)
    {
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in new[]
        {
            "--model", options.Model,
            "--batch", options.Batch.ToString(CultureInfo.InvariantCulture),
            "--steps", options.Steps.ToString(CultureInfo.InvariantCulture),
            "--warmup", options.Warmup.ToString(CultureInfo.InvariantCulture),
            "--threads", threads.ToString(CultureInfo.InvariantCulture),
            "--seed", options.Seed.ToString(CultureInfo.InvariantCulture),
            "--lr", LearningRate.ToString("R", CultureInfo.InvariantCulture),
            "--momentum", Momentum.ToString("R", CultureInfo.InvariantCulture),
        })
        {
            start.ArgumentList.Add(argument);
        }
        using Process process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {program}");
        var stderr = process.StandardError.ReadToEndAsync();
        string stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{Path.GetFileName(program)} failed (exit code {process.ExitCode}): {stderr.Result.Trim()}");
        }
        string line = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault()
            ?? throw new InvalidOperationException($"{Path.GetFileName(program)} printed nothing");
        using JsonDocument json = JsonDocument.Parse(line);
        JsonElement root = json.RootElement;
        return new LoopResult(
            "C++",
            root.GetProperty("seconds").GetDouble(),
            root.GetProperty("images_per_second").GetDouble(),
            options.Batch / root.GetProperty("best_step_seconds").GetDouble(),
            root.GetProperty("cpu_seconds").GetDouble(),
            null,
            null,
            null,
            root.TryGetProperty("rss_mb", out JsonElement rss) ? rss.GetDouble() : null);
    }

    /// <summary>du_engine_bench beside the managed assemblies (the build copies it there with the shim).</summary>
    public static string NativeProgramPath()
    {
        string name = OperatingSystem.IsWindows() ? "du_engine_bench.exe" : "du_engine_bench";
        string path = Path.Combine(AppContext.BaseDirectory, name);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"the C++ reference program {name} is not next to the DeepUnlearn assemblies ({AppContext.BaseDirectory}); rebuild with 'dotnet build', which builds it with the libtorch shim", path);
        }
        return path;
    }

    private static TimeSpan CpuTime()
    {
        using Process self = Process.GetCurrentProcess();
        return self.TotalProcessorTime;
    }

    /// <summary>This process's resident set size in MB (VmRSS of /proc/self/status; the working set elsewhere).</summary>
    public static double? RssMb()
    {
        const string status = "/proc/self/status";
        if (File.Exists(status))
        {
            foreach (string line in File.ReadLines(status))
            {
                if (line.StartsWith("VmRSS:", StringComparison.Ordinal)
                    && double.TryParse(line.AsSpan(6).Trim().TrimEnd("kB").Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out double kb))
                {
                    return kb / 1024;
                }
            }
        }
        return Environment.WorkingSet / (1024.0 * 1024.0);
    }
}
