using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Text.Json;
using System.Threading;
using DeepUnlearn.Configuration;
using DeepUnlearn.Data;
using DeepUnlearn.Evaluation.Attacks;
using DeepUnlearn.Models;
using DeepUnlearn.Reporting;
using DeepUnlearn.Training;
using DeepUnlearn.Unlearning;
using TorchSharp;

namespace DeepUnlearn.Evaluation;

/// <summary>
/// Runs several methods on one request for several seeds, with the retrained model as the reference
/// (retrained per seed, or loaded from a checkpoint), and gathers a <see cref="ComparisonReport"/>.
/// </summary>
public sealed class ComparisonRunner(UnlearningSession session)
{
    private readonly UnlearningSession _session = session ?? throw new ArgumentNullException(nameof(session));

    /// <summary>Status lines (what is running), for the CLI.</summary>
    public IProgress<string>? Status { get; init; }

    /// <summary>Progress inside methods.</summary>
    public IProgress<UnlearningProgress>? Progress { get; init; }

    /// <summary>Whether the evaluation runs the representation probe (class-wise requests; on by default).</summary>
    public bool Probe { get; init; } = true;

    /// <summary>Layers to probe besides the penultimate features (null: none; <c>["auto"]</c>: <see cref="LayerProbe.AutoLayers"/>).</summary>
    public IReadOnlyList<string>? ProbeLayers { get; init; }

    /// <summary>Relearn-time settings for every model (null: not measured).</summary>
    public RelearnOptions? Relearn { get; init; }

    /// <summary>
    /// Per-example attacks relative to retraining (offline U-LiRA and the NeurIPS'23 ε); null (the default) skips them.
    /// They cost up to K extra retrains (<see cref="PerExampleAttacks.ExtraReferencesNeeded"/>).
    /// </summary>
    public PerExampleAttackOptions? Attacks { get; init; }

    /// <summary>
    /// Runs <paramref name="methods"/> for every seed, each with its resolved options from
    /// <paramref name="options"/> (defaults when absent). A method may be a variant label such as
    /// <c>famr@head</c> (see <see cref="MethodRegistry.FindLabel"/>): its options are looked up under the
    /// label, then under the method's name, and its rows carry the label. Unless <paramref name="retrainedCheckpoint"/> is
    /// given, "retrain" runs first for each seed and is the reference.
    /// </summary>
    /// <param name="methods">The methods (labels), in table order.</param>
    /// <param name="options">Each label's options.</param>
    /// <param name="seeds">The seeds.</param>
    /// <param name="retrainedCheckpoint">A retrained model to use as the reference instead of retraining per seed.</param>
    /// <param name="cancellationToken">Cancels between and inside methods.</param>
    /// <param name="journal">Where each finished row and its model are kept as it completes (null: nowhere). Rows it
    /// already holds are taken as they are and not run again; open it with <see cref="Settings"/> of the same arguments.</param>
    public ComparisonReport Run(IReadOnlyList<string> methods, IReadOnlyDictionary<string, IMethodOptions> options, IReadOnlyList<ulong> seeds, string? retrainedCheckpoint, CancellationToken cancellationToken = default, ComparisonJournal? journal = null)
    {
        ArgumentNullException.ThrowIfNull(methods);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(seeds);
        if (seeds.Count == 0)
        {
            throw new ArgumentException("give at least one seed");
        }
        // Resolve every method before any work, so a typo fails in seconds, not after retraining.
        var instances = methods.Append("retrain").Distinct().ToDictionary(m => m, m => Create(m, options), StringComparer.Ordinal);
        if (retrainedCheckpoint is not null)
        {
            // From its metadata, before any method runs: a wrong reference must not cost the methods first.
            CheckpointCompatibility.EnsureSameModel(_session.CheckpointPath, _session.Metadata, "--retrained", retrainedCheckpoint, Checkpoint.ReadMetadata(retrainedCheckpoint));
        }

        var runs = new List<UnlearningMetrics>();
        var references = new List<UnlearningMetrics>();
        UnlearningMetrics? original = null;
        Lazy<ModelEvaluation>? originalEvaluation = null;
        var attacks = Attacks is null ? null : new AttackInputs(new PerExampleAttacks(Attacks), retrainedCheckpoint is not null);
        foreach (ulong seed in seeds)
        {
            UnlearningContext context = _session.Context(seed, Progress);
            var evaluator = new UnlearningEvaluator(context) { Probe = Probe, ProbeLayers = ProbeLayers, Relearn = Relearn };
            if (originalEvaluation is null)
            {
                // Evaluated with the first seed's evaluator, and only when needed: a resumed comparison whose "do nothing"
                // rows are finished (and runs no attacks) does not evaluate the original again.
                UnlearningEvaluator first = evaluator;
                originalEvaluation = new Lazy<ModelEvaluation>(() =>
                {
                    Status?.Report(EvaluationNotice("the original model", first));
                    return Evaluate(first, _session.Original, seeds[0], "original", cancellationToken);
                }, LazyThreadSafetyMode.None);
                original = journal?.Find(ComparisonJournal.OriginalRow, null)?.Metrics;
                if (original is null)
                {
                    original = evaluator.Metrics("original", originalEvaluation.Value, 0);
                    journal?.Record(ComparisonJournal.OriginalRow, null, original);
                }
            }

            var (retrainedMetrics, retrainedEvaluation) = Reference(context, evaluator, instances["retrain"], retrainedCheckpoint, seed, journal, cancellationToken);
            references.Add(retrainedMetrics);
            // The retrained model's own row, whether it was retrained here or loaded with --retrained.
            runs.Add(retrainedMetrics);
            // "Do nothing": the original scored against this seed's retrained model, the baseline every method must beat.
            UnlearningMetrics? doNothing = journal?.Find(ComparisonReport.DoNothing, seed)?.Metrics;
            if (doNothing is null)
            {
                doNothing = ComparisonRows.DoNothing(original!, originalEvaluation.Value, seed, retrainedMetrics, retrainedEvaluation.Value);
                journal?.Record(ComparisonReport.DoNothing, seed, doNothing);
            }
            runs.Add(doNothing);
            attacks?.Retrained(seed, retrainedEvaluation.Value);
            attacks?.Target(ComparisonReport.DoNothing, seed, originalEvaluation.Value);
            foreach (string method in methods.Where(m => m != "retrain"))
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (journal?.Find(method, seed) is { Metrics: { } finished } row)
                {
                    Status?.Report($"seed {seed}: {method} is already finished");
                    runs.Add(finished);
                    if (attacks is not null)
                    {
                        // The attacks score every model's outputs: the finished model's, from its saved weights.
                        attacks.Target(finished.Method, seed, EvaluateFile(journal.FilePath(row.Files[0]), evaluator, seed, method, cancellationToken));
                    }
                    continue;
                }
                Status?.Report($"seed {seed}: {method}");
                SeedGlobalGenerator(seed, method);
                using UnlearningOutcome outcome = instances[method].Run(context, cancellationToken);
                IReadOnlyList<string> files = SaveModel(journal, method, seed, outcome);
                Status?.Report(EvaluationNotice($"{method} (seed {seed})", evaluator));
                ModelEvaluation evaluation = Evaluate(evaluator, outcome.Model, seed, method, cancellationToken);
                UnlearningMetrics metrics = evaluator.Metrics(outcome.Label(method), evaluation, outcome.Seconds, outcome.Diagnostics);
                UnlearningMetrics compared = ComparisonRows.Method(metrics, evaluation, retrainedMetrics, retrainedEvaluation.Value);
                journal?.Record(method, seed, compared, files);
                runs.Add(compared);
                attacks?.Target(metrics.Method, seed, evaluation);
            }
        }
        PerExampleAttackReport? attackReport = attacks?.Run(this, new JournaledReference(this, instances["retrain"], journal), seeds, cancellationToken);
        return ComparisonRows.Report(_session, seeds, original!, runs, references, attackReport);
    }

    /// <summary>
    /// What a comparison's rows depend on, name → canonical value, for <see cref="ComparisonJournal.Open"/>: the
    /// checkpoint's and the forget set's SHA-256, the dataset, request, seeds, methods and each one's options, the
    /// reference (<paramref name="retrainedCheckpoint"/> and its SHA-256), the evaluation options, device and precision.
    /// Rows made under other values are not rows of this comparison.
    /// </summary>
    public IReadOnlyDictionary<string, string> Settings(IReadOnlyList<string> methods, IReadOnlyDictionary<string, IMethodOptions> options, IReadOnlyList<ulong> seeds, string? retrainedCheckpoint)
    {
        ArgumentNullException.ThrowIfNull(methods);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(seeds);
        byte[] forget = new byte[_session.Sets.Forget.Length * sizeof(int)];
        for (int i = 0; i < _session.Sets.Forget.Length; i++)
        {
            System.Buffers.Binary.BinaryPrimitives.WriteInt32LittleEndian(forget.AsSpan(i * sizeof(int)), _session.Sets.Forget[i]);
        }
        var result = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["checkpoint"] = $"sha256:{FileSha256(_session.CheckpointPath)}",
            ["dataset"] = _session.Data.Specification,
            ["request"] = _session.Sets.Request.ToString(),
            ["forget set"] = $"{_session.Sets.Forget.Length} ids, sha256:{Convert.ToHexStringLower(SHA256.HashData(forget))}",
            ["seeds"] = string.Join(",", seeds),
            ["methods"] = string.Join(",", methods),
            ["retrained"] = retrainedCheckpoint is null ? "retrained per seed" : $"sha256:{FileSha256(retrainedCheckpoint)}",
            ["evaluation"] = JsonSerializer.Serialize(new SortedDictionary<string, object?>(StringComparer.Ordinal)
            {
                ["probe"] = Probe,
                ["probe_layers"] = ProbeLayers,
                ["relearn"] = Relearn,
                ["attacks"] = Attacks,
            }, JsonFile.Options),
            ["device"] = _session.Device.ToString(),
            ["precision"] = JsonSerializer.Serialize(_session.Precision.Describe(), JsonFile.Options),
        };
        foreach (string label in methods.Append("retrain").Distinct())
        {
            var (entry, canonical) = MethodRegistry.FindLabel(label);
            IMethodOptions resolved = options.GetValueOrDefault(canonical) ?? options.GetValueOrDefault(entry.Name) ?? entry.Defaults();
            result[$"{canonical} settings"] = JsonSerializer.Serialize(SettingsBinder.Describe(resolved), JsonFile.Options);
        }
        return result;
    }

    /// <summary>
    /// What an evaluation is about to do, so the run does not look stuck (it is a large share of a compare's time):
    /// "evaluating famr (seed 0): forget, retain and test sets, probe, relearn".
    /// </summary>
    public static string EvaluationNotice(string model, UnlearningEvaluator evaluator)
    {
        ArgumentNullException.ThrowIfNull(evaluator);
        var parts = new List<string> { "forget, retain and test sets" };
        if (evaluator.Probe)
        {
            parts.Add(evaluator.ProbeLayers is { Count: > 0 } ? "probes per layer" : "probe");
        }
        if (evaluator.Outputs)
        {
            parts.Add("ZRF and output histograms");
        }
        if (evaluator.Relearn is not null)
        {
            parts.Add($"relearn (up to {evaluator.Relearn.MaxSteps} steps)");
        }
        return $"evaluating {model}: {string.Join(", ", parts)}";
    }

    private static IUnlearningMethod Create(string name, IReadOnlyDictionary<string, IMethodOptions> options)
    {
        var (entry, label) = MethodRegistry.FindLabel(name);
        IMethodOptions resolved = options.GetValueOrDefault(label) ?? options.GetValueOrDefault(entry.Name) ?? entry.Defaults();
        resolved.Validate();
        return entry.Factory(resolved);
    }

    private (UnlearningMetrics Metrics, Lazy<ModelEvaluation> Evaluation) Reference(UnlearningContext context, UnlearningEvaluator evaluator, IUnlearningMethod retrain, string? retrainedCheckpoint, ulong seed, ComparisonJournal? journal, CancellationToken cancellationToken)
    {
        if (journal?.Find("retrain", seed) is { Metrics: { } finished } row)
        {
            // Not retrained again: the saved model is evaluated again only if a row still to run is compared with it.
            string model = row.Files.Count > 0 ? journal.FilePath(row.Files[0]) : retrainedCheckpoint
                ?? throw new InvalidDataException($"the finished retrain row of seed {seed} in '{journal.Path}' has no model; pass --overwrite to start again");
            Status?.Report($"seed {seed}: retrain (the reference) is already finished");
            return (finished, new Lazy<ModelEvaluation>(() => EvaluateFile(model, evaluator, seed, "retrain", cancellationToken), LazyThreadSafetyMode.None));
        }
        if (retrainedCheckpoint is not null)
        {
            Status?.Report($"loading the retrained model {retrainedCheckpoint}");
            var (model, metadata) = Checkpoint.Load(retrainedCheckpoint, _session.Device);
            using (model)
            {
                CheckpointCompatibility.EnsureSameModel(_session.CheckpointPath, _session.Metadata, "--retrained", retrainedCheckpoint, metadata);
                Status?.Report(EvaluationNotice("the retrained model", evaluator));
                ModelEvaluation evaluation = Evaluate(evaluator, model, seed, "retrain", cancellationToken);
                UnlearningMetrics loaded = evaluator.Metrics("retrain", evaluation, metadata.Seconds ?? 0);
                UnlearningMetrics reference = ComparisonRows.Reference(loaded, evaluation);
                journal?.Record("retrain", seed, reference);
                return (reference, new Lazy<ModelEvaluation>(evaluation));
            }
        }
        Status?.Report($"seed {seed}: retrain (the reference)");
        SeedGlobalGenerator(seed, "retrain");
        using UnlearningOutcome outcome = retrain.Run(context, cancellationToken);
        IReadOnlyList<string> files = SaveModel(journal, "retrain", seed, outcome);
        Status?.Report(EvaluationNotice($"retrain (seed {seed})", evaluator));
        ModelEvaluation retrained = Evaluate(evaluator, outcome.Model, seed, "retrain", cancellationToken);
        UnlearningMetrics metrics = evaluator.Metrics("retrain", retrained, outcome.Seconds, outcome.Diagnostics);
        UnlearningMetrics compared = ComparisonRows.Reference(metrics, retrained);
        journal?.Record("retrain", seed, compared, files);
        return (compared, new Lazy<ModelEvaluation>(retrained));
    }

    // Every model is evaluated, and every method run, from a global generator seeded for it (dropout and anything else
    // that draws from libtorch's default generator): a row does not depend on which rows ran before it in this process,
    // so a resumed comparison gives the rows an uninterrupted one gives.
    private static void SeedGlobalGenerator(ulong seed, string row, string stage = "run") =>
        torch.manual_seed(unchecked((long)DeterministicRandom.Hash(seed, StableHash(row + "/" + stage)))).Dispose();

    private static ModelEvaluation Evaluate(UnlearningEvaluator evaluator, ClassifierModel model, ulong seed, string row, CancellationToken cancellationToken)
    {
        SeedGlobalGenerator(seed, row, "evaluate");
        return evaluator.Evaluate(model, cancellationToken);
    }

    private ModelEvaluation EvaluateFile(string path, UnlearningEvaluator evaluator, ulong seed, string row, CancellationToken cancellationToken)
    {
        Status?.Report($"evaluating the saved {row} model (seed {seed}) again: {path}");
        var (model, _) = Checkpoint.Load(path, _session.Device);
        using (model)
        {
            return Evaluate(evaluator, model, seed, row, cancellationToken);
        }
    }

    private IReadOnlyList<string> SaveModel(ComparisonJournal? journal, string method, ulong seed, UnlearningOutcome outcome)
    {
        if (journal is null)
        {
            return [];
        }
        string path = journal.ModelPath(method, seed);
        Checkpoint.Save(path, outcome.Model, _session.MetadataFor(method, outcome.Model) with { Seconds = outcome.Seconds });
        var files = new List<string> { path };
        foreach (ICheckpointSidecar sidecar in outcome.Sidecars)
        {
            files.Add(sidecar.SaveBeside(path));
        }
        return files;
    }

    private static string FileSha256(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    // FNV-1a over UTF-16 code units: string.GetHashCode is randomised per process.
    private static ulong StableHash(string text)
    {
        ulong hash = 14695981039346656037UL;
        foreach (char c in text)
        {
            hash = (hash ^ c) * 1099511628211UL;
        }
        return hash;
    }

    /// <summary>
    /// The comparison's retrain as the attacks' extra reference retrains run it: each reference kept in the journal as it
    /// finishes, and a finished one loaded instead of trained again.
    /// </summary>
    private sealed class JournaledReference(ComparisonRunner runner, IUnlearningMethod retrain, ComparisonJournal? journal) : IUnlearningMethod
    {
        private const string Row = "reference";

        public string Name => retrain.Name;

        public UnlearningOutcome Run(UnlearningContext context, CancellationToken cancellationToken)
        {
            if (journal?.Find(Row, context.Seed) is { Files.Count: > 0 } finished)
            {
                runner.Status?.Report($"attacks: reference retrain (seed {context.Seed}) is already finished");
                var (model, metadata) = Checkpoint.Load(journal.FilePath(finished.Files[0]), runner._session.Device);
                return new UnlearningOutcome(model, metadata.Seconds ?? 0);
            }
            SeedGlobalGenerator(context.Seed, Row);
            UnlearningOutcome outcome = retrain.Run(context, cancellationToken);
            try
            {
                journal?.Record(Row, context.Seed, null, runner.SaveModel(journal, Row, context.Seed, outcome));
                return outcome;
            }
            catch
            {
                outcome.Dispose();
                throw;
            }
        }
    }

    /// <summary>The outputs the per-example attacks collect during a comparison, then the extra references.</summary>
    private sealed class AttackInputs(PerExampleAttacks attacks, bool sharedRetrained)
    {
        private int[]? _forgetIds;
        private int[]? _populationIds;
        private ModelOutputs? _shared;

        public void Retrained(ulong seed, ModelEvaluation evaluation)
        {
            // One --retrained checkpoint serves every seed: one model, not one per seed (it must not reference itself).
            ModelOutputs outputs = sharedRetrained ? _shared ??= Outputs(evaluation) : Outputs(evaluation);
            attacks.AddRetrained(seed, outputs);
        }

        public void Target(string method, ulong seed, ModelEvaluation evaluation) => attacks.AddTarget(method, seed, Outputs(evaluation));

        public PerExampleAttackReport Run(ComparisonRunner runner, IUnlearningMethod retrain, IReadOnlyList<ulong> seeds, CancellationToken cancellationToken)
        {
            int extra = PerExampleAttacks.ExtraReferencesNeeded(attacks.Options.ReferenceModels, sharedRetrained ? 1 : seeds.Count);
            IReadOnlyList<ulong> referenceSeeds = ReferenceRetrains.Seeds(extra, attacks.Options.ReferenceSeedStart, seeds);
            var trained = ReferenceRetrains.Train(referenceSeeds, s => runner._session.Context(s, runner.Progress), retrain, runner.Status, null, cancellationToken);
            foreach (var (_, forgetIds, populationIds, outputs, _) in trained)
            {
                CheckOrder(forgetIds, populationIds);
                attacks.AddReference(outputs);
            }
            runner.Status?.Report("attacks: scoring every forget example (U-LiRA, ε)");
            return attacks.Compute() with { ExtraTrainingRuns = extra, ReferenceSeeds = referenceSeeds, ClassWise = runner._session.Sets.ForgottenClasses.Length > 0 };
        }

        private ModelOutputs Outputs(ModelEvaluation evaluation)
        {
            // The evaluator's test predictions are the population: held out by every model, remaining classes only for a class-wise request.
            CheckOrder(evaluation.Forget.Ids, evaluation.Test.Ids);
            return ModelOutputs.Of(evaluation.Forget, evaluation.Test);
        }

        private void CheckOrder(int[] forgetIds, int[] populationIds)
        {
            _forgetIds ??= forgetIds;
            _populationIds ??= populationIds;
            if (!forgetIds.AsSpan().SequenceEqual(_forgetIds) || !populationIds.AsSpan().SequenceEqual(_populationIds))
            {
                throw new InvalidOperationException("the forget or test set came in a different order for two models; the per-example attacks need one order");
            }
        }
    }
}
