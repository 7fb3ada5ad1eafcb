using System;
using System.Collections.Generic;
using System.CommandLine;
using System.Globalization;
using System.IO;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using DeepUnlearn.Configuration;
using DeepUnlearn.Evaluation;
using DeepUnlearn.Evaluation.Attacks;
using DeepUnlearn.Reporting;
using DeepUnlearn.Training;
using DeepUnlearn.Unlearning;
using DeepUnlearn.Unlearning.Methods.Pgu;
using Microsoft.Extensions.Logging;
using TorchSharp;

namespace DeepUnlearn.Cli.Commands;

/// <summary><c>deepunlearn unlearn</c>: one method on one deletion request, with the evidence.</summary>
internal static class UnlearnCommand
{
    public static Command Create()
    {
        var checkpoint = new Option<string>("--checkpoint") { Description = "The trained model (a safetensors checkpoint from 'deepunlearn train').", Required = true };
        var method = new Option<string>("--method") { Description = $"The method: {string.Join(", ", MethodRegistry.Names)}.", Required = true };
        var retrained = new Option<string?>("--retrained") { Description = "A model retrained without the forget set (for Avg. Gap, JS divergence, distance, speed-up)." };
        var data = new Option<string?>("--data") { Description = "Dataset; defaults to the one recorded in the checkpoint." };
        var references = new Option<string?>("--reference-models") { Description = "With --attacks: comma-separated checkpoints retrained without the forget set with seeds other than --retrained's (at least --attack-references of them; 'compare --attacks --save-models' writes them as models/reference-seed*.safetensors)." };
        var forget = new ForgetOptions();
        var device = CommonOptions.Device();
        var seed = CommonOptions.Seed();
        var output = CommonOptions.Out();
        var overwrite = CommonOptions.Overwrite();
        var workers = CommonOptions.Workers();
        var config = CommonOptions.Config();
        var set = CommonOptions.Set();
        var verbose = CommonOptions.Verbose();
        var evidence = new EvidenceOptions();
        var precision = new PrecisionCliOptions();
        var command = new Command("unlearn", "Unlearn a deletion request with one method; writes the unlearned checkpoint, run.json, metrics.json and report.md.")
        {
            checkpoint, method, retrained, data, references, device, seed, output, overwrite, workers, config, set, verbose,
        };
        forget.AddTo(command);
        evidence.AddTo(command);
        precision.AddTo(command);
        command.SetAction((parse, cancellationToken) => Task.FromResult(Run(
            parse.GetValue(checkpoint)!,
            parse.GetValue(method)!,
            parse.GetValue(retrained),
            parse.GetValue(data),
            forget.Resolve(parse),
            parse.GetValue(config),
            parse.GetValue(set) ?? [],
            CommonOptions.ResolveDevice(parse.GetValue(device)!),
            parse.GetValue(seed),
            parse.GetValue(workers),
            parse.GetValue(output)!,
            parse.GetValue(verbose),
            evidence.Probe(parse),
            evidence.Relearn(parse),
            parse.GetValue(overwrite),
            cancellationToken,
            precision.Resolve(parse),
            evidence.Attacks(parse),
            parse.GetValue(references),
            evidence.ProbeLayers(parse))));
        return command;
    }

    private static int Run(string checkpoint, string methodName, string? retrainedPath, string? data, Data.Splits.ForgetRequest request, string? configPath, IReadOnlyList<string> assignments, torch.Device device, ulong seed, int workers, string output, bool verbose, bool probe, RelearnOptions? relearn, bool overwrite, CancellationToken cancellationToken, Engine.PrecisionOptions precision, PerExampleAttackOptions? attacks = null, string? referenceList = null, IReadOnlyList<string>? probeLayers = null)
    {
        MethodEntry entry = MethodRegistry.Find(methodName);
        string[] referencePaths = (referenceList ?? string.Empty).Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        // Checked before unlearning: the attacks need a held-out retrained model and K others as the reference distribution.
        UnlearningEvidence.CheckAttacks(attacks, retrainedPath, referencePaths);
        IMethodOptions options = CommonOptions.Resolve(entry.Defaults(), entry.Name, configPath, assignments, [entry.Name]);
        options.Validate();
        using ILoggerFactory logging = CliLogging.Create(verbose);
        using RunDirectory runDirectory = RunDirectory.Claim(output, overwrite ? RunDirectoryMode.Overwrite : RunDirectoryMode.New);
        using UnlearningSession session = UnlearningSession.Open(checkpoint, data, request, device, workers, logging, precision: precision);
        if (retrainedPath is not null)
        {
            // From its metadata, before the method runs: a wrong reference must not cost the unlearning first.
            CheckpointCompatibility.EnsureSameModel(checkpoint, session.Metadata, "--retrained", retrainedPath, Checkpoint.ReadMetadata(retrainedPath));
        }
        // Every output is staged and published together at the end (RunDirectory.Publish): a run that fails leaves
        // --out as it was, so a failed re-run with --overwrite keeps the earlier run whole instead of pairing a new
        // run.json with the old model, report and metrics.
        JsonFile.Write(runDirectory.Staged(RunDirectory.ManifestName), new RunManifest
        {
            Command = "unlearn",
            Config = new Dictionary<string, object?>
            {
                ["checkpoint"] = checkpoint,
                ["dataset"] = session.Data.Specification,
                ["request"] = request.ToString(),
                ["method"] = entry.Name,
                [entry.Name] = SettingsBinder.Describe(options),
                ["retrained"] = retrainedPath,
                ["probe"] = probe,
                ["probe_layers"] = probeLayers,
                ["relearn"] = relearn,
                ["attacks"] = attacks,
                ["reference_models"] = referencePaths,
                ["forget_count"] = session.Sets.Forget.Length,
                ["retain_count"] = session.Sets.Retain.Length,
                ["precision"] = session.Precision.Describe(),
            },
            Seed = seed,
            Device = device.ToString(),
        });
        Console.Error.WriteLine($"unlearn: {entry.Name} on {session.Metadata.Model.Name}, request {request}: forget {session.Sets.Forget.Length:N0}, retain {session.Sets.Retain.Length:N0} samples, {device}, {session.Precision}");

        var progress = new ConsoleProgress(entry.Name);
        UnlearningContext context = session.Context(seed, progress);
        using UnlearningOutcome outcome = entry.Factory(options).Run(context, cancellationToken);
        const string UnlearnedName = "unlearned.safetensors";
        string unlearnedPath = runDirectory.Final(UnlearnedName);
        string stagedModel = runDirectory.Staged(UnlearnedName);
        Checkpoint.Save(stagedModel, outcome.Model, session.MetadataFor(entry.Name, outcome.Model) with { Seconds = outcome.Seconds });
        foreach (ICheckpointSidecar sidecar in outcome.Sidecars)
        {
            string staged = sidecar.SaveBeside(stagedModel);
            Console.Error.WriteLine($"unlearn: {runDirectory.Final(Path.GetFileName(staged))} goes beside the unlearned model");
        }

        // The rows and the report are assembled as compare assembles them (ComparisonRows), and written as evaluate
        // writes them for a model unlearned elsewhere (UnlearningEvidence), so that the same model gives the same numbers.
        var evaluator = new UnlearningEvaluator(context) { Probe = probe, ProbeLayers = probeLayers, Relearn = relearn };
        UnlearningEvidence evidence = UnlearningEvidence.Assemble("unlearn", session, context, evaluator, outcome.Model, outcome.Label(entry.Name), outcome.Seconds, outcome.Diagnostics, retrainedPath, attacks, referencePaths, cancellationToken);
        var sb = new StringBuilder(Header(entry, options, session, unlearnedPath));
        IReadOnlyList<string> optional = evidence.Write(runDirectory, sb, context.IsClassWise, [Path.GetFileName(PguRetainSpace.PathFor(unlearnedPath))]);
        string report = sb.ToString();
        AtomicFile.WriteAllText(runDirectory.Staged("report.md"), report);
        // A replaced run's optional outputs (PGU's retain space, the attack files, charts of another method or of evidence
        // this run did not measure) go unless this run wrote them.
        runDirectory.Publish(optional);
        Console.WriteLine(report);
        return Program.ExitOk;
    }

    /// <summary>The report's header: the method, where it ran, its settings (the table and evidence follow).</summary>
    private static string Header(MethodEntry entry, IMethodOptions options, UnlearningSession session, string unlearnedPath)
    {
        var inv = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        sb.AppendLine(inv, $"# Unlearning with {entry.Name}");
        sb.AppendLine();
        sb.AppendLine(inv, $"{entry.Summary} ({entry.Source})");
        sb.AppendLine();
        sb.AppendLine(inv, $"Model `{session.Metadata.Model.Name}` from `{session.CheckpointPath}` on `{session.Data.Specification}`; request `{session.Sets.Request}`: forget {session.Sets.Forget.Length:N0}, retain {session.Sets.Retain.Length:N0}. Unlearned model: `{unlearnedPath}`.");
        sb.AppendLine();
        sb.AppendLine(inv, $"Settings: {SettingsBinder.Format(options)}.");
        sb.AppendLine();
        return sb.ToString();
    }
}
