using System;
using System.Collections.Generic;
using System.CommandLine;
using System.Globalization;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using DeepUnlearn.Data;
using DeepUnlearn.Data.Splits;
using DeepUnlearn.Evaluation;
using DeepUnlearn.Evaluation.Attacks;
using DeepUnlearn.Reporting;
using DeepUnlearn.Training;
using DeepUnlearn.Unlearning;
using TorchSharp;

namespace DeepUnlearn.Cli.Commands;

/// <summary>
/// <c>deepunlearn evaluate</c>: overall and per-class accuracy and the confusion matrix of a checkpoint; with a deletion
/// request (<c>--forget-class</c>, ...) and <c>--original</c>, the forgetting evidence of a model unlearned elsewhere,
/// written as <c>unlearn</c> writes it (<see cref="UnlearningEvidence"/>).
/// </summary>
internal static class EvaluateCommand
{
    public static Command Create()
    {
        var checkpoint = new Option<string>("--checkpoint") { Description = "A safetensors checkpoint from 'deepunlearn train' or 'unlearn'.", Required = true };
        var data = new Option<string?>("--data") { Description = "Dataset; defaults to the one recorded in the checkpoint." };
        var split = new Option<string>("--split") { Description = "test, validation or train.", DefaultValueFactory = _ => "test" };
        var batchSize = new Option<int>("--batch-size") { Description = "Evaluation batch size.", DefaultValueFactory = _ => 512 };
        var device = CommonOptions.Device();
        var workers = CommonOptions.Workers();
        var output = CommonOptions.Out(required: false);
        var overwrite = CommonOptions.Overwrite();
        var original = new Option<string?>("--original") { Description = "With a deletion request: the model before unlearning (needed for the request's evidence: the original's row, ‖θ − θ0‖, ZRF's architecture, the relearn threshold; with --retrained, the \"do nothing\" row)." };
        var retrained = new Option<string?>("--retrained") { Description = "With a deletion request: a model retrained without the forget set (Avg. Gap, JS divergence, distances, D_f TV/W1 to retrain, do nothing)." };
        var references = new Option<string?>("--reference-models") { Description = "With --attacks: comma-separated checkpoints retrained without the forget set with seeds other than --retrained's." };
        var seed = CommonOptions.Seed();
        var forget = new ForgetOptions();
        var evidence = new EvidenceOptions();
        var command = new Command("evaluate", "Evaluate a checkpoint: accuracy, per-class accuracy, confusion matrix (Markdown; JSON and Markdown files with --out). With a deletion request and --original: the forgetting evidence of the checkpoint as the unlearned model, as 'unlearn' reports it.")
        {
            checkpoint, data, split, batchSize, device, workers, output, overwrite, original, retrained, references, seed,
        };
        forget.AddTo(command);
        evidence.AddTo(command);
        command.SetAction((parse, cancellationToken) =>
        {
            if (forget.Given(parse))
            {
                return Task.FromResult(RunWithRequest(
                    parse.GetValue(checkpoint)!,
                    parse.GetValue(original),
                    parse.GetValue(retrained),
                    parse.GetValue(data),
                    forget.Resolve(parse),
                    CommonOptions.ResolveDevice(parse.GetValue(device)!),
                    parse.GetValue(seed),
                    parse.GetValue(workers),
                    parse.GetValue(output),
                    parse.GetValue(overwrite),
                    evidence.Probe(parse),
                    evidence.ProbeLayers(parse),
                    evidence.Relearn(parse),
                    evidence.Attacks(parse),
                    parse.GetValue(references),
                    cancellationToken));
            }
            string[] requestOnly = [.. new (string Name, bool Given)[]
            {
                ("--original", parse.GetValue(original) is not null),
                ("--retrained", parse.GetValue(retrained) is not null),
                ("--reference-models", parse.GetValue(references) is not null),
                ("--probe-layers", evidence.ProbeLayers(parse) is not null),
                ("--relearn", evidence.Relearn(parse) is not null),
                ("--attacks", evidence.Attacks(parse) is not null),
            }.Where(o => o.Given).Select(o => o.Name)];
            if (requestOnly.Length > 0)
            {
                throw new ArgumentException($"{string.Join(", ", requestOnly)} score a deletion request: give one with --forget-class, --forget-fraction, --forget-count or --forget-ids (and --original), or leave them out to evaluate the checkpoint alone");
            }
            string path = parse.GetValue(checkpoint)!;
            torch.Device target = CommonOptions.ResolveDevice(parse.GetValue(device)!);
            // --out is this run's (a training run's folder is refused: its run.json and metrics.json are not ours to
            // replace); the files are staged and published together.
            using RunDirectory? run = parse.GetValue(output) is string dir
                ? RunDirectory.Claim(dir, parse.GetValue(overwrite) ? RunDirectoryMode.Overwrite : RunDirectoryMode.New)
                : null;
            var (model, metadata) = Checkpoint.Load(path, target);
            using (model)
            {
                TrainingConfig recipe = metadata.Config ?? new TrainingConfig();
                string spec = parse.GetValue(data) ?? metadata.Dataset;
                VisionData vision = VisionData.Open(spec, recipe.ValidationFraction, recipe.Seed);
                CheckpointCompatibility.EnsureFits(path, metadata, vision);
                int batch = parse.GetValue(batchSize);
                TrainingConfig.CheckBatchSize(batch, "--batch-size");
                int workerCount = parse.GetValue(workers);
                string which = parse.GetValue(split)!.ToLowerInvariant();
                using DataLoader loader = which switch
                {
                    "test" => vision.TestLoader(batch, target, workers: workerCount),
                    "validation" => vision.TrainLoader(vision.Split.Validation, training: false, batch, 0, target, workerCount),
                    "train" => vision.TrainLoader(vision.Split.Train, training: false, batch, 0, target, workerCount),
                    _ => throw new ArgumentException($"--split '{which}' is not valid; valid: test, validation, train"),
                };
                Predictions predictions = ModelEvaluator.Predict(model, loader, cancellationToken);
                EvaluationReport report = EvaluationReport.From(predictions, vision.Train.ClassNames.ToArray(), path, $"{spec} ({which})");
                string markdown = report.ToMarkdown();
                if (run is not null)
                {
                    JsonFile.Write(run.Staged("evaluation.json"), report);
                    AtomicFile.WriteAllText(run.Staged("evaluation.md"), markdown);
                    JsonFile.Write(run.Staged(RunDirectory.ManifestName), new RunManifest
                    {
                        Command = "evaluate",
                        Config = new System.Collections.Generic.Dictionary<string, object?> { ["checkpoint"] = path, ["dataset"] = spec, ["split"] = which },
                        Seed = 0,
                        Device = target.ToString(),
                    });
                    JsonFile.Write(run.Staged("metrics.json"), new { accuracy = report.Accuracy, loss = report.Loss, per_class = report.PerClass });
                    run.Publish();
                }
                Console.WriteLine(markdown);
            }
            return Task.FromResult(Program.ExitOk);
        });
        return command;
    }

    /// <summary>
    /// The checkpoint scored as the unlearned model of <paramref name="request"/> against <paramref name="originalPath"/>
    /// (and <paramref name="retrainedPath"/>): the rows, report, metrics.json and charts of <c>unlearn</c>.
    /// </summary>
    private static int RunWithRequest(string checkpointPath, string? originalPath, string? retrainedPath, string? data, ForgetRequest request, torch.Device device, ulong seed, int workers, string? output, bool overwrite, bool probe, IReadOnlyList<string>? probeLayers, RelearnOptions? relearn, PerExampleAttackOptions? attacks, string? referenceList, CancellationToken cancellationToken)
    {
        if (originalPath is null)
        {
            throw new ArgumentException("a deletion request needs --original, the model before unlearning: the evidence compares the checkpoint with it (its row, ‖θ − θ0‖, ZRF's random model of its architecture, the relearn threshold, \"do nothing\")");
        }
        if (output is null)
        {
            throw new ArgumentException("a deletion request writes a report, metrics.json and charts: give --out DIR");
        }
        string[] referencePaths = (referenceList ?? string.Empty).Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        UnlearningEvidence.CheckAttacks(attacks, retrainedPath, referencePaths);
        // From metadata, before any data is read or model evaluated: the three must be one architecture over one set of classes.
        CheckpointMetadata originalMetadata = Checkpoint.ReadMetadata(originalPath);
        CheckpointMetadata unlearnedMetadata = Checkpoint.ReadMetadata(checkpointPath);
        CheckpointCompatibility.EnsureSameModel(originalPath, originalMetadata, "--checkpoint", checkpointPath, unlearnedMetadata);
        if (retrainedPath is not null)
        {
            CheckpointCompatibility.EnsureSameModel(originalPath, originalMetadata, "--retrained", retrainedPath, Checkpoint.ReadMetadata(retrainedPath));
        }
        using RunDirectory run = RunDirectory.Claim(output, overwrite ? RunDirectoryMode.Overwrite : RunDirectoryMode.New);
        using UnlearningSession session = UnlearningSession.Open(originalPath, data, request, device, workers);
        var (model, metadata) = Checkpoint.Load(checkpointPath, device);
        using (model)
        {
            // A checkpoint from 'unlearn' names its method ("unlearn:ssd") and time; one from elsewhere is "unlearned".
            const string UnlearnPrefix = "unlearn:";
            string label = metadata.Producer.StartsWith(UnlearnPrefix, StringComparison.Ordinal) ? metadata.Producer[UnlearnPrefix.Length..] : "unlearned";
            JsonFile.Write(run.Staged(RunDirectory.ManifestName), new RunManifest
            {
                Command = "evaluate",
                Config = new Dictionary<string, object?>
                {
                    ["checkpoint"] = checkpointPath,
                    ["original"] = originalPath,
                    ["retrained"] = retrainedPath,
                    ["dataset"] = session.Data.Specification,
                    ["request"] = request.ToString(),
                    ["probe"] = probe,
                    ["probe_layers"] = probeLayers,
                    ["relearn"] = relearn,
                    ["attacks"] = attacks,
                    ["reference_models"] = referencePaths,
                    ["forget_count"] = session.Sets.Forget.Length,
                    ["retain_count"] = session.Sets.Retain.Length,
                },
                Seed = seed,
                Device = device.ToString(),
            });
            Console.Error.WriteLine($"evaluate: {checkpointPath} as the unlearned {session.Metadata.Model.Name}, request {request}: forget {session.Sets.Forget.Length:N0}, retain {session.Sets.Retain.Length:N0} samples, {device}");
            UnlearningContext context = session.Context(seed);
            var evaluator = new UnlearningEvaluator(context) { Probe = probe, ProbeLayers = probeLayers, Relearn = relearn };
            UnlearningEvidence evidence = UnlearningEvidence.Assemble("evaluate", session, context, evaluator, model, label, metadata.Seconds ?? 0, null, retrainedPath, attacks, referencePaths, cancellationToken);
            var inv = CultureInfo.InvariantCulture;
            var sb = new StringBuilder();
            sb.AppendLine(inv, $"# Forgetting evidence of `{checkpointPath}`");
            sb.AppendLine();
            sb.AppendLine(inv, $"Model `{session.Metadata.Model.Name}` unlearned from `{originalPath}` on `{session.Data.Specification}`; request `{session.Sets.Request}`: forget {session.Sets.Forget.Length:N0}, retain {session.Sets.Retain.Length:N0}. Scored as `unlearn` scores its own model; time is the one the checkpoint records (0 when it records none).");
            sb.AppendLine();
            IReadOnlyList<string> optional = evidence.Write(run, sb, context.IsClassWise, []);
            string report = sb.ToString();
            AtomicFile.WriteAllText(run.Staged("report.md"), report);
            run.Publish(optional);
            Console.WriteLine(report);
        }
        return Program.ExitOk;
    }
}
