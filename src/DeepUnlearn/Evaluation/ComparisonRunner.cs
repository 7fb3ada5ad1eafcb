using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using DeepUnlearn.Evaluation.Attacks;
using DeepUnlearn.Reporting;
using DeepUnlearn.Training;
using DeepUnlearn.Unlearning;

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

    /// <summary>Where to save each unlearned model (<c>{method}-seed{seed}.safetensors</c>); null to keep none.</summary>
    public string? ModelDirectory { get; init; }

    /// <summary>
    /// Runs <paramref name="methods"/> for every seed, each with its resolved options from
    /// <paramref name="options"/> (defaults when absent). A method may be a variant label such as
    /// <c>famr@head</c> (see <see cref="MethodRegistry.FindLabel"/>): its options are looked up under the
    /// label, then under the method's name, and its rows carry the label. Unless <paramref name="retrainedCheckpoint"/> is
    /// given, "retrain" runs first for each seed and is the reference.
    /// </summary>
    public ComparisonReport Run(IReadOnlyList<string> methods, IReadOnlyDictionary<string, IMethodOptions> options, IReadOnlyList<ulong> seeds, string? retrainedCheckpoint, CancellationToken cancellationToken = default)
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
        ModelEvaluation? originalEvaluation = null;
        var attacks = Attacks is null ? null : new AttackInputs(new PerExampleAttacks(Attacks), retrainedCheckpoint is not null);
        foreach (ulong seed in seeds)
        {
            UnlearningContext context = _session.Context(seed, Progress);
            var evaluator = new UnlearningEvaluator(context) { Probe = Probe, ProbeLayers = ProbeLayers, Relearn = Relearn };
            if (original is null)
            {
                Status?.Report(EvaluationNotice("the original model", evaluator));
                originalEvaluation = evaluator.Evaluate(_session.Original, cancellationToken);
                original = evaluator.Metrics("original", originalEvaluation, 0);
            }

            var (retrainedMetrics, retrainedEvaluation) = Reference(context, evaluator, instances["retrain"], retrainedCheckpoint, seed, cancellationToken);
            references.Add(retrainedMetrics);
            // The retrained model's own row, whether it was retrained here or loaded with --retrained.
            runs.Add(retrainedMetrics);
            // "Do nothing": the original scored against this seed's retrained model, the baseline every method must beat.
            runs.Add(ComparisonRows.DoNothing(original, originalEvaluation!, seed, retrainedMetrics, retrainedEvaluation));
            attacks?.Retrained(seed, retrainedEvaluation);
            attacks?.Target(ComparisonReport.DoNothing, seed, originalEvaluation!);
            foreach (string method in methods.Where(m => m != "retrain"))
            {
                cancellationToken.ThrowIfCancellationRequested();
                Status?.Report($"seed {seed}: {method}");
                using UnlearningOutcome outcome = instances[method].Run(context, cancellationToken);
                SaveModel(method, seed, outcome);
                Status?.Report(EvaluationNotice($"{method} (seed {seed})", evaluator));
                ModelEvaluation evaluation = evaluator.Evaluate(outcome.Model, cancellationToken);
                UnlearningMetrics metrics = evaluator.Metrics(outcome.Label(method), evaluation, outcome.Seconds, outcome.Diagnostics);
                runs.Add(ComparisonRows.Method(metrics, evaluation, retrainedMetrics, retrainedEvaluation));
                attacks?.Target(metrics.Method, seed, evaluation);
            }
        }
        PerExampleAttackReport? attackReport = attacks?.Run(this, instances["retrain"], seeds, cancellationToken);
        return ComparisonRows.Report(_session, seeds, original!, runs, references, attackReport);
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

    private (UnlearningMetrics Metrics, ModelEvaluation Evaluation) Reference(UnlearningContext context, UnlearningEvaluator evaluator, IUnlearningMethod retrain, string? retrainedCheckpoint, ulong seed, CancellationToken cancellationToken)
    {
        if (retrainedCheckpoint is not null)
        {
            Status?.Report($"loading the retrained model {retrainedCheckpoint}");
            var (model, metadata) = Checkpoint.Load(retrainedCheckpoint, _session.Device);
            using (model)
            {
                CheckpointCompatibility.EnsureSameModel(_session.CheckpointPath, _session.Metadata, "--retrained", retrainedCheckpoint, metadata);
                Status?.Report(EvaluationNotice("the retrained model", evaluator));
                ModelEvaluation evaluation = evaluator.Evaluate(model, cancellationToken);
                UnlearningMetrics loaded = evaluator.Metrics("retrain", evaluation, metadata.Seconds ?? 0);
                return (ComparisonRows.Reference(loaded, evaluation), evaluation);
            }
        }
        Status?.Report($"seed {seed}: retrain (the reference)");
        using UnlearningOutcome outcome = retrain.Run(context, cancellationToken);
        SaveModel("retrain", seed, outcome);
        Status?.Report(EvaluationNotice($"retrain (seed {seed})", evaluator));
        ModelEvaluation retrained = evaluator.Evaluate(outcome.Model, cancellationToken);
        UnlearningMetrics metrics = evaluator.Metrics("retrain", retrained, outcome.Seconds, outcome.Diagnostics);
        return (ComparisonRows.Reference(metrics, retrained), retrained);
    }

    private void SaveModel(string method, ulong seed, UnlearningOutcome outcome)
    {
        if (ModelDirectory is null)
        {
            return;
        }
        // The atomic writer needs the directory (a missing OUT/models used to fail the first save after the retrain).
        Directory.CreateDirectory(ModelDirectory);
        string path = Path.Combine(ModelDirectory, $"{method}-seed{seed}.safetensors");
        Checkpoint.Save(path, outcome.Model, _session.MetadataFor(method, outcome.Model) with { Seconds = outcome.Seconds });
        foreach (ICheckpointSidecar sidecar in outcome.Sidecars)
        {
            sidecar.SaveBeside(path);
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
            var trained = ReferenceRetrains.Train(referenceSeeds, s => runner._session.Context(s, runner.Progress), retrain, runner.Status,
                (s, outcome) => runner.SaveModel("reference", s, outcome), cancellationToken);
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
