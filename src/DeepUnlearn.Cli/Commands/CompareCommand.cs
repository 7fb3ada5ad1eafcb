using System;
using System.Collections.Generic;
using System.CommandLine;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using DeepUnlearn.Configuration;
using DeepUnlearn.Data.Splits;
using DeepUnlearn.Evaluation;
using DeepUnlearn.Reporting;
using DeepUnlearn.Unlearning;
using Microsoft.Extensions.Logging;
using TorchSharp;

namespace DeepUnlearn.Cli.Commands;

/// <summary><c>deepunlearn compare</c>: several methods and the retrained reference on one request, one table.</summary>
internal static class CompareCommand
{
    public static Command Create()
    {
        var checkpoint = new Option<string>("--checkpoint") { Description = "The trained model (a safetensors checkpoint from 'deepunlearn train').", Required = true };
        var methods = new Option<string>("--methods") { Description = $"Comma-separated methods: {string.Join(", ", MethodRegistry.Names)}; NAME@VARIANT adds a second configuration of NAME, set with --set NAME@VARIANT.key=value (e.g. famr,famr@head --set famr@head.parameters=head).", Required = true };
        var seeds = new Option<string>("--seeds") { Description = "Comma-separated seeds (mean ± std over them).", DefaultValueFactory = _ => "0" };
        var retrained = new Option<string?>("--retrained") { Description = "Reuse this retrained model as the reference instead of retraining per seed." };
        var data = new Option<string?>("--data") { Description = "Dataset; defaults to the one recorded in the checkpoint." };
        var overwrite = CommonOptions.Overwrite();
        var resume = new Option<bool>("--resume")
        {
            Description = $"Continue the comparison in --out after a failure: the rows it finished (kept in OUT/{ProgressFolder}/ with their models) are taken as they are and only the missing ones run; refused when they were made with other settings.",
        };
        var saveModels = new Option<bool>("--save-models") { Description = "Keep every unlearned model as OUT/models/{method}-seed{seed}.safetensors." };
        var forget = new ForgetOptions();
        var device = CommonOptions.Device();
        var output = CommonOptions.Out();
        var workers = CommonOptions.Workers();
        var config = CommonOptions.Config();
        var set = CommonOptions.Set();
        var verbose = CommonOptions.Verbose();
        var evidence = new EvidenceOptions();
        var precision = new PrecisionCliOptions();
        var command = new Command("compare", "Run several unlearning methods and the retrained reference on one request; writes compare.md, compare.json and SVG charts.")
        {
            checkpoint, methods, seeds, retrained, data, saveModels, device, output, overwrite, resume, workers, config, set, verbose,
        };
        forget.AddTo(command);
        evidence.AddTo(command);
        precision.AddTo(command);
        command.SetAction((parse, cancellationToken) =>
        {
            IReadOnlyList<string> names = ParseMethods(parse.GetValue(methods)!);
            IReadOnlyList<ulong> seedList = ParseSeeds(parse.GetValue(seeds)!);
            var settings = ResolveSettings(names, parse.GetValue(config), parse.GetValue(set) ?? []);
            ComparisonReport report = Run(parse.GetValue(checkpoint)!, parse.GetValue(data), forget.Resolve(parse), names, settings, seedList, parse.GetValue(retrained),
                CommonOptions.ResolveDevice(parse.GetValue(device)!), parse.GetValue(workers), parse.GetValue(output)!, parse.GetValue(saveModels), parse.GetValue(verbose), cancellationToken,
                evidence.Probe(parse), evidence.Relearn(parse), parse.GetValue(overwrite), evidence.ProbeLayers(parse), precision.Resolve(parse), evidence.Attacks(parse), parse.GetValue(resume));
            Console.WriteLine(report.ToMarkdown());
            return Task.FromResult(Program.ExitOk);
        });
        return command;
    }

    internal static IReadOnlyList<string> ParseMethods(string text)
    {
        string[] names = text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (names.Length == 0)
        {
            throw new ArgumentException($"--methods is empty; valid: {string.Join(", ", MethodRegistry.Names)}");
        }
        return names.Select(n => MethodRegistry.FindLabel(n).Label).Distinct().ToArray();
    }

    internal static IReadOnlyList<ulong> ParseSeeds(string text)
    {
        var seeds = new List<ulong>();
        foreach (string part in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (!ulong.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out ulong seed))
            {
                throw new ArgumentException($"--seeds: '{part}' is not a non-negative integer (e.g. --seeds 0,1,2)");
            }
            seeds.Add(seed);
        }
        return seeds.Count > 0 ? seeds : throw new ArgumentException("--seeds is empty (e.g. --seeds 0,1,2)");
    }

    /// <summary>
    /// Each method's options from --config and --set (scopes: the method names, plus retrain), validated. A
    /// variant label (<c>famr@head</c>) starts from its method's scope (<c>famr</c>) and then applies its own.
    /// </summary>
    internal static Dictionary<string, IMethodOptions> ResolveSettings(IReadOnlyList<string> methods, string? configPath, IReadOnlyList<string> assignments)
    {
        var labels = methods.Append("retrain").Select(MethodRegistry.FindLabel).DistinctBy(l => l.Label).ToArray();
        string[] scopes = labels.Select(l => l.Label).Concat(labels.Select(l => l.Entry.Name)).Distinct().ToArray();
        var result = new Dictionary<string, IMethodOptions>(StringComparer.Ordinal);
        foreach (var (entry, label) in labels)
        {
            IMethodOptions options = CommonOptions.Resolve(entry.Defaults(), entry.Name, configPath, assignments, scopes);
            if (label != entry.Name)
            {
                options = CommonOptions.Resolve(options, label, configPath, assignments, scopes);
            }
            options.Validate();
            result[label] = options;
        }
        return result;
    }

    /// <summary>The folder of --out where the finished rows and their models are kept until the comparison is published.</summary>
    internal const string ProgressFolder = "progress";

    internal static ComparisonReport Run(string checkpoint, string? data, ForgetRequest request, IReadOnlyList<string> methods, Dictionary<string, IMethodOptions> settings, IReadOnlyList<ulong> seeds, string? retrained, torch.Device device, int workers, string output, bool saveModels, bool verbose, CancellationToken cancellationToken, bool probe = true, RelearnOptions? relearn = null, bool overwrite = false, IReadOnlyList<string>? probeLayers = null, Engine.PrecisionOptions? precision = null, DeepUnlearn.Evaluation.Attacks.PerExampleAttackOptions? attacks = null, bool resume = false)
    {
        if (resume && overwrite)
        {
            throw new ArgumentException("--resume continues the comparison in --out and --overwrite replaces it: give one of them");
        }
        using ILoggerFactory logging = CliLogging.Create(verbose);
        using RunDirectory runDirectory = RunDirectory.Claim(output, resume ? RunDirectoryMode.Resume : overwrite ? RunDirectoryMode.Overwrite : RunDirectoryMode.New);
        string progress = runDirectory.Final(ProgressFolder);
        if (resume && !Directory.Exists(progress) && File.Exists(runDirectory.Final(RunDirectory.ManifestName)))
        {
            throw new IOException($"--out '{output}' holds a finished run and no unfinished comparison ({ProgressFolder}/) to resume; pass --overwrite to run it again, or choose another --out");
        }
        using UnlearningSession session = UnlearningSession.Open(checkpoint, data, request, device, workers, logging, precision: precision);
        var runner = new ComparisonRunner(session)
        {
            Status = new ConsoleStatus("compare"),
            Progress = new ConsoleProgress("compare"),
            Probe = probe,
            ProbeLayers = probeLayers,
            Relearn = relearn,
            Attacks = attacks,
        };
        // Each finished row and its model are kept in OUT/progress as they complete (a late failure keeps them; --resume
        // takes them up); the report, metrics, run.json and models are staged and published together at the end, so a
        // failed run (with --overwrite too) leaves the published files of --out as they were.
        ComparisonJournal journal = ComparisonJournal.Open(progress, runner.Settings(methods, settings, seeds, retrained), resume);
        IReadOnlyList<string> finished = journal.Finished();
        if (finished.Count > 0)
        {
            Console.Error.WriteLine($"compare: resuming: {finished.Count} finished rows in {progress} ({string.Join(", ", finished)}); running the rest");
        }
        Console.Error.WriteLine($"compare: {string.Join(", ", methods)} on {session.Metadata.Model.Name}, request {request}: forget {session.Sets.Forget.Length:N0}, retain {session.Sets.Retain.Length:N0}; seeds {string.Join(",", seeds)}; {device}, {session.Precision}");
        ComparisonReport report = runner.Run(methods, settings, seeds, retrained, cancellationToken, journal);

        report.Write(runDirectory.StagingFolder());
        JsonFile.Write(runDirectory.Staged("metrics.json"), report.Runs);
        if (saveModels)
        {
            foreach (string file in journal.Rows().SelectMany(r => r.Files))
            {
                // Copies: the rows keep their models until the run is published (a failure here leaves them resumable).
                AtomicFile.Copy(journal.FilePath(file), runDirectory.Staged(Path.Combine(ModelsFolder, file)));
            }
        }
        JsonFile.Write(runDirectory.Staged(RunDirectory.ManifestName), new RunManifest
        {
            Command = "compare",
            Config = new Dictionary<string, object?>
            {
                ["checkpoint"] = checkpoint,
                ["dataset"] = session.Data.Specification,
                ["request"] = request.ToString(),
                ["methods"] = methods,
                ["seeds"] = seeds,
                ["retrained"] = retrained,
                ["probe"] = probe,
                ["probe_layers"] = probeLayers,
                ["relearn"] = relearn,
                ["attacks"] = attacks,
                ["settings"] = settings.ToDictionary(kv => kv.Key, kv => (object)SettingsBinder.Describe(kv.Value)),
                ["precision"] = session.Precision.Describe(),
                ["save_models"] = saveModels,
                ["resumed_rows"] = finished,
            },
            Seed = seeds[0],
            Device = device.ToString(),
        });
        runDirectory.Publish(EarlierOutputs(runDirectory.Path));
        string models = runDirectory.Final(ModelsFolder);
        if (!saveModels && Directory.Exists(models) && !Directory.EnumerateFileSystemEntries(models).Any())
        {
            // An earlier run's models went with Publish: its folder goes too.
            Directory.Delete(models);
        }
        Directory.Delete(progress, recursive: true);
        return report;
    }

    private const string ModelsFolder = "models";

    /// <summary>
    /// The files an earlier comparison in <paramref name="directory"/> may have written (relative paths): those this run
    /// does not write go when it is published, so that an old report, chart or model never sits beside the new run.
    /// </summary>
    private static IEnumerable<string> EarlierOutputs(string directory)
    {
        string[] fixedNames =
        [
            "compare.json", "compare.md", "metrics.json", "metrics.svg", "time.svg", OutputEvidenceReport.PerClassChart,
            OutputEvidenceReport.RocChart, OutputEvidenceReport.LayerChart, DeepUnlearn.Evaluation.Attacks.AttackFiles.JsonFileName,
            DeepUnlearn.Evaluation.Attacks.AttackFiles.RocFileName,
        ];
        IEnumerable<string> charts = Directory.EnumerateFiles(directory, "forget-*.svg")
            .Select(Path.GetFileName)
            .OfType<string>()
            .Where(n => n.StartsWith("forget-confidence-", StringComparison.Ordinal) || n.StartsWith("forget-entropy-", StringComparison.Ordinal));
        string models = Path.Combine(directory, ModelsFolder);
        IEnumerable<string> modelFiles = Directory.Exists(models) && new DirectoryInfo(models).LinkTarget is null
            ? Directory.EnumerateFiles(models, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(directory, f))
            : [];
        return fixedNames.Concat(charts).Concat(modelFiles).ToArray();
    }
}
