using System;
using System.Collections.Generic;
using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using DeepUnlearn.Configuration;
using DeepUnlearn.Data;
using DeepUnlearn.Data.Transforms;
using DeepUnlearn.Engine;
using DeepUnlearn.Evaluation;
using DeepUnlearn.Models;
using DeepUnlearn.Reporting;
using TorchSharp;
using static TorchSharp.torch;
using DeepUnlearn.Training;
using DeepUnlearn.Unlearning;
using DeepUnlearn.Unlearning.Methods.Pgu;
using Microsoft.Extensions.Logging;

namespace DeepUnlearn.Cli.Commands;

/// <summary><c>deepunlearn train</c>: trains a model of the zoo on a dataset, with checkpoints and resumption.</summary>
internal static class TrainCommand
{
    public static Command Create()
    {
        var data = CommonOptions.Data();
        var model = new Option<string>("--model") { Description = $"Architecture: {string.Join(", ", ModelRegistry.Names)}.", DefaultValueFactory = _ => "smallcnn" };
        var epochs = new Option<int?>("--epochs") { Description = "Epochs (train.epochs)." };
        var batchSize = new Option<int?>("--batch-size") { Description = "Mini-batch size (train.batch_size)." };
        var lr = new Option<double?>("--lr") { Description = "Initial learning rate (train.learning_rate)." };
        var optimizer = new Option<string?>("--optimizer") { Description = "sgd, adam or adamw (train.optimizer)." };
        var device = CommonOptions.Device();
        var seed = CommonOptions.Seed();
        var output = CommonOptions.Out();
        var resume = new Option<bool>("--resume") { Description = "Continue from OUT/last.safetensors when it exists." };
        var overwrite = CommonOptions.Overwrite();
        var pguRetainSpace = new Option<bool>("--pgu-retain-space") { Description = "Also store PGU's representation of the training data beside last.safetensors and best.safetensors (*.pgu.safetensors), so PGU requests on them need only the forget set." };
        var workers = CommonOptions.Workers();
        var config = CommonOptions.Config();
        var set = CommonOptions.Set();
        var verbose = CommonOptions.Verbose();
        var precision = new PrecisionCliOptions();
        var augmentOn = new Option<string>("--augment-on")
        {
            Description = "Where batches get their float conversion, flip and normalisation: auto (the device for CUDA, as uint8 batches; the loader threads on the CPU, measured faster there), host or device.",
            DefaultValueFactory = _ => "auto",
        };
        augmentOn.Validators.Add(result =>
        {
            if (ParsePlacement(result.GetValueOrDefault<string>()!) is null)
            {
                result.AddError($"--augment-on '{result.GetValueOrDefault<string>()}' is not valid; valid: auto, host, device");
            }
        });
        var command = new Command("train", "Train an image classifier; writes last/best checkpoints (safetensors), run.json and metrics.json.")
        {
            data, model, epochs, batchSize, lr, optimizer, device, seed, output, resume, overwrite, pguRetainSpace, workers, config, set, verbose,
        };
        precision.AddTo(command);
        command.Options.Add(augmentOn);
        command.SetAction((parse, cancellationToken) =>
        {
            TrainingConfig recipe = CommonOptions.Resolve(new TrainingConfig(), "train", parse.GetValue(config), parse.GetValue(set) ?? [], ["train"]);
            recipe = recipe with
            {
                Epochs = parse.GetValue(epochs) ?? recipe.Epochs,
                BatchSize = parse.GetValue(batchSize) ?? recipe.BatchSize,
                LearningRate = parse.GetValue(lr) ?? recipe.LearningRate,
                Optimizer = parse.GetValue(optimizer) is string o
                    ? SettingsBinder.Apply(recipe, [new("optimizer", o)], "train").Optimizer
                    : recipe.Optimizer,
                Seed = parse.GetResult(seed) is { Implicit: false } ? parse.GetValue(seed) : recipe.Seed,
                Workers = parse.GetResult(workers) is { Implicit: false } ? parse.GetValue(workers) : recipe.Workers,
            };
            return Task.FromResult(Run(parse.GetValue(data)!, parse.GetValue(model)!, recipe.Validate(), CommonOptions.ResolveDevice(parse.GetValue(device)!), parse.GetValue(output)!, parse.GetValue(resume), parse.GetValue(verbose), cancellationToken, parse.GetValue(pguRetainSpace), parse.GetValue(overwrite), precision.Resolve(parse), ParsePlacement(parse.GetValue(augmentOn)!)!.Value));
        });
        return command;
    }

    internal static int Run(string dataSpec, string modelName, TrainingConfig recipe, Device device, string output, bool resume, bool verbose, CancellationToken cancellationToken, bool pguRetainSpace = false, bool overwrite = false, PrecisionOptions? precision = null, AugmentationPlacement augmentation = AugmentationPlacement.Auto)
    {
        if (resume && overwrite)
        {
            throw new ArgumentException("--resume continues the run in --out and --overwrite replaces it: give one of them");
        }
        using ILoggerFactory logging = CliLogging.Create(verbose);
        using RunDirectory runDirectory = RunDirectory.Claim(output, resume ? RunDirectoryMode.Resume : overwrite ? RunDirectoryMode.Overwrite : RunDirectoryMode.New);
        // Library code draws from its own seeded generators; the global one is seeded too, for anything that uses it
        // (the returned handle is a second reference to the default generator, released at once).
        torch.manual_seed(unchecked((long)recipe.Seed)).Dispose();
        VisionData data = VisionData.Open(dataSpec, recipe.ValidationFraction, recipe.Seed, loggerFactory: logging);
        data.Augmentation = augmentation;
        string resumed = Path.Combine(output, Trainer.LastCheckpoint);
        if (resume && File.Exists(resumed))
        {
            // A resumed model meets the data again: its labels must mean the same classes.
            CheckpointCompatibility.EnsureFits(resumed, Checkpoint.ReadMetadata(resumed), data);
        }
        using ClassifierModel model = ModelRegistry.Create(modelName, new ModelOptions
        {
            NumClasses = data.Train.NumClasses,
            InChannels = data.Train.Channels,
            ImageSize = data.ImageSize,
            Seed = recipe.Seed,
        });
        PrecisionPolicy policy = precision?.Resolve(device, model) ?? PrecisionPolicy.Off;
        var manifest = new RunManifest
        {
            Command = "train",
            Config = new Dictionary<string, object?>
            {
                ["data"] = dataSpec,
                ["model"] = modelName,
                ["train"] = SettingsBinder.Describe(recipe),
                ["resume"] = resume,
                ["precision"] = policy.Describe(),
                ["augmentation"] = DataLoader.ResolvePlacement(augmentation, device, recipe.Augment ? TransformPresets.Train(data.Train, data.ImageSize) : TransformPresets.Eval(data.Train, data.ImageSize)).ToString().ToLowerInvariant(),
            },
            Seed = recipe.Seed,
            Device = device.ToString(),
        };
        if (overwrite)
        {
            // Training writes as it goes (a checkpoint per epoch, for --resume), so it cannot publish at the end. Once the
            // data has opened (bad input leaves the old run whole), the run it replaces goes, run.json first, so that a
            // failure never leaves this run's run.json beside the old checkpoints, nor a checkpoint --resume would continue.
            string[] previous = [Path.Combine(output, RunDirectory.ManifestName), Path.Combine(output, "metrics.json"),
                .. Trainer.CheckpointFiles(output), .. new[] { Trainer.LastCheckpoint, Trainer.BestCheckpoint }.Select(c => PguRetainSpace.PathFor(Path.Combine(output, c)))];
            foreach (string file in previous)
            {
                File.Delete(file);
            }
        }
        JsonFile.Write(Path.Combine(output, "run.json"), manifest);

        ModelPlacement.MoveTo(model, device);
        var metadata = new CheckpointMetadata
        {
            Model = model.Spec!,
            Dataset = dataSpec,
            ClassNames = data.Train.ClassNames.ToArray(),
            NormalizationMean = data.Train.Normalization.Mean.ToArray(),
            NormalizationStd = data.Train.Normalization.Std.ToArray(),
        };
        using DataLoader trainLoader = data.TrainLoader(data.Split.Train, training: true, recipe.BatchSize, recipe.Seed, device, recipe.Workers, recipe.Augment);
        using DataLoader validationLoader = data.TrainLoader(data.Split.Validation, training: false, recipe.BatchSize * 2, recipe.Seed, device, recipe.Workers);
        using DataLoader testLoader = data.TestLoader(recipe.BatchSize * 2, device, workers: recipe.Workers);

        Console.Error.WriteLine($"train: {modelName} ({model.ParameterCount():N0} parameters) on {dataSpec}: {data.Split.Train.Length:N0} train / {data.Split.Validation.Length:N0} validation / {data.Test.Count:N0} test, {device}, {policy}, {torch.get_num_threads()} threads");
        var trainer = new Trainer(logging.CreateLogger<Trainer>());
        TrainingResult result = trainer.Fit(model, trainLoader, validationLoader, recipe, new TrainingOptions
        {
            CheckpointDirectory = output,
            Resume = resume,
            Metadata = metadata,
            Progress = new ConsoleProgress("train"),
            Precision = policy,
        }, cancellationToken);

        Predictions test = ModelEvaluator.Predict(model, testLoader, cancellationToken);
        EvaluationReport report = EvaluationReport.From(test, data.Test.ClassNames, "last.safetensors", dataSpec);
        var metrics = new Dictionary<string, object?>
        {
            ["epochs"] = result.Epochs,
            ["resumed_from_epoch"] = result.StartEpoch,
            ["best_validation_accuracy"] = result.BestValidationAccuracy,
            ["test_accuracy"] = report.Accuracy,
            ["test_per_class_accuracy"] = report.PerClass,
            ["train_seconds"] = result.Seconds,
        };
        JsonFile.Write(Path.Combine(output, "metrics.json"), metrics);
        string took = result.StartEpoch == 0
            ? string.Create(CultureInfo.InvariantCulture, $"{result.Seconds:F1} s")
            : string.Create(CultureInfo.InvariantCulture, $"resumed at epoch {result.StartEpoch}, {result.Seconds:F1} s in this run");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"test accuracy {report.Accuracy:F2}% after {recipe.Epochs} epochs ({took}); checkpoints in {output}"));
        if (pguRetainSpace)
        {
            StorePguRetainSpaces(data, recipe, device, output, cancellationToken);
        }
        return Program.ExitOk;
    }

    /// <summary>
    /// PGU's R_D (Hoang et al., WACV 2024), computed once while the training data is at hand, beside last.safetensors
    /// and best.safetensors (one pass when they hold the same weights).
    /// </summary>
    private static void StorePguRetainSpaces(VisionData data, TrainingConfig recipe, Device device, string output, CancellationToken cancellationToken)
    {
        var progress = new ConsoleProgress("train");
        var protocol = new PguCovarianceProtocol { AugmentationSeed = DeterministicRandom.Hash(recipe.Seed, 0x70677552UL) };
        PguRetainSpace? previous = null;
        try
        {
            foreach (string name in new[] { Trainer.LastCheckpoint, Trainer.BestCheckpoint })
            {
                string checkpoint = Path.Combine(output, name);
                if (!File.Exists(checkpoint))
                {
                    continue;
                }
                var (weights, _) = Checkpoint.Load(checkpoint, device);
                using (weights)
                {
                    var clock = Stopwatch.StartNew();
                    if (previous is null || previous.ModelFingerprint != PguRetainSpace.Fingerprint(weights))
                    {
                        previous?.Dispose();
                        previous = null;
                        previous = PguRetainSpace.Compute(weights, data, protocol, device, recipe.Workers,
                            (done, total) => progress.Report(new UnlearningProgress("pgu", "retain space of " + name, done, total, double.NaN)), cancellationToken);
                    }
                    string path = previous.SaveBeside(checkpoint);
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"PGU retain space of {name} ({previous.Samples:N0} samples, {clock.Elapsed.TotalSeconds:F1} s) in {path}"));
                }
            }
        }
        finally
        {
            previous?.Dispose();
        }
    }

    /// <summary><c>--augment-on</c>: auto, host or device (case ignored); null for anything else.</summary>
    private static AugmentationPlacement? ParsePlacement(string text) => text.Trim().ToLowerInvariant() switch
    {
        "auto" => AugmentationPlacement.Auto,
        "host" => AugmentationPlacement.Host,
        "device" => AugmentationPlacement.Device,
        _ => null,
    };
}
