using System;
using System.CommandLine;
using System.Linq;
using System.Threading.Tasks;
using DeepUnlearn.Data;
using DeepUnlearn.Evaluation;
using DeepUnlearn.Reporting;
using DeepUnlearn.Training;
using TorchSharp;

namespace DeepUnlearn.Cli.Commands;

/// <summary><c>deepunlearn evaluate</c>: overall and per-class accuracy and the confusion matrix of a checkpoint.</summary>
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
        var command = new Command("evaluate", "Evaluate a checkpoint: accuracy, per-class accuracy, confusion matrix (Markdown; JSON and Markdown files with --out).")
        {
            checkpoint, data, split, batchSize, device, workers, output, overwrite,
        };
        command.SetAction((parse, cancellationToken) =>
        {
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
}
