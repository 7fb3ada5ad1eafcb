using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using DeepUnlearn.Evaluation;
using DeepUnlearn.Evaluation.Attacks;
using DeepUnlearn.Models;
using DeepUnlearn.Reporting;
using DeepUnlearn.Training;
using DeepUnlearn.Unlearning;

namespace DeepUnlearn.Cli.Commands;

/// <summary>
/// The forgetting evidence of one unlearned model on one request, assembled and written one way for <c>unlearn</c>
/// (the model it just made) and <c>evaluate</c> with a request (a model unlearned elsewhere): the original, the
/// unlearned and (with <c>--retrained</c>) the retrained and "do nothing" rows through <see cref="ComparisonRows"/>, as
/// <c>compare</c> builds them, the per-example attacks, metrics.json, the report's table and evidence section, and the
/// charts. One assembly, so that the same model gives the same numbers whichever command scored it.
/// </summary>
internal sealed class UnlearningEvidence
{
    private UnlearningEvidence(UnlearningMetrics original, UnlearningMetrics unlearned, UnlearningMetrics? retrained, UnlearningMetrics? doNothing, PerExampleAttackReport? attacks, ComparisonReport report)
    {
        Original = original;
        Unlearned = unlearned;
        Retrained = retrained;
        DoNothing = doNothing;
        Attacks = attacks;
        Report = report;
    }

    /// <summary>The original's row.</summary>
    public UnlearningMetrics Original { get; }

    /// <summary>The unlearned model's row (against the retrained model when there is one).</summary>
    public UnlearningMetrics Unlearned { get; }

    /// <summary>The retrained model's own row; null without <c>--retrained</c>.</summary>
    public UnlearningMetrics? Retrained { get; }

    /// <summary>"Do nothing": the original against the retrained model; null without <c>--retrained</c>.</summary>
    public UnlearningMetrics? DoNothing { get; }

    /// <summary>The per-example attacks; null without <c>--attacks</c>.</summary>
    public PerExampleAttackReport? Attacks { get; }

    /// <summary>The report the evidence section and charts are drawn from.</summary>
    public ComparisonReport Report { get; }

    /// <summary>
    /// Checks, before any expensive work, that <c>--attacks</c> has what it needs: a held-out retrained model and K
    /// others as the reference distribution.
    /// </summary>
    public static void CheckAttacks(PerExampleAttackOptions? attacks, string? retrainedPath, IReadOnlyList<string> referencePaths)
    {
        ArgumentNullException.ThrowIfNull(referencePaths);
        if (attacks is not null && (retrainedPath is null || referencePaths.Count < attacks.ReferenceModels))
        {
            throw new ArgumentException($"--attacks needs --retrained (the retrained model the unlearned one is compared with, example by example) and --reference-models with at least --attack-references = {attacks.ReferenceModels} other retrained checkpoints ({referencePaths.Count} given); 'compare --attacks' trains them for you");
        }
    }

    /// <summary>
    /// Scores <paramref name="unlearned"/> (labelled <paramref name="label"/>, made in <paramref name="seconds"/>) and the
    /// session's original on the request, and the retrained model of <paramref name="retrainedPath"/> when given. The
    /// retrained checkpoint must already have been checked against the original (before any expensive work).
    /// </summary>
    public static UnlearningEvidence Assemble(string verb, UnlearningSession session, UnlearningContext context, UnlearningEvaluator evaluator, ClassifierModel unlearned, string label, double seconds, IReadOnlyDictionary<string, double>? diagnostics, string? retrainedPath, PerExampleAttackOptions? attackOptions, IReadOnlyList<string> referencePaths, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(evaluator);
        Console.Error.WriteLine($"{verb}: " + ComparisonRunner.EvaluationNotice("the original and the unlearned model", evaluator));
        ModelEvaluation originalEvaluation = evaluator.Evaluate(session.Original, cancellationToken);
        UnlearningMetrics original = evaluator.Metrics("original", originalEvaluation, 0);
        ModelEvaluation evaluation = evaluator.Evaluate(unlearned, cancellationToken);
        UnlearningMetrics metrics = evaluator.Metrics(label, evaluation, seconds, diagnostics);
        UnlearningMetrics? retrained = null;
        UnlearningMetrics? doNothing = null;
        PerExampleAttackReport? attackReport = null;
        var runs = new List<UnlearningMetrics>();
        if (retrainedPath is not null)
        {
            var (model, retrainedMetadata) = Checkpoint.Load(retrainedPath, session.Device);
            using (model)
            {
                CheckpointCompatibility.EnsureSameModel(session.CheckpointPath, session.Metadata, "--retrained", retrainedPath, retrainedMetadata);
                Console.Error.WriteLine($"{verb}: " + ComparisonRunner.EvaluationNotice("the retrained model", evaluator));
                ModelEvaluation retrainedEvaluation = evaluator.Evaluate(model, cancellationToken);
                retrained = ComparisonRows.Reference(evaluator.Metrics("retrain", retrainedEvaluation, retrainedMetadata.Seconds ?? 0), retrainedEvaluation);
                doNothing = ComparisonRows.DoNothing(original, originalEvaluation, context.Seed, retrained, retrainedEvaluation);
                metrics = ComparisonRows.Method(metrics, evaluation, retrained, retrainedEvaluation);
                runs.Add(retrained);
                runs.Add(doNothing);
                if (attackOptions is not null)
                {
                    attackReport = RunAttacks(verb, attackOptions, referencePaths, session, context, metrics.Method, evaluation, originalEvaluation, retrainedEvaluation, cancellationToken);
                }
            }
        }
        runs.Add(metrics);
        ComparisonReport report = ComparisonRows.Report(session, [context.Seed], original, runs, retrained is null ? [] : [retrained], attackReport);
        return new UnlearningEvidence(original, metrics, retrained, doNothing, attackReport, report);
    }

    /// <summary>
    /// Stages metrics.json, the charts and the attack files in <paramref name="run"/> and appends to
    /// <paramref name="sb"/> (which holds the command's own header) the table, the evidence section and what this run
    /// could not measure; returns the names of the optional outputs to publish (see <see cref="RunDirectory.Publish"/>).
    /// </summary>
    public IReadOnlyList<string> Write(RunDirectory run, StringBuilder sb, bool classWise, IEnumerable<string> extraOptionalOutputs)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(sb);
        JsonFile.Write(run.Staged("metrics.json"), new { original = Original, unlearned = Unlearned, retrained = Retrained, doNothing = DoNothing, attacks = Attacks });
        sb.Append(Table());
        sb.AppendLine();
        OutputEvidenceReport.AppendMarkdown(Report, sb);
        IReadOnlyList<string> charts = OutputEvidenceReport.WriteCharts(Report, run.StagingFolder());
        if (Attacks is not null)
        {
            AttackFiles.Write(run.StagingFolder(), Attacks);
            sb.Append(Attacks.ToMarkdown(AttackFiles.RocFileName));
        }
        sb.Append(Absent(Retrained is not null, Attacks is not null, classWise));
        return [.. extraOptionalOutputs, AttackFiles.JsonFileName, AttackFiles.RocFileName, .. ChartNames(run.Path, charts)];
    }

    /// <summary>
    /// The evidence charts a command may write (<see cref="OutputEvidenceReport"/>): those of this run and those an
    /// earlier run left in <paramref name="directory"/> (whose per-method names depend on its method).
    /// </summary>
    private static IEnumerable<string> ChartNames(string directory, IReadOnlyList<string> written)
    {
        IEnumerable<string> earlier = Directory.Exists(directory)
            ? Directory.EnumerateFiles(directory, "forget-*.svg").Select(Path.GetFileName).OfType<string>()
            : [];
        return new[] { OutputEvidenceReport.PerClassChart, OutputEvidenceReport.RocChart, OutputEvidenceReport.LayerChart }.Concat(written).Concat(earlier).Distinct(StringComparer.Ordinal);
    }

    /// <summary>
    /// The per-example attacks on one unlearned model (and on the original, "do nothing"): negatives from
    /// <c>--retrained</c>, the reference distribution from the K <c>--reference-models</c>.
    /// </summary>
    private static PerExampleAttackReport RunAttacks(string verb, PerExampleAttackOptions options, IReadOnlyList<string> referencePaths, UnlearningSession session, UnlearningContext context, string label, ModelEvaluation unlearned, ModelEvaluation original, ModelEvaluation retrained, CancellationToken cancellationToken)
    {
        Console.Error.WriteLine($"{verb}: per-example attacks against {options.ReferenceModels} reference models");
        var attacks = new PerExampleAttacks(options);
        attacks.AddRetrained(context.Seed, ModelOutputs.Of(retrained.Forget, retrained.Test));
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
        attacks.AddTarget(ComparisonReport.DoNothing, context.Seed, ModelOutputs.Of(original.Forget, original.Test));
        attacks.AddTarget(label, context.Seed, ModelOutputs.Of(unlearned.Forget, unlearned.Test));
        return attacks.Compute() with { ClassWise = context.IsClassWise };
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

    /// <summary>The SalUn table of the original, unlearned and retrained rows and the lines on the probe, relearn time and Gap.</summary>
    private string Table()
    {
        var inv = CultureInfo.InvariantCulture;
        UnlearningMetrics original = Original;
        UnlearningMetrics unlearned = Unlearned;
        UnlearningMetrics? retrained = Retrained;
        var sb = new StringBuilder();
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
            string baseline = DoNothing?.AverageGap is double d ? string.Create(inv, $" (do nothing: {d:F2}; a larger Gap than doing nothing is further from retraining than keeping the original)") : string.Empty;
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
