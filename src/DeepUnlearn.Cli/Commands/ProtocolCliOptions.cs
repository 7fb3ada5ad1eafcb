using System;
using System.CommandLine;
using System.Globalization;
using System.IO;
using DeepUnlearn.Protocols;
using Microsoft.Extensions.Logging;

namespace DeepUnlearn.Cli.Commands;

/// <summary>The options <c>sweep</c> and <c>reproduce</c> share, and how they become a runner and sweep options.</summary>
internal sealed class ProtocolCliOptions
{
    public Argument<string> Recipe { get; } = new("RECIPE") { Description = "A protocol recipe file (recipes/protocols/*.json; schema in docs/protocols.md)." };

    public Option<string> Scale { get; } = new("--scale") { Description = "full (the recipe as written) or a derivation the recipe declares, e.g. small (fewer epochs and samples; labelled as such everywhere).", DefaultValueFactory = _ => ProtocolRecipe.FullScale };

    public Option<string?> Data { get; } = new("--data") { Description = "Where the recipe's dataset is (e.g. cifar10:/data/cifar-10-batches-bin); overrides the recipe's dataset.spec." };

    public Option<string?> Oracles { get; } = new("--oracles") { Description = "Artefact store for originals and retrained oracles (default OUT/oracles); share one between sweeps of a recipe." };

    public Option<bool> AllowWeakOriginal { get; } = new(OriginalGuard.OverrideFlag) { Description = "Continue when the original is below the recipe's expected test accuracy (recorded in every manifest and printed as a warning)." };

    public Option<bool> Synthetic { get; } = new("--synthetic") { Description = "Replace every tensor step by deterministic synthetic numbers: tests sharding, locks, resumption and merge in seconds (results are labelled SYNTHETIC)." };

    public Option<int> SyntheticDelayMs { get; } = new("--synthetic-delay-ms") { Description = "With --synthetic: milliseconds each simulated training takes.", Hidden = true };

    public Option<string?> SyntheticTrainingLog { get; } = new("--synthetic-training-log") { Description = "With --synthetic: a directory where each simulated training leaves a file.", Hidden = true };

    public Option<double?> SyntheticOriginalAccuracy { get; } = new("--synthetic-original-accuracy") { Description = "With --synthetic: the original's test accuracy to report.", Hidden = true };

    public Option<double> PollSeconds { get; } = new("--poll-seconds") { Description = "How often a process waiting on a lock or on other shards looks again.", DefaultValueFactory = _ => 2.0 };

    public Option<string> Device { get; } = CommonOptions.Device();

    public Option<int> Workers { get; } = CommonOptions.Workers();

    public Option<bool> Verbose { get; } = CommonOptions.Verbose();

    public Option<bool> Attacks { get; } = new("--attacks") { Description = "Also run the per-example attacks relative to retraining (offline U-LiRA, the NeurIPS'23 per-example ε) on every reported request: each retrain cell draws --attack-references retrained references from the oracle store (shared by all shards, each trained once) and every reported cell records its outputs; merge computes the attacks." };

    public Option<int> AttackReferences { get; } = new("--attack-references") { Description = "K: retrained references per attacked model (costs up to K extra trainings per request and forget set; 2 on a CPU, 8+ on GPUs, LiRA uses 64+).", DefaultValueFactory = _ => DeepUnlearn.Protocols.SweepOptions.DefaultAttackReferences };

    /// <summary><c>--amp</c> and <c>--channels-last</c>, as in <c>train</c> and <c>unlearn</c>; part of the original's and the oracles' content keys.</summary>
    public PrecisionCliOptions Precision { get; } = new();

    public void AddTo(Command command)
    {
        command.Arguments.Add(Recipe);
        foreach (Option option in new Option[] { Scale, Data, Oracles, AllowWeakOriginal, Synthetic, SyntheticDelayMs, SyntheticTrainingLog, SyntheticOriginalAccuracy, PollSeconds, Device, Workers, Verbose })
        {
            command.Options.Add(option);
        }
        command.Options.Add(Attacks);
        command.Options.Add(AttackReferences);
        Precision.AddTo(command);
    }

    /// <summary>The recipe at the requested scale.</summary>
    public ProtocolRecipe LoadRecipe(ParseResult parse) => RecipeParser.Load(parse.GetValue(Recipe)!).WithScale(parse.GetValue(Scale)!);

    /// <summary>The runner: synthetic, or the engine on the requested device.</summary>
    public ICellRunner CreateRunner(ParseResult parse, ProtocolRecipe recipe, ILoggerFactory logging, string label)
    {
        if (parse.GetValue(Synthetic))
        {
            return new SyntheticCellRunner(recipe.Dataset.NumClasses)
            {
                TrainingDelay = TimeSpan.FromMilliseconds(Math.Max(0, parse.GetValue(SyntheticDelayMs))),
                TrainingLog = parse.GetValue(SyntheticTrainingLog),
                // The plumbing test passes the guard unless asked otherwise: the made-up original meets the recipe's expectation.
                OriginalTestAccuracy = parse.GetValue(SyntheticOriginalAccuracy) ?? recipe.Original.ExpectedTestAccuracy,
                // What the engine would resolve on this machine's CPU for a convolutional model: keys follow --amp as in a real sweep.
                PrecisionPolicy = Precision.Resolve(parse).Resolve(TorchSharp.torch.CPU, hasConvolutions: true),
            };
        }
        var progress = new ConsoleProgress(label);
        return new EngineCellRunner(CommonOptions.ResolveDevice(parse.GetValue(Device)!), parse.GetValue(Workers), logging)
        {
            PrecisionOptions = Precision.Resolve(parse),
            TrainingProgress = progress,
            MethodProgress = progress,
        };
    }

    public SweepOptions SweepOptions(ParseResult parse, Shard shard, string label)
    {
        double poll = parse.GetValue(PollSeconds);
        if (!(poll > 0))
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"--poll-seconds must be positive, not {poll}"));
        }
        return new SweepOptions
        {
            DataSpec = parse.GetValue(Data),
            Shard = shard,
            AllowWeakOriginal = parse.GetValue(AllowWeakOriginal),
            OracleDirectory = parse.GetValue(Oracles) is string oracles ? Path.GetFullPath(oracles) : null,
            PollInterval = TimeSpan.FromSeconds(poll),
            Status = new ConsoleStatus(label),
            Attacks = AttackOptions(parse),
        };
    }

    /// <summary>The attack settings, validated; null without <c>--attacks</c>.</summary>
    private DeepUnlearn.Evaluation.Attacks.PerExampleAttackOptions? AttackOptions(ParseResult parse)
    {
        if (!parse.GetValue(Attacks))
        {
            return null;
        }
        var options = new DeepUnlearn.Evaluation.Attacks.PerExampleAttackOptions { ReferenceModels = parse.GetValue(AttackReferences) };
        options.Validate();
        return options;
    }

    /// <summary>Prints what a sweep did; returns the exit code (failure when any cell failed).</summary>
    public static int PrintSummary(SweepSummary summary, string directory)
    {
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"shard {summary.Shard}: {summary.Assigned} cells assigned; {summary.Ran} ran, {summary.Skipped} already done, {summary.Helped} run for other shards, {summary.Busy.Count} running elsewhere, {summary.Failed.Count} failed; results in {directory}"));
        if (summary.Original.NeedsWarning)
        {
            Console.WriteLine($"WARNING: {summary.Original.Message}");
        }
        foreach (var (id, error) in summary.Failed)
        {
            Console.WriteLine($"FAILED {id}: {error}");
        }
        if (summary.Failed.Count > 0)
        {
            Console.WriteLine("failed cells are recorded in their manifest.json; running the same command again retries them and skips the finished ones");
            return Program.ExitFailure;
        }
        return Program.ExitOk;
    }
}
