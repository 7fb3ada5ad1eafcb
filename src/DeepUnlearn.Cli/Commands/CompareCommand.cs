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
            checkpoint, methods, seeds, retrained, data, saveModels, device, output, overwrite, workers, config, set, verbose,
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
                evidence.Probe(parse), evidence.Relearn(parse), parse.GetValue(overwrite), evidence.ProbeLayers(parse), precision.Resolve(parse), evidence.Attacks(parse));
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

    internal static ComparisonReport Run(string checkpoint, string? data, ForgetRequest request, IReadOnlyList<string> methods, Dictionary<string, IMethodOptions> settings, IReadOnlyList<ulong> seeds, string? retrained, torch.Device device, int workers, string output, bool saveModels, bool verbose, CancellationToken cancellationToken, bool probe = true, RelearnOptions? relearn = null, bool overwrite = false, IReadOnlyList<string>? probeLayers = null, Engine.PrecisionOptions? precision = null, DeepUnlearn.Evaluation.Attacks.PerExampleAttackOptions? attacks = null)
    {
        using ILoggerFactory logging = CliLogging.Create(verbose);
        using RunDirectory runDirectory = RunDirectory.Claim(output, overwrite ? RunDirectoryMode.Overwrite : RunDirectoryMode.New);
        using UnlearningSession session = UnlearningSession.Open(checkpoint, data, request, device, workers, logging, precision: precision);
        JsonFile.Write(Path.Combine(output, "run.json"), new RunManifest
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
            },
            Seed = seeds[0],
            Device = device.ToString(),
        });
        Console.Error.WriteLine($"compare: {string.Join(", ", methods)} on {session.Metadata.Model.Name}, request {request}: forget {session.Sets.Forget.Length:N0}, retain {session.Sets.Retain.Length:N0}; seeds {string.Join(",", seeds)}; {device}, {session.Precision}");
        var runner = new ComparisonRunner(session)
        {
            Status = new ConsoleStatus("compare"),
            Progress = new ConsoleProgress("compare"),
            ModelDirectory = saveModels ? Path.Combine(output, "models") : null,
            Probe = probe,
            ProbeLayers = probeLayers,
            Relearn = relearn,
            Attacks = attacks,
        };
        ComparisonReport report = runner.Run(methods, settings, seeds, retrained, cancellationToken);
        report.Write(output);
        JsonFile.Write(Path.Combine(output, "metrics.json"), report.Runs);
        return report;
    }
}
