using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using DeepUnlearn.Engine;
using DeepUnlearn.Models;
using DeepUnlearn.Training;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace DeepUnlearn.Cli.Commands;

/// <summary>
/// What <c>bench engine</c> runs. With a <paramref name="Precision"/> the two loops are the toolkit's step under that
/// policy and the toolkit's step in float32 (instead of the toolkit against a bare loop).
/// </summary>
internal sealed record EngineBenchOptions(string Model, int Batch, int Steps, int Warmup, int Rounds, ulong Seed, PrecisionPolicy? Precision = null);

// Figures per run: Seconds (wall time of the timed steps), ImagesPerSecond (their throughput),
// BestStepImagesPerSecond (the fastest single step), CpuSeconds (user + system CPU time of the process during the
// timed steps, all threads: the figure least disturbed by other processes on a shared machine), SystemCpuSeconds (its
// kernel share) and MinorFaults (the process's minor page faults during the timed steps: glibc's malloc unmapping and
// re-mapping libtorch's large buffers shows up in these two).

/// <summary>One timed run of one loop.</summary>
internal sealed record LoopResult(
    string Loop,
    double Seconds,
    double ImagesPerSecond,
    double BestStepImagesPerSecond,
    double CpuSeconds,
    double SystemCpuSeconds,
    long MinorFaults,
    double FirstLoss,
    long LiveTensorsBefore,
    long LiveTensorsAfter,
    double RssMbBefore,
    double RssMbAfter);

/// <summary>The runs of one loop.</summary>
internal sealed record LoopSummary(string Loop, List<LoopResult> Runs)
{
    public LoopResult Best => Runs.MaxBy(r => r.ImagesPerSecond)!;

    public double BestImagesPerSecond => Best.ImagesPerSecond;

    /// <summary>Images/s of the fastest single step over all runs.</summary>
    public double BestStepImagesPerSecond => Runs.Max(r => r.BestStepImagesPerSecond);

    /// <summary>Images per CPU-second over all runs together.</summary>
    public double ImagesPerCpuSecond => Runs.Sum(r => r.ImagesPerSecond * r.Seconds) / Runs.Sum(r => r.CpuSeconds);

    public double MedianImagesPerSecond => EngineBenchmark.Median(Runs.Select(r => r.ImagesPerSecond));
}

/// <summary>What <c>bench engine</c> reports.</summary>
internal sealed record EngineBenchReport(
    string Model,
    int Batch,
    int Steps,
    int Warmup,
    int Rounds,
    int Threads,
    string TorchSharp,
    string Libtorch,
    string OmpWaitPolicy,
    string Malloc,
    LoopSummary Toolkit,
    LoopSummary Bare,
    string? Precision = null,
    int MallocTrimSeconds = 0,
    long MallocTrims = 0)
{
    /// <summary>The ratio the toolkit's step must reach (issue 12): at least 0.97 of the bare loop.</summary>
    public const double Target = 0.97;

    /// <summary>Best toolkit images/s over best bare images/s.</summary>
    public double Ratio => Toolkit.BestImagesPerSecond / Bare.BestImagesPerSecond;

    /// <summary>Median toolkit images/s over median bare images/s.</summary>
    public double MedianRatio => Toolkit.MedianImagesPerSecond / Bare.MedianImagesPerSecond;

    /// <summary>The fastest toolkit step over the fastest bare step.</summary>
    public double BestStepRatio => Toolkit.BestStepImagesPerSecond / Bare.BestStepImagesPerSecond;

    /// <summary>Toolkit images per CPU-second over bare images per CPU-second (what the toolkit's layers cost).</summary>
    public double CpuRatio => Toolkit.ImagesPerCpuSecond / Bare.ImagesPerCpuSecond;

    /// <summary>
    /// The largest difference between the two loops' first-step losses (same weights, same batch): both loops train
    /// the same network, so it is at rounding level; a larger value means the two models differ.
    /// </summary>
    public double FirstLossDifference =>
        Toolkit.Runs.Zip(Bare.Runs, (t, b) => Math.Abs(t.FirstLoss - b.FirstLoss)).DefaultIfEmpty(0).Max();
}

/// <summary>
/// The engine benchmark (issue 12, point 6): the toolkit's own training step — the zoo's model, <see cref="Trainer.Step"/>,
/// the optimizer <see cref="OptimizerFactory"/> makes (<see cref="SgdOptimizer"/>), its dispose scope — against a bare
/// TorchSharp loop (a plain TorchSharp module of the same architecture with the same weights, <c>torch.optim.SGD</c>,
/// a dispose scope per step, nothing else), on the same fixed random batch, alternately in one process (ABBA), with
/// the same libtorch threads.
/// </summary>
internal static class EngineBenchmark
{
    public const int Classes = 10;
    public const int ImageSize = 32;
    public const string ToolkitLoop = "toolkit";
    public const string BareLoop = "bare TorchSharp";

    /// <summary>The models with a bare twin here.</summary>
    public static readonly string[] Models = ["smallcnn", "resnet18"];

    // The toolkit's training defaults (SGD, momentum 0.9, weight decay 5e-4), for both loops.
    private static readonly TrainingConfig s_recipe = new();

    public static EngineBenchReport Run(EngineBenchOptions options, Action<string>? progress)
    {
        ArgumentNullException.ThrowIfNull(options);
        RuntimeInfo runtime = TorchRuntime.EnsureInitialized();
        var toolkit = new List<LoopResult>();
        var bare = new List<LoopResult>();
        (string toolkitLoop, string bareLoop) = options.Precision is { } policy ? ($"toolkit {policy}", "toolkit fp32") : (ToolkitLoop, BareLoop);
        // ABBA order (toolkit, bare, bare, toolkit, ...): a drift in the machine's load over the runs hits both alike.
        for (int round = 1; round <= options.Rounds; round++)
        {
            bool toolkitFirst = round % 2 == 1;
            for (int turn = 0; turn < 2; turn++)
            {
                bool runToolkit = (turn == 0) == toolkitFirst;
                string loop = runToolkit ? toolkitLoop : bareLoop;
                progress?.Invoke($"run {round}/{options.Rounds}: {loop} ({options.Model}, batch {options.Batch}, {options.Warmup} + {options.Steps} steps) ...");
                LoopResult result = RunLoop(options, runToolkit);
                (runToolkit ? toolkit : bare).Add(result);
                progress?.Invoke(string.Create(CultureInfo.InvariantCulture, $"  {loop}: {result.ImagesPerSecond:F1} img/s"));
            }
        }
        return new EngineBenchReport(
            options.Model, options.Batch, options.Steps, options.Warmup, options.Rounds, torch.get_num_threads(),
            runtime.TorchSharpVersion, runtime.LibTorchVersion, runtime.OmpWaitPolicy, runtime.Malloc.ToString(),
            new LoopSummary(toolkitLoop, toolkit), new LoopSummary(bareLoop, bare), options.Precision?.ToString(),
            runtime.MallocTrimSeconds, MallocTrimmer.Trims);
    }

    /// <summary>
    /// One run of one loop: builds the zoo's model (seeded), the bare twin with the very same weights when
    /// <paramref name="toolkit"/> is false, a fixed batch, then times <see cref="EngineBenchOptions.Steps"/> steps
    /// after <see cref="EngineBenchOptions.Warmup"/> untimed ones.
    /// </summary>
    public static LoopResult RunLoop(EngineBenchOptions options, bool toolkit)
    {
        ArgumentNullException.ThrowIfNull(options);
        using ClassifierModel model = ModelRegistry.Create(options.Model, new ModelOptions
        {
            NumClasses = Classes,
            InChannels = 3,
            ImageSize = ImageSize,
            Stem = ModelStem.Cifar,
            Seed = options.Seed,
        });
        using var generator = new Generator(options.Seed);
        using Tensor x = torch.randn([options.Batch, 3, ImageSize, ImageSize], generator: generator).DetachFromDisposeScope();
        using Tensor y = torch.randint(0, Classes, [options.Batch], generator: generator).DetachFromDisposeScope();
        return toolkit ? TimeToolkit(model, x, y, options, options.Precision ?? PrecisionPolicy.Off)
            : options.Precision is null ? TimeBare(model, x, y, options)
            : TimeToolkit(model, x, y, options, PrecisionPolicy.Off);
    }

    // The toolkit's step: Trainer.Step with the optimizer the Trainer makes, under the given precision and layout.
    private static LoopResult TimeToolkit(ClassifierModel model, Tensor x, Tensor y, EngineBenchOptions options, PrecisionPolicy precision)
    {
        model.train();
        precision.Prepare(model);
        MixedPrecision amp = precision.Start();
        using OptimizerHelper optimizer = OptimizerFactory.Create(s_recipe, model.TrainableParameters());
        double firstLoss = double.NaN;
        return Time(ToolkitLoop, options, step =>
        {
            double loss = Trainer.Step(model, optimizer, x, y, precision: amp).Loss;
            if (step == 0)
            {
                firstLoss = loss;
            }
        }, () => firstLoss);
    }

    // The bare loop: a plain TorchSharp module with the zoo model's weights, torch.optim.SGD, a scope per step.
    private static LoopResult TimeBare(ClassifierModel zoo, Tensor x, Tensor y, EngineBenchOptions options)
    {
        using nn.Module<Tensor, Tensor> model = options.Model == "resnet18"
            ? new BareResNet18(3, Classes)
            : new BareSmallCnn(3, Classes, ImageSize);
        StrictStateLoader.Load(model, zoo.state_dict());
        model.train();
        using var optimizer = torch.optim.SGD(model.parameters().ToList(), s_recipe.LearningRate, s_recipe.Momentum, weight_decay: s_recipe.WeightDecay);
        double firstLoss = double.NaN;
        return Time(BareLoop, options, step =>
        {
            using var scope = torch.NewDisposeScope();
            Tensor loss = nn.functional.cross_entropy(model.call(x), y);
            optimizer.zero_grad();
            loss.backward();
            optimizer.step();
            if (step == 0)
            {
                // Outside the timed steps (step 0 is a warm-up step, or the only step when there is none).
                firstLoss = loss.ToDouble();
            }
        }, () => firstLoss);
    }

    private static LoopResult Time(string loop, EngineBenchOptions options, Action<int> step, Func<double> firstLoss)
    {
        int index = 0;
        for (int i = 0; i < options.Warmup; i++)
        {
            step(index++);
        }
        // Settled counts (garbage finalized) outside the timed steps; no Parameter is made in between (see LiveTensors).
        long liveBefore = LiveTensors.Settled();
        double rssBefore = RssMb();
        double bestStep = double.MaxValue;
        (TimeSpan cpuStart, TimeSpan systemStart) = CpuTime();
        long faultsStart = MinorFaults();
        long start = Stopwatch.GetTimestamp();
        for (int i = 0; i < options.Steps; i++)
        {
            long stepStart = Stopwatch.GetTimestamp();
            step(index++);
            bestStep = Math.Min(bestStep, Stopwatch.GetElapsedTime(stepStart).TotalSeconds);
        }
        double seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
        (TimeSpan cpuEnd, TimeSpan systemEnd) = CpuTime();
        long faults = MinorFaults() - faultsStart;
        double cpuSeconds = (cpuEnd - cpuStart).TotalSeconds;
        double systemSeconds = (systemEnd - systemStart).TotalSeconds;
        double rssAfter = RssMb();
        long liveAfter = LiveTensors.Settled();
        return new LoopResult(
            loop, seconds, options.Batch * (double)options.Steps / seconds, options.Batch / bestStep, cpuSeconds, systemSeconds, faults, firstLoss(),
            liveBefore, liveAfter, rssBefore, rssAfter);
    }

    // (user + system, system) CPU time of this process, all threads.
    private static (TimeSpan Total, TimeSpan System) CpuTime()
    {
        using Process self = Process.GetCurrentProcess();
        return (self.TotalProcessorTime, self.PrivilegedProcessorTime);
    }

    /// <summary>This process's minor page faults so far (field 10 of /proc/self/stat; −1 where there is none).</summary>
    public static long MinorFaults()
    {
        const string stat = "/proc/self/stat";
        if (!File.Exists(stat))
        {
            return -1;
        }
        // The command name (field 2) may hold spaces and parentheses: count fields after its closing parenthesis.
        string text = File.ReadAllText(stat);
        string[] fields = text[(text.LastIndexOf(')') + 2)..].Split(' ');
        return long.Parse(fields[7], CultureInfo.InvariantCulture);
    }

    /// <summary>The median of <paramref name="values"/> (the mean of the middle two for an even count).</summary>
    public static double Median(IEnumerable<double> values)
    {
        double[] sorted = values.Order().ToArray();
        int n = sorted.Length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[(n / 2) - 1] + sorted[n / 2]) / 2;
    }

    /// <summary>This process's resident set size in MB (VmRSS of /proc/self/status; the working set elsewhere).</summary>
    public static double RssMb()
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
