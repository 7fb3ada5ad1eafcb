using System;
using System.Collections.Generic;
using System.CommandLine;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.Json;
using DeepUnlearn.Engine;
using DeepUnlearn.Reporting;
using TorchSharp;
using static TorchSharp.torch;
using DeepUnlearn.Training.Trajectory;
using DeepUnlearn.Unlearning.Methods.DeltaGrad;
using DeepUnlearn.Unlearning.Methods.DeltaGrad.Models;
using Spectre.Console;

namespace DeepUnlearn.Cli.Commands;

/// <summary>
/// <c>deepunlearn deltagrad</c>: train (or reuse from <c>--trajectory</c>) a logistic-regression or
/// two-layer model with a recorded trajectory, delete or add samples (in one request, or a stream of requests
/// applied one after another), and compare DeltaGrad with exact retraining.
/// </summary>
internal static class DeltaGradCommand
{
    public static Command Create()
    {
        var shared = new DeltaGradCliOptions(defaultBatchSize: 0, defaultEpochs: 40);
        var deleteIds = new Option<FileInfo?>("--delete-ids") { Description = "File of sample ids to delete (whitespace, comma or newline separated)." };
        var deleteFraction = new Option<double?>("--delete-fraction") { Description = "Delete this fraction of the training set, drawn with --seed (the default request: 0.001)." };
        var addCount = new Option<int?>("--add-count")
        {
            Description = "Add N samples: N ids drawn with --seed are held out of the original training, then added.",
        };
        var addIds = new Option<FileInfo?>("--add-ids") { Description = "File of sample ids held out of the original training, then added." };
        var stream = new Option<int>("--stream")
        {
            Description = "Apply the request as K requests one after another (the paper's online setting), reporting cumulative time and distance to exact retraining after each.",
            DefaultValueFactory = _ => 1,
        };
        var trajectoryPath = new Option<FileInfo?>("--trajectory") { Description = "Trajectory file: reused when it exists, recorded there otherwise (in memory when omitted)." };
        var outDir = new Option<DirectoryInfo?>("--out") { Description = "Directory for run.json and metrics.json." };
        var json = new Option<bool>("--json") { Description = "Print the metrics as JSON instead of a table." };
        var overwrite = CommonOptions.Overwrite();

        var command = new Command("deltagrad", "Compare DeltaGrad with exact retraining after deleting or adding training samples, in one request or a stream of them.")
        {
            deleteIds, deleteFraction, addCount, addIds, stream, trajectoryPath, outDir, json, overwrite,
        };
        shared.AddTo(command);
        command.SetAction(parse =>
        {
            int given = (parse.GetValue(deleteIds) is null ? 0 : 1) + (parse.GetValue(deleteFraction) is null ? 0 : 1)
                + (parse.GetValue(addCount) is null ? 0 : 1) + (parse.GetValue(addIds) is null ? 0 : 1);
            if (given > 1)
            {
                return Usage("give one request: --delete-ids, --delete-fraction, --add-count or --add-ids");
            }
            double fraction = parse.GetValue(deleteFraction) ?? 0.001;
            if (!(fraction > 0 && fraction < 1))
            {
                return Usage($"--delete-fraction must be in (0, 1), got {fraction.ToString(CultureInfo.InvariantCulture)}");
            }
            if (parse.GetValue(addCount) is int count && count < 1)
            {
                return Usage($"--add-count must be ≥ 1, got {count}");
            }
            if (parse.GetValue(stream) < 1)
            {
                return Usage($"--stream must be ≥ 1 (1: one request), got {parse.GetValue(stream)}");
            }
            DeltaGradRecipe recipe;
            DeltaGradOptions options;
            try
            {
                recipe = shared.Recipe(parse);
                options = shared.Algorithm(parse);
            }
            catch (Exception e) when (e is ArgumentOutOfRangeException or FormatException)
            {
                return Usage(e.Message);
            }
            int size = parse.GetValue(shared.TrainSize);
            if (size < 0)
            {
                return Usage("--train-size must be ≥ 0");
            }
            Device target = shared.TargetDevice(parse);
            var settings = new Settings(
                parse.GetValue(shared.Dataset)!, parse.GetValue(shared.DataDirectory), size, recipe, options, target,
                parse.GetValue(deleteIds), fraction, parse.GetValue(addCount), parse.GetValue(addIds), parse.GetValue(stream),
                parse.GetValue(trajectoryPath), parse.GetValue(outDir), parse.GetValue(json), parse.GetValue(overwrite));
            return Run(settings);
        });
        return command;
    }

    // The size of the file itself, also when the name is a symbolic link (FileInfo.Length is then the link's own length).
    private static long SizeOf(string path)
    {
        var entry = new FileInfo(path);
        return entry.ResolveLinkTarget(returnFinalTarget: true) is FileInfo { Exists: true } target ? target.Length : entry.Length;
    }

    private static int Run(Settings settings)
    {
        DeltaGradRecipe recipe = settings.Recipe;
        // --out is this run's from here (RunDirectory); its files are staged and published together at the end.
        using RunDirectory? output = settings.OutDirectory is null ? null
            : RunDirectory.Claim(settings.OutDirectory.FullName, settings.Overwrite ? RunDirectoryMode.Overwrite : RunDirectoryMode.New);
        using var scope = torch.NewDisposeScope();
        var (train, test) = DeltaGradData.Load(settings.Dataset, settings.DataDirectory, settings.TrainSize, recipe.ScalarType, settings.Device, recipe.Seed);
        using (train)
        using (test)
        using (FlatModel model = recipe.CreateModel(train.FeatureCount, train.ClassCount(), settings.Device))
        {
            long[] all = Enumerable.Range(0, checked((int)train.Count)).Select(i => (long)i).ToArray();
            // The request is fixed before any training: an addition's ids are held out of the original run.
            DatasetChange change = Request(settings, all);
            if (settings.Stream > change.Ids.Count)
            {
                return Usage($"--stream {settings.Stream} needs at least as many samples; the request changes {change.Ids.Count}");
            }
            HashSet<long> heldOut = change.Kind == DatasetChangeKind.Addition ? new HashSet<long>(change.Ids) : [];
            long[] trainIds = all.Where(id => !heldOut.Contains(id)).ToArray();
            TrainingTrajectory trajectory;
            bool reused = settings.Trajectory is { Exists: true };
            double? trainSeconds = null;
            long trajectoryBytes;
            if (reused)
            {
                trajectory = TrainingTrajectory.Open(settings.Trajectory!.FullName);
                trajectory.EnsureMatches(model.Identity, model.ParameterCount, train.Identity, train.Count);
                trajectoryBytes = SizeOf(settings.Trajectory.FullName) + SizeOf(settings.Trajectory.FullName + ".ids");
                Info(settings, $"reusing trajectory {settings.Trajectory.FullName} ({trajectory.StepCount} steps; its learning rates and weight decay apply)");
            }
            else
            {
                BatchSchedule schedule = recipe.CreateSchedule(trainIds);
                TrajectoryMetadata meta = recipe.Metadata(model, train, schedule);
                trajectoryBytes = TrainingTrajectory.EstimateBytes(schedule, model.ParameterCount, meta.ElementType);
                string held = heldOut.Count > 0 ? string.Create(CultureInfo.InvariantCulture, $", {heldOut.Count} held out to be added") : string.Empty;
                Info(settings, string.Create(CultureInfo.InvariantCulture,
                    $"training {model.Identity} on {train.Identity} ({trainIds.Length} samples{held}, {recipe}); trajectory: {schedule.StepCount} steps, {trajectoryBytes / 1e6:F1} MB"));
                trajectory = settings.Trajectory is null
                    ? TrainingTrajectory.InMemory(meta, settings.Device)
                    : TrainingTrajectory.Create(settings.Trajectory.FullName, meta, schedule.StepCount);
                try
                {
                    TrainingRun run = PlainTrainer.Train(model, train, schedule, recipe.LearningRateSchedule(schedule.StepsPerEpoch), recipe.WeightDecay, trajectory);
                    trainSeconds = run.Elapsed.TotalSeconds;
                    if (settings.Trajectory is not null)
                    {
                        // Publish the file and read it back, so the comparison runs on what was stored.
                        trajectory.Complete();
                        trajectory.Dispose();
                        trajectory = TrainingTrajectory.Open(settings.Trajectory.FullName);
                    }
                }
                catch
                {
                    trajectory.Dispose();
                    throw;
                }
            }
            using (trajectory)
            {
                DeltaGradMetrics? metrics = null;
                IReadOnlyList<DeltaGradStreamStep>? steps = null;
                if (settings.Stream == 1)
                {
                    using DeltaGradResult result = DeltaGradComparison.Run(model, train, trajectory, change, settings.Options, test);
                    metrics = result.Metrics;
                    Report(settings, metrics);
                }
                else
                {
                    Info(settings, string.Create(CultureInfo.InvariantCulture,
                        $"online: {change.Ids.Count} samples in {settings.Stream} requests, each replaying the path the previous one left and compared with a retrain on all requests so far"));
                    using DeltaGradStreamResult result = DeltaGradStream.Run(model, train, trajectory, change.SplitInto(settings.Stream), settings.Options, test);
                    steps = result.Steps;
                    ReportStream(settings, steps);
                }
                if (output is not null)
                {
                    WriteOutputs(output, settings, model, train, trajectory, metrics, steps, reused, trainSeconds, trajectoryBytes);
                }
            }
        }
        return Program.ExitOk;
    }

    /// <summary>The request the options name, over the dataset's ids <paramref name="all"/>.</summary>
    private static DatasetChange Request(Settings settings, long[] all)
    {
        ulong seed = settings.Recipe.Seed;
        if (settings.AddIds is not null)
        {
            return DatasetChange.Add(ReadIds(settings.AddIds, all.Length), seed);
        }
        if (settings.AddCount is int count)
        {
            if (count >= all.Length)
            {
                throw new ArgumentOutOfRangeException(nameof(settings), count, $"--add-count must be below the {all.Length} samples of the dataset (the rest train the original model)");
            }
            return DatasetChange.AddRandomCount(all, count, seed);
        }
        return settings.DeleteIds is not null
            ? DatasetChange.Delete(ReadIds(settings.DeleteIds, all.Length))
            : DatasetChange.DeleteRandomFraction(all, settings.DeleteFraction, seed);
    }

    private static void Report(Settings settings, DeltaGradMetrics m)
    {
        if (settings.Json)
        {
            Console.WriteLine(JsonSerializer.Serialize(m, JsonFile.Options));
            return;
        }
        IAnsiConsole console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(Console.Out),
            Ansi = Console.IsOutputRedirected ? AnsiSupport.No : AnsiSupport.Detect,
        });
        // Redirected output has no terminal width; Spectre would squeeze the table into 80 columns.
        console.Profile.Width = Math.Max(console.Profile.Width, 160);
        string F(double value, string format) => value.ToString(format, CultureInfo.InvariantCulture);
        string Accuracy(double? value) => value is null ? "–" : F(value.Value, "F2") + " %";
        var table = new Table().AddColumn("").AddColumn(new TableColumn("DeltaGrad").RightAligned()).AddColumn(new TableColumn("exact retraining").RightAligned());
        table.Title = new TableTitle(string.Create(CultureInfo.InvariantCulture,
            $"{m.Change} of {m.ChangedSamples} / {m.TrainingSamples} samples, {m.Steps} steps (T0 {m.Period}, j0 {m.BurnIn}, m {m.History})"));
        table.AddRow("time", F(m.DeltaGradSeconds, "F3") + " s", F(m.RetrainSeconds, "F3") + " s");
        table.AddRow("speed-up", F(m.Speedup, "F2") + "×", "1×");
        table.AddRow("exact / approximate steps", $"{m.ExactSteps} / {m.ApproximateSteps}", $"{m.Steps} / 0");
        table.AddRow("‖w − w_retrain‖", F(m.DistanceToRetrain, "G4"), "0");
        table.AddRow("‖w_orig − w_retrain‖", F(m.OriginalDistanceToRetrain, "G4"), "");
        table.AddRow("relative distance", F(m.RelativeDistance, "G4"), "");
        table.AddRow("test accuracy", Accuracy(m.TestAccuracyDeltaGrad), Accuracy(m.TestAccuracyRetrain));
        table.AddRow("test accuracy (original)", Accuracy(m.TestAccuracyOriginal), "");
        console.Write(table);
    }

    private static void ReportStream(Settings settings, IReadOnlyList<DeltaGradStreamStep> steps)
    {
        if (settings.Json)
        {
            Console.WriteLine(JsonSerializer.Serialize(steps, JsonFile.Options));
            return;
        }
        IAnsiConsole console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(Console.Out),
            Ansi = Console.IsOutputRedirected ? AnsiSupport.No : AnsiSupport.Detect,
        });
        console.Profile.Width = Math.Max(console.Profile.Width, 160);
        console.Write(DeltaGradTables.Stream(steps, settings.Options));
    }

    private static void WriteOutputs(
        RunDirectory output, Settings settings, FlatModel model, SampleTable train, TrainingTrajectory trajectory, DeltaGradMetrics? metrics,
        IReadOnlyList<DeltaGradStreamStep>? steps, bool reused, double? trainSeconds, long trajectoryBytes)
    {
        string version = ToolkitInfo.Version;
        int plus = version.IndexOf('+', StringComparison.Ordinal);
        var run = new Dictionary<string, object?>
        {
            ["command"] = "deltagrad",
            ["dataset"] = settings.Dataset,
            ["dataset_identity"] = train.Identity,
            ["train_size"] = train.Count,
            ["model"] = model.Identity,
            // A reused trajectory is replayed as recorded: the training recipe of this command line was not used, so
            // run.json gives the trajectory's own steps, learning rates and weight decay instead of claiming it.
            ["recipe"] = reused ? null : settings.Recipe,
            ["trajectory_steps"] = trajectory.StepCount,
            ["trajectory_steps_per_epoch"] = trajectory.Metadata.StepsPerEpoch,
            ["trajectory_learning_rates"] = Enumerable.Range(0, trajectory.StepCount).Select(trajectory.LearningRate).Distinct().ToArray(),
            ["options"] = settings.Options,
            ["delete_ids_file"] = settings.DeleteIds?.FullName,
            ["delete_fraction"] = settings.DeleteIds is null && settings.AddIds is null && settings.AddCount is null ? settings.DeleteFraction : null,
            ["add_ids_file"] = settings.AddIds?.FullName,
            ["add_count"] = settings.AddCount,
            ["stream_requests"] = settings.Stream,
            ["seed"] = settings.Recipe.Seed,
            ["trajectory"] = settings.Trajectory?.FullName ?? "memory",
            ["trajectory_reused"] = reused,
            ["trajectory_weight_decay"] = trajectory.Metadata.WeightDecay,
            ["git_commit"] = plus >= 0 ? version[(plus + 1)..] : "unknown",
            ["deepunlearn_version"] = version,
            ["libtorch_version"] = TorchRuntime.EnsureInitialized().LibTorchVersion,
            ["device"] = settings.Device.ToString(),
            ["created_utc"] = DateTime.UtcNow.ToString("O", CultureInfo.InvariantCulture),
        };
        JsonFile.Write(output.Staged(RunDirectory.ManifestName), run);
        var metricsFile = new Dictionary<string, object?>
        {
            ["deltagrad"] = metrics,
            ["stream"] = steps,
            ["original_training_seconds"] = trainSeconds,
            ["trajectory_bytes"] = trajectoryBytes,
        };
        JsonFile.Write(output.Staged("metrics.json"), metricsFile);
        output.Publish();
    }

    private static long[] ReadIds(FileInfo file, int datasetSize)
    {
        if (!file.Exists)
        {
            throw new FileNotFoundException($"no id file at {file.FullName}", file.FullName);
        }
        var ids = new List<long>();
        foreach (string token in Data.InputFile.ReadAllText(file.FullName, "id file").Split([' ', '\t', '\r', '\n', ','], StringSplitOptions.RemoveEmptyEntries))
        {
            if (!long.TryParse(token, NumberStyles.Integer, CultureInfo.InvariantCulture, out long id))
            {
                throw new FormatException($"{file.FullName}: '{token}' is not a sample id");
            }
            if (id < 0 || id >= datasetSize)
            {
                throw new FormatException($"{file.FullName}: sample id {id} is outside the dataset's ids [0, {datasetSize})");
            }
            ids.Add(id);
        }
        return ids.ToArray();
    }

    private static void Info(Settings settings, string message)
    {
        if (!settings.Json)
        {
            Console.WriteLine(message);
        }
    }

    private static int Usage(string message)
    {
        Console.Error.WriteLine($"error: {message}");
        return Program.ExitUsage;
    }

    private sealed record Settings(
        string Dataset,
        string? DataDirectory,
        int TrainSize,
        DeltaGradRecipe Recipe,
        DeltaGradOptions Options,
        Device Device,
        FileInfo? DeleteIds,
        double DeleteFraction,
        int? AddCount,
        FileInfo? AddIds,
        int Stream,
        FileInfo? Trajectory,
        DirectoryInfo? OutDirectory,
        bool Json,
        bool Overwrite);
}
