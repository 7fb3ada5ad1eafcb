using System;
using System.Collections.Generic;
using System.CommandLine;
using System.Globalization;
using System.IO;
using System.Linq;
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
        if (attacks is not null && (retrainedPath is null || referencePaths.Length < attacks.ReferenceModels))
        {
            // Checked before unlearning: the attacks need a held-out retrained model and K others as the reference distribution.
            throw new ArgumentException($"--attacks needs --retrained (the retrained model the unlearned one is compared with, example by example) and --reference-models with at least --attack-references = {attacks.ReferenceModels} other retrained checkpoints ({referencePaths.Length} given); 'compare --attacks' trains them for you");
        }
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

        // The rows and the report are assembled as compare assembles them (ComparisonRows), so that the same model gives
        // the same numbers in both commands.
        var evaluator = new UnlearningEvaluator(context) { Probe = probe, ProbeLayers = probeLayers, Relearn = relearn };
        Console.Error.WriteLine("unlearn: " + ComparisonRunner.EvaluationNotice("the original and the unlearned model", evaluator));
        ModelEvaluation originalEvaluation = evaluator.Evaluate(session.Original, cancellationToken);
        UnlearningMetrics original = evaluator.Metrics("original", originalEvaluation, 0);
        ModelEvaluation evaluation = evaluator.Evaluate(outcome.Model, cancellationToken);
        UnlearningMetrics metrics = evaluator.Metrics(outcome.Label(entry.Name), evaluation, outcome.Seconds, outcome.Diagnostics);
        UnlearningMetrics? retrained = null;
        UnlearningMetrics? doNothing = null;
        PerExampleAttackReport? attackReport = null;
        var runs = new List<UnlearningMetrics>();
        if (retrainedPath is not null)
        {
            var (model, retrainedMetadata) = Checkpoint.Load(retrainedPath, device);
            using (model)
            {
                CheckpointCompatibility.EnsureSameModel(checkpoint, session.Metadata, "--retrained", retrainedPath, retrainedMetadata);
                Console.Error.WriteLine("unlearn: " + ComparisonRunner.EvaluationNotice("the retrained model", evaluator));
                ModelEvaluation retrainedEvaluation = evaluator.Evaluate(model, cancellationToken);
                retrained = ComparisonRows.Reference(evaluator.Metrics("retrain", retrainedEvaluation, retrainedMetadata.Seconds ?? 0), retrainedEvaluation);
                doNothing = ComparisonRows.DoNothing(original, originalEvaluation, seed, retrained, retrainedEvaluation);
                metrics = ComparisonRows.Method(metrics, evaluation, retrained, retrainedEvaluation);
                runs.Add(retrained);
                runs.Add(doNothing);
                if (attacks is not null)
                {
                    attackReport = Attacks(attacks, referencePaths, session, context, seed, metrics.Method, evaluation, originalEvaluation, retrainedEvaluation, cancellationToken);
                }
            }
        }
        runs.Add(metrics);
        ComparisonReport evidence = ComparisonRows.Report(session, [seed], original, runs, retrained is null ? [] : [retrained], attackReport);
        JsonFile.Write(runDirectory.Staged("metrics.json"), new { original, unlearned = metrics, retrained, doNothing, attacks = attackReport });
        var sb = new StringBuilder(Report(entry, options, session, original, metrics, retrained, doNothing, unlearnedPath));
        sb.AppendLine();
        OutputEvidenceReport.AppendMarkdown(evidence, sb);
        IReadOnlyList<string> charts = OutputEvidenceReport.WriteCharts(evidence, runDirectory.StagingFolder());
        if (attackReport is not null)
        {
            AttackFiles.Write(runDirectory.StagingFolder(), attackReport);
            sb.Append(attackReport.ToMarkdown(AttackFiles.RocFileName));
        }
        sb.Append(Absent(retrainedPath is not null, attacks is not null, context.IsClassWise));
        string report = sb.ToString();
        AtomicFile.WriteAllText(runDirectory.Staged("report.md"), report);
        // A replaced run's optional outputs (PGU's retain space, the attack files, charts of another method or of evidence
        // this run did not measure) go unless this run wrote them.
        runDirectory.Publish([Path.GetFileName(PguRetainSpace.PathFor(unlearnedPath)), AttackFiles.JsonFileName, AttackFiles.RocFileName, .. ChartNames(runDirectory.Path, charts)]);
        Console.WriteLine(report);
        return Program.ExitOk;
    }

    /// <summary>
    /// The per-example attacks on one unlearned model (and on the original, "do nothing"): negatives from
    /// <c>--retrained</c>, the reference distribution from the K <c>--reference-models</c>.
    /// </summary>
    private static PerExampleAttackReport Attacks(PerExampleAttackOptions options, string[] referencePaths, UnlearningSession session, UnlearningContext context, ulong seed, string label, ModelEvaluation unlearned, ModelEvaluation original, ModelEvaluation retrained, CancellationToken cancellationToken)
    {
        Console.Error.WriteLine($"unlearn: per-example attacks against {options.ReferenceModels} reference models");
        var attacks = new PerExampleAttacks(options);
        attacks.AddRetrained(seed, ModelOutputs.Of(retrained.Forget, retrained.Test));
        foreach (string path in referencePaths.Take(options.ReferenceModels))
        {
            var (model, metadata) = Checkpoint.Load(path, session.Device);
            using (model)
            {
                if (metadata.Model.Name != session.Metadata.Model.Name || metadata.Model.NumClasses != session.Metadata.Model.NumClasses)
                {
                    throw new ArgumentException($"--reference-models '{path}' is a {metadata.Model.Name} with {metadata.Model.NumClasses} classes; the original is a {session.Metadata.Model.Name} with {session.Metadata.Model.NumClasses}");
                }
                attacks.AddReference(ReferenceRetrains.Outputs(model, context, cancellationToken).Outputs);
            }
        }
        attacks.AddTarget(ComparisonReport.DoNothing, seed, ModelOutputs.Of(original.Forget, original.Test));
        attacks.AddTarget(label, seed, ModelOutputs.Of(unlearned.Forget, unlearned.Test));
        return attacks.Compute() with { ClassWise = context.IsClassWise };
    }

    /// <summary>
    /// The evidence charts this command may write (<see cref="OutputEvidenceReport"/>): those of this run and those an
    /// earlier run left in <paramref name="directory"/> (whose per-method names depend on its method).
    /// </summary>
    private static IEnumerable<string> ChartNames(string directory, IReadOnlyList<string> written)
    {
        IEnumerable<string> earlier = Directory.Exists(directory)
            ? Directory.EnumerateFiles(directory, "forget-*.svg").Select(Path.GetFileName).OfType<string>()
            : [];
        return new[] { OutputEvidenceReport.PerClassChart, OutputEvidenceReport.RocChart, OutputEvidenceReport.LayerChart }.Concat(written).Concat(earlier).Distinct(StringComparer.Ordinal);
    }

    /// <summary>What this run could not measure, and what it would take: evidence against retraining needs a retrained model.</summary>
    private static string Absent(bool retrained, bool attacks, bool classWise)
    {
        var parts = new List<string>();
        if (!retrained)
        {
            parts.Add("Absent from this run because they need a model retrained without the forget set (`--retrained`): the Avg. Gap, the JS divergences and parameter distance to the retrained model, the \"do nothing\" baseline, the D_f confidence and entropy distances to retrain (conf/ent TV and W1) and retrain's bars and curves in the charts, and the per-example attacks.");
        }
        if (!attacks)
        {
            parts.Add("Not run: the per-example attacks (offline U-LiRA, the NeurIPS'23 per-example ε). They need `--attacks` with `--retrained` and K other retrained checkpoints in `--reference-models` (`compare --attacks --save-models` trains and keeps them; a sweep with `--attacks` draws them from its oracle cache).");
        }
        if (!classWise)
        {
            parts.Add("The representation probe, the per-layer probe and the class MIA apply to class-wise requests only.");
        }
        return parts.Count == 0 ? string.Empty : string.Join(Environment.NewLine + Environment.NewLine, parts) + Environment.NewLine;
    }

    private static string Report(MethodEntry entry, IMethodOptions options, UnlearningSession session, UnlearningMetrics original, UnlearningMetrics unlearned, UnlearningMetrics? retrained, UnlearningMetrics? doNothing, string unlearnedPath)
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
        sb.AppendLine("| model | UA (%) | RA (%) | TA (%) | MIA-efficacy (%) | loss-MIA (%) | ‖θ − θ0‖ | time (s) |");
        sb.AppendLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach (UnlearningMetrics m in new[] { original, unlearned }.Concat(retrained is null ? [] : [retrained]))
        {
            sb.AppendLine(inv, $"| {m.Method} | {m.UnlearningAccuracy:F2} | {m.RetainAccuracy:F2} | {m.TestAccuracy:F2} | {m.MiaEfficacy:F2} | {m.LossMiaEfficacy:F2} | {m.DistanceToOriginal:F3} | {m.Seconds:F1} |");
        }
        if (unlearned.ForgottenClassTestAccuracy is double f)
        {
            sb.AppendLine();
            sb.AppendLine(inv, $"Test accuracy on the forgotten class(es): {f:F2}% (original {original.ForgottenClassTestAccuracy:F2}%); TA above is on the remaining classes.");
        }
        if (unlearned.ProbeAccuracy is double probe)
        {
            sb.AppendLine();
            string retrainedProbe = retrained?.ProbeAccuracy is double r ? string.Create(inv, $", retrained {r:F2}% / {retrained.ProbeAuc:F3}") : string.Empty;
            sb.AppendLine(inv, $"Representation probe (logistic regression on the frozen penultimate features, forgotten class vs the rest, balanced held-out half of a test-set split; 50% / 0.5 = chance): accuracy {probe:F2}% / AUC {unlearned.ProbeAuc:F3}, original {original.ProbeAccuracy:F2}% / {original.ProbeAuc:F3}{retrainedProbe}. Near the original: the class is still encoded in the features (forgotten in the outputs only); compare with the retrained model, not with chance.");
        }
        if (unlearned.Relearn is RelearnResult relearn)
        {
            string Steps(RelearnResult? r) => r is null ? "–" : r.Steps is int n ? string.Create(inv, $"{n} steps ({r.Examples} examples)") : string.Create(inv, $"not within {r.MaxSteps} steps");
            sb.AppendLine();
            sb.AppendLine(string.Create(inv, $"Relearn time (fine-tuning a copy on {relearn.Samples} forget samples, full-batch SGD, until the accuracy on other forget samples reaches {relearn.ThresholdPercent:F2}%, a fixed share of the original's): unlearned {Steps(relearn)}, original {Steps(original.Relearn)}{(retrained is null ? string.Empty : ", retrained " + Steps(retrained.Relearn))}. Few steps: the knowledge was suppressed, not removed; compare with the retrained model."));
        }
        if (unlearned.AverageGap is double gap)
        {
            sb.AppendLine();
            string baseline = doNothing?.AverageGap is double d ? string.Create(inv, $" (do nothing: {d:F2}; a larger Gap than doing nothing is further from retraining than keeping the original)") : string.Empty;
            sb.AppendLine(inv, $"Against the retrained model: Avg. Gap {gap:F2}{baseline}, JS divergence {unlearned.JsDivergenceForget:F4} (forget) / {unlearned.JsDivergenceTest:F4} (test), ‖θ − θ_retrain‖ {unlearned.DistanceToRetrained:F3}{(unlearned.SpeedUp is double s ? string.Create(inv, $", speed-up {s:F1}×") : string.Empty)}.");
        }
        if (unlearned.Diagnostics.Count > 0)
        {
            sb.AppendLine();
            sb.AppendLine(inv, $"Diagnostics: {string.Join(", ", unlearned.Diagnostics.Select(kv => string.Create(inv, $"{kv.Key}={kv.Value:G6}")))}.");
        }
        return sb.ToString();
    }
}
