using System;
using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using DeepUnlearn.Data.Splits;
using DeepUnlearn.Reporting;
using DeepUnlearn.Training;
using TorchSharp;

namespace DeepUnlearn.Cli.Commands;

/// <summary>
/// <c>deepunlearn demo</c>: the main job end to end on real Fashion-MNIST: train smallcnn (or reuse the cached
/// run), forget one class with the paper methods and the baselines, compare against retraining, print the table.
/// </summary>
internal static class DemoCommand
{
    /// <summary>The methods the demo compares (retrain always runs as the reference).</summary>
    public const string DefaultMethods = "famr,pgu,ssd,finetune,gradient-ascent";

    /// <summary>
    /// Where the demo departs from the paper defaults, to fit one epoch of smallcnn on 2 CPU cores: PGU's
    /// rates (0.05 → 0.01 over up to 100 epochs, for CIFAR ResNets) need 67 epochs and 8 minutes here; ten
    /// times the rate reaches the same forget accuracy (≤ 1%) in 5 epochs.
    /// </summary>
    public static readonly string[] DemoSettings = ["pgu.start_learning_rate=0.5", "pgu.end_learning_rate=0.1", "pgu.epochs=10"];

    /// <summary>
    /// The demo's scaled-down settings of the SalUn-family baselines (applied when they are in --methods): their
    /// authors' 10 epochs (after a 182-epoch original on CIFAR-10) would be ten times the demo original's single
    /// epoch; RL and SalUn keep 2 epochs over forget ∪ retain, fine-tuning 1 over the retain set.
    /// </summary>
    public static readonly string[] ScaledDownSettings = ["random-label.epochs=2", "salun.epochs=2", "finetune.epochs=1"];

    public static Command Create()
    {
        var output = new Option<string>("--out") { Description = "Where the demo keeps its runs (the trained model is reused from here).", DefaultValueFactory = _ => Path.Combine("runs", "demo") };
        var epochs = new Option<int>("--epochs") { Description = "Training epochs of the original and the retrained model.", DefaultValueFactory = _ => 1 };
        var forgetClass = new Option<string>("--forget-class") { Description = "The Fashion-MNIST class to forget (name or index).", DefaultValueFactory = _ => "Trouser" };
        var methods = new Option<string>("--methods") { Description = "Comma-separated methods to compare with retraining.", DefaultValueFactory = _ => DefaultMethods };
        var device = CommonOptions.Device();
        var seed = CommonOptions.Seed();
        var workers = CommonOptions.Workers();
        var verbose = CommonOptions.Verbose();
        var set = CommonOptions.Set();
        var precision = new PrecisionCliOptions();
        var command = new Command("demo", "Train smallcnn on Fashion-MNIST (cached), forget one class with famr, pgu, ssd, finetune, gradient-ascent and retrain, print the comparison.")
        {
            output, epochs, forgetClass, methods, device, seed, workers, verbose, set,
        };
        precision.AddTo(command);
        command.SetAction((parse, cancellationToken) =>
        {
            var clock = Stopwatch.StartNew();
            string root = parse.GetValue(output)!;
            torch.Device target = CommonOptions.ResolveDevice(parse.GetValue(device)!);
            int workerCount = parse.GetValue(workers);
            bool chatty = parse.GetValue(verbose);
            var recipe = new TrainingConfig { Epochs = parse.GetValue(epochs), Seed = parse.GetValue(seed), Workers = workerCount }.Validate();
            var names = CompareCommand.ParseMethods(parse.GetValue(methods)!);

            Engine.PrecisionOptions amp = precision.Resolve(parse);
            // The cached original is reused only under the precision it was trained with (smallcnn is convolutional).
            Engine.PrecisionPolicy policy = amp.Resolve(target, hasConvolutions: true);
            string originalDir = Path.Combine(root, policy.IsOff ? "original" : $"original-{policy.AmpName}{(policy.ChannelsLast ? "-channels-last" : string.Empty)}");
            Console.Error.WriteLine($"demo: step 1/2, the original model (reused from {originalDir} when already trained)");
            TrainCommand.Run("fashion-mnist", "smallcnn", recipe, target, originalDir, resume: true, chatty, cancellationToken, precision: amp);

            Console.Error.WriteLine($"demo: step 2/2, forgetting '{parse.GetValue(forgetClass)}' with {string.Join(", ", names)} and retrain");
            ComparisonReport report = CompareCommand.Run(
                Path.Combine(originalDir, Trainer.LastCheckpoint), null, ForgetRequest.ForClassNames(parse.GetValue(forgetClass)!), names,
                CompareCommand.ResolveSettings(names, null, DemoSettings.Concat(ScaledDownSettings).Where(a => names.Contains(a[..a.IndexOf('.', StringComparison.Ordinal)])).Concat(parse.GetValue(set) ?? []).ToArray()), [parse.GetValue(seed)], null, target, workerCount, Path.Combine(root, "compare"), saveModels: false, chatty, cancellationToken, overwrite: true, precision: amp);
            Console.WriteLine(report.ToMarkdown());
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"demo finished in {clock.Elapsed.TotalMinutes:F1} min; report: {Path.Combine(root, "compare", "compare.md")}"));
            return Task.FromResult(Program.ExitOk);
        });
        return command;
    }
}
