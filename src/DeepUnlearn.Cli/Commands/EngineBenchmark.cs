using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.Json;
using DeepUnlearn.Models;
using DeepUnlearn.Torch;
using DeepUnlearn.Torch.Nn;

namespace DeepUnlearn.Cli.Commands;

/// <summary>What <c>bench engine</c> runs.</summary>
internal sealed record EngineBenchOptions(string Model, int Batch, int Steps, int Warmup, int Rounds, ulong Seed);

/// <summary>One timed run of one engine.</summary>
internal sealed record LoopResult(
    string Engine,
    double Seconds,
    double ImagesPerSecond,
    long? LiveTensorsBefore,
    long? LiveTensorsAfter,
    double? RssMbBefore,
    double? RssMbAfter);

/// <summary>The runs of one engine.</summary>
internal sealed record EngineSummary(string Engine, List<LoopResult> Runs)
{
    public LoopResult Best => Runs.MaxBy(r => r.ImagesPerSecond)!;

    public double BestImagesPerSecond => Best.ImagesPerSecond;

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
        for (int round = 1; round <= options.Rounds; round++)
        {
            progress?.Invoke($"run {round}/{options.Rounds}: C# ({options.Model}, batch {options.Batch}, {options.Warmup} + {options.Steps} steps) ...");
            cs.Add(RunCSharp(options));
            progress?.Invoke($"  C#   {cs[^1].ImagesPerSecond.ToString("F1", CultureInfo.InvariantCulture)} img/s");
            progress?.Invoke($"run {round}/{options.Rounds}: C++ ...");
            cpp.Add(RunCpp(program, options, threads));
            progress?.Invoke($"  C++  {cpp[^1].ImagesPerSecond.ToString("F1", CultureInfo.InvariantCulture)} img/s");
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
        using Tensor x = TensorScope.Detach(Tensor.Randn([options.Batch, 3, ImageSize, ImageSize], generator: generator));
        using Tensor y = TensorScope.Detach(Tensor.Randint(0, Classes, [options.Batch], generator: generator));
        Tensor[] parameters = model.Parameters().ToArray();
        var momentumBuffers = new Tensor?[parameters.Length];
        try
        {
            for (int i = 0; i < options.Warmup; i++)
            {
                Step(model, x, y, parameters, momentumBuffers);
            }
            long liveBefore = Tensor.LiveCount;
            double? rssBefore = RssMb();
            var clock = Stopwatch.StartNew();
            for (int i = 0; i < options.Steps; i++)
            {
                Step(model, x, y, parameters, momentumBuffers);
            }
            double seconds = clock.Elapsed.TotalSeconds;
            return new LoopResult("C#", seconds, options.Batch * (double)options.Steps / seconds, liveBefore, Tensor.LiveCount, rssBefore, RssMb());
        }
        finally
        {
            foreach (Tensor? buffer in momentumBuffers)
            {
                buffer?.Dispose();
            }
        }
    }

    private static void Step(ClassifierModel model, Tensor x, Tensor y, Tensor[] parameters, Tensor?[] momentumBuffers)
    {
        using var scope = TensorScope.Begin();
        Tensor loss = Functional.CrossEntropy(model.Forward(x), y);
        model.ZeroGrad();
        loss.Backward();
        using var noGrad = LibTorch.NoGrad();
        // SGD with momentum as torch.optim.SGD (dampening 0, no weight decay, no Nesterov), the same in-place
        // ops as du_engine_bench: buf = grad.clone() on the first step, then buf.mul_(m).add_(grad); p.add_(buf, -lr).
        for (int i = 0; i < parameters.Length; i++)
        {
            Tensor grad = parameters[i].Grad!;
            if (momentumBuffers[i] is Tensor buffer)
            {
                buffer.MulInPlace(Momentum).AddInPlace(grad);
            }
            else
            {
                buffer = momentumBuffers[i] = TensorScope.Detach(grad.Clone());
            }
            parameters[i].AddInPlace(buffer, -LearningRate);
        }
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
