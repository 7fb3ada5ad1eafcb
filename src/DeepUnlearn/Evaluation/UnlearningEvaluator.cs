using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using DeepUnlearn.Data;
using DeepUnlearn.Models;
using DeepUnlearn.Unlearning;

namespace DeepUnlearn.Evaluation;

/// <summary>
/// Computes <see cref="UnlearningMetrics"/> the way the SalUn / Unlearn-Sparse code does: UA on the forget
/// set, RA on the retain set, TA on the test set (remaining classes only for class-wise forgetting, the
/// forgotten classes reported separately), MIA-efficacy with the SVC attack trained on the true-class
/// confidence of the first |test| retain samples (members) against the test samples (non-members), and
/// the comparisons to the retrained model.
/// </summary>
public sealed class UnlearningEvaluator(UnlearningContext context, int batchSize = 512)
{
    private readonly UnlearningContext _context = context ?? throw new ArgumentNullException(nameof(context));
    private float[]? _originalParameters;
    private ProbeSplit? _probeSplit;
    private double? _relearnThreshold;
    private OutputEvidenceMeter? _outputs;

    /// <summary>
    /// Whether <see cref="Evaluate"/> runs the representation probe on class-wise requests (on by default: one pass
    /// over at most 2 × <see cref="ProbeSplit.DefaultMaxPositives"/> test images and a small logistic regression).
    /// </summary>
    public bool Probe { get; init; } = true;

    /// <summary>
    /// Relearn-time settings; null (the default) skips the check, which costs up to <see cref="RelearnOptions.MaxSteps"/>
    /// fine-tuning steps and evaluations per model.
    /// </summary>
    public RelearnOptions? Relearn { get; init; }

    /// <summary>
    /// Whether <see cref="Evaluate"/> measures <see cref="OutputEvidence"/> (on by default: one pass of a random model
    /// over D_f, once per evaluator, and arithmetic on the predictions already made).
    /// </summary>
    public bool Outputs { get; init; } = true;

    /// <summary>
    /// Layers to probe besides the penultimate features (class-wise requests; null or empty: none). <c>["auto"]</c> picks
    /// <see cref="LayerProbe.AutoLayers"/>. Costs one forward pass over the probe split and one probe per layer.
    /// </summary>
    public IReadOnlyList<string>? ProbeLayers { get; init; }

    /// <summary>The seed of the probe split, the same for every run so that all models are probed on the same samples.</summary>
    public const ulong ProbeSeed = 0;

    /// <summary>Predictions of <paramref name="model"/> on the request's forget, retain and test sets.</summary>
    public ModelEvaluation Evaluate(ClassifierModel model, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        Predictions forget;
        Predictions retain;
        using (DataLoader loader = _context.ForgetLoader(batchSize, shuffle: false))
        {
            forget = ModelEvaluator.Predict(model, loader, cancellationToken);
        }
        using (DataLoader loader = _context.RetainLoader(batchSize, shuffle: false, augment: false))
        {
            retain = ModelEvaluator.Predict(model, loader, cancellationToken);
        }
        Predictions test;
        using (DataLoader loader = _context.Data.TestLoader(batchSize, _context.Device, workers: _context.Workers))
        {
            test = ModelEvaluator.Predict(model, loader, cancellationToken);
        }
        Predictions? forgottenTest = null;
        if (_context.IsClassWise)
        {
            var forgotten = new HashSet<int>(_context.ForgottenClasses);
            forgottenTest = test.WhereLabel(forgotten.Contains);
            test = test.WhereLabel(c => !forgotten.Contains(c));
        }
        ProbeResult? probe = null;
        if (Probe && _context.IsClassWise)
        {
            // One fixed split (not the run's seed), so every model of every seed is probed on the same samples.
            _probeSplit ??= ProbeSplit.Balanced(_context.Data.Test.Labels.Span, _context.ForgottenClasses, ProbeSeed);
            probe = RepresentationProbe.Run(model, _context.Data, _probeSplit, _context.Device, _context.Workers, batchSize, cancellationToken);
        }
        IReadOnlyList<LayerProbeResult>? layerProbes = null;
        if (ProbeLayers is { Count: > 0 } && _context.IsClassWise)
        {
            _probeSplit ??= ProbeSplit.Balanced(_context.Data.Test.Labels.Span, _context.ForgottenClasses, ProbeSeed);
            layerProbes = LayerProbe.Run(model, _context.Data, _probeSplit, ProbeLayers, _context.Device, _context.Workers, batchSize, cancellationToken);
        }
        RelearnResult? relearn = null;
        if (Relearn is not null)
        {
            // One threshold for every model: a share of the original's accuracy on the same held-out forget samples.
            _relearnThreshold ??= Relearn.RecoverFraction * RelearnTime.ForgetAccuracy(_context.Original, _context, Relearn, cancellationToken);
            relearn = RelearnTime.Measure(model, _context, Relearn, _relearnThreshold.Value, cancellationToken);
        }
        var evaluation = new ModelEvaluation(forget, retain, test, forgottenTest, ModelEvaluation.Flatten(model)) { Probe = probe, LayerProbes = layerProbes, Relearn = relearn };
        return Outputs ? evaluation with { Outputs = (_outputs ??= new OutputEvidenceMeter(_context, batchSize)).Measure(evaluation, cancellationToken) } : evaluation;
    }

    /// <summary>The metrics of <paramref name="evaluation"/> on their own (no retrained reference).</summary>
    public UnlearningMetrics Metrics(string method, ModelEvaluation evaluation, double seconds, IReadOnlyDictionary<string, double>? diagnostics = null)
    {
        ArgumentNullException.ThrowIfNull(evaluation);
        _originalParameters ??= ModelEvaluation.Flatten(_context.Original);
        // SalUn: shadow members are the first |test| retain samples, shadow non-members the test set.
        Predictions members = evaluation.Retain.Take(evaluation.Test.Count);
        double[] forgetConfidence = evaluation.Forget.TrueClassConfidence();
        // SalUn's Subset(retain, range(len(test))) assumes |retain| ≥ |test|, so its SVC always trains on two equal
        // classes. Where the retain set is the smaller (reduced-scale protocols), the first |retain| test samples keep
        // them equal: an SVC trained on more non-members leans to them and calls every forget sample a non-member
        // (MIA-efficacy 100) when confidences carry no membership signal, whatever the model did.
        int shadow = Math.Min(evaluation.Retain.Count, evaluation.Test.Count);
        double mia = MembershipInference.SvcEfficacyPercent(evaluation.Retain.Take(shadow).TrueClassConfidence(), evaluation.Test.Take(shadow).TrueClassConfidence(), forgetConfidence);
        return new UnlearningMetrics
        {
            Method = method,
            Seed = _context.Seed,
            UnlearningAccuracy = 100 - evaluation.Forget.AccuracyPercent(),
            RetainAccuracy = evaluation.Retain.AccuracyPercent(),
            TestAccuracy = evaluation.Test.AccuracyPercent(),
            ForgottenClassTestAccuracy = evaluation.ForgottenTest?.AccuracyPercent(),
            MiaEfficacy = mia,
            MiaDegenerate = MembershipInference.IsDegenerate(forgetConfidence, mia),
            LossMiaEfficacy = MembershipInference.LossThresholdEfficacyPercent(members.Losses, evaluation.Test.Losses, evaluation.Forget.Losses).EfficacyPercent,
            ProbeAccuracy = evaluation.Probe?.AccuracyPercent,
            ProbeAuc = evaluation.Probe?.Auc,
            Relearn = evaluation.Relearn,
            Outputs = evaluation.Outputs,
            LayerProbes = evaluation.LayerProbes,
            DistanceToOriginal = ModelEvaluation.Distance(evaluation.Parameters, _originalParameters),
            Seconds = seconds,
            Diagnostics = diagnostics ?? new Dictionary<string, double>(),
        };
    }

    /// <summary>
    /// <paramref name="metrics"/> completed with the comparisons to the retrained model: JS divergences on the
    /// forget and test sets, ‖θ − θ_retrain‖, speed-up over retraining and the Avg. Gap.
    /// </summary>
    public static UnlearningMetrics CompareToRetrained(UnlearningMetrics metrics, ModelEvaluation evaluation, UnlearningMetrics retrainedMetrics, ModelEvaluation retrained)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        ArgumentNullException.ThrowIfNull(evaluation);
        ArgumentNullException.ThrowIfNull(retrainedMetrics);
        ArgumentNullException.ThrowIfNull(retrained);
        return metrics with
        {
            JsDivergenceForget = Divergence.MeanJensenShannon(evaluation.Forget.Probabilities, retrained.Forget.Probabilities, evaluation.Forget.NumClasses),
            JsDivergenceTest = Divergence.MeanJensenShannon(evaluation.Test.Probabilities, retrained.Test.Probabilities, evaluation.Test.NumClasses),
            DistanceToRetrained = ModelEvaluation.Distance(evaluation.Parameters, retrained.Parameters),
            SpeedUp = metrics.Seconds > 0 && retrainedMetrics.Seconds > 0 ? retrainedMetrics.Seconds / metrics.Seconds : null,
            AverageGap = metrics.Headline.AverageGap(retrainedMetrics.Headline),
            Outputs = metrics.Outputs is not null && retrainedMetrics.Outputs is not null ? OutputEvidenceMeter.CompareToRetrained(metrics.Outputs, evaluation, retrainedMetrics.Outputs, retrained) : metrics.Outputs,
        };
    }

    /// <summary>Mean and sample standard deviation of a metric over runs (std 0 for one run).</summary>
    public static (double Mean, double Std) MeanStd(IEnumerable<double> values)
    {
        double[] v = values.Where(x => !double.IsNaN(x)).ToArray();
        if (v.Length == 0)
        {
            return (double.NaN, double.NaN);
        }
        double mean = v.Average();
        double std = v.Length < 2 ? 0 : Math.Sqrt(v.Sum(x => (x - mean) * (x - mean)) / (v.Length - 1));
        return (mean, std);
    }
}
