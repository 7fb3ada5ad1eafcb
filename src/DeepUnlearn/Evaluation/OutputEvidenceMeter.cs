using System;
using System.Linq;
using System.Threading;
using DeepUnlearn.Data;
using DeepUnlearn.Engine;
using DeepUnlearn.Models;
using DeepUnlearn.Unlearning;

namespace DeepUnlearn.Evaluation;

/// <summary>
/// Measures <see cref="OutputEvidence"/> for the models of one request. Holds what every model shares: the random
/// teacher's predictions on D_f (ZRF) and the class MIA's neighbour class, each computed once.
/// </summary>
public sealed class OutputEvidenceMeter(UnlearningContext context, int batchSize = 512)
{
    private readonly UnlearningContext _context = context ?? throw new ArgumentNullException(nameof(context));
    private Predictions? _teacher;
    private int? _neighbour;

    /// <summary>The evidence of a model from its <paramref name="evaluation"/> (without the comparisons to retraining).</summary>
    public OutputEvidence Measure(ModelEvaluation evaluation, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(evaluation);
        Predictions forget = evaluation.Forget;
        int k = forget.NumClasses;
        _teacher ??= TeacherPredictions(cancellationToken);
        ProbeResult? classMia = null;
        if (_context.IsClassWise && evaluation.ForgottenTest is { Count: >= 2 } forgottenTest)
        {
            _neighbour ??= ClassMembershipInference.NearestClass(OriginalOnForgottenTest(cancellationToken), _context.ForgottenClasses);
            classMia = ClassMembershipInference.Run(forgottenTest, evaluation.Test, _context.ForgottenClasses, _neighbour.Value);
        }
        return new OutputEvidence
        {
            Zrf = forget.Count == 0 ? null : ZeroRetrainForgetting.Score(forget.Probabilities, _teacher.Probabilities, k),
            ClassMia = classMia,
            ClassMiaNeighbour = classMia is null ? null : _neighbour,
            ForgetConfidence = Histogram.Of(Confidence(forget), 0, 1),
            ForgetEntropy = Histogram.Of(Entropy(forget), 0, Math.Log(k)),
            PerClassTestAccuracy = PerClassAccuracy(evaluation),
            MiaRoc = MiaRoc(evaluation),
        };
    }

    /// <summary><paramref name="mine"/> with its D_f confidence and entropy distances to the retrained model's.</summary>
    public static OutputEvidence CompareToRetrained(OutputEvidence mine, ModelEvaluation evaluation, OutputEvidence retrained, ModelEvaluation retrainedEvaluation)
    {
        ArgumentNullException.ThrowIfNull(mine);
        ArgumentNullException.ThrowIfNull(evaluation);
        ArgumentNullException.ThrowIfNull(retrained);
        ArgumentNullException.ThrowIfNull(retrainedEvaluation);
        return mine with
        {
            ConfidenceTv = Histogram.TotalVariation(mine.ForgetConfidence, retrained.ForgetConfidence),
            ConfidenceW1 = DistributionDistance.Wasserstein1(Confidence(evaluation.Forget), Confidence(retrainedEvaluation.Forget)),
            EntropyTv = Histogram.TotalVariation(mine.ForgetEntropy, retrained.ForgetEntropy),
            EntropyW1 = DistributionDistance.Wasserstein1(Entropy(evaluation.Forget), Entropy(retrainedEvaluation.Forget)),
        };
    }

    /// <summary>The max-softmax probability of each row.</summary>
    public static double[] Confidence(Predictions predictions)
    {
        ArgumentNullException.ThrowIfNull(predictions);
        int k = predictions.NumClasses;
        var result = new double[predictions.Count];
        for (int i = 0; i < result.Length; i++)
        {
            float best = 0;
            for (int j = 0; j < k; j++)
            {
                best = Math.Max(best, predictions.Probabilities[((long)i * k) + j]);
            }
            result[i] = best;
        }
        return result;
    }

    /// <summary>The predictive entropy −Σ p ln p (nats, in [0, ln K]) of each row.</summary>
    public static double[] Entropy(Predictions predictions)
    {
        ArgumentNullException.ThrowIfNull(predictions);
        int k = predictions.NumClasses;
        var result = new double[predictions.Count];
        for (int i = 0; i < result.Length; i++)
        {
            double h = 0;
            for (int j = 0; j < k; j++)
            {
                double p = predictions.Probabilities[((long)i * k) + j];
                if (p > 0)
                {
                    h -= p * Math.Log(p);
                }
            }
            result[i] = h;
        }
        return result;
    }

    private Predictions TeacherPredictions(CancellationToken cancellationToken)
    {
        // T_d: the original's architecture, freshly initialised from a fixed seed (the same teacher for every model).
        using ClassifierModel teacher = _context.Original.CreateFreshlyInitialized(ZeroRetrainForgetting.TeacherSeed);
        ModelPlacement.MoveTo(teacher, _context.Device);
        using DataLoader loader = _context.ForgetLoader(batchSize, shuffle: false);
        return ModelEvaluator.Predict(teacher, loader, cancellationToken);
    }

    private Predictions OriginalOnForgottenTest(CancellationToken cancellationToken)
    {
        var forgotten = _context.ForgottenClasses.ToHashSet();
        ReadOnlySpan<int> labels = _context.Data.Test.Labels.Span;
        var ids = new System.Collections.Generic.List<int>();
        for (int i = 0; i < labels.Length; i++)
        {
            if (forgotten.Contains(labels[i]))
            {
                ids.Add(i);
            }
        }
        using DataLoader loader = _context.Data.TestLoader(batchSize, _context.Device, [.. ids], _context.Workers);
        return ModelEvaluator.Predict(_context.Original, loader, cancellationToken);
    }

    private static double[] PerClassAccuracy(ModelEvaluation evaluation)
    {
        int k = evaluation.Test.NumClasses;
        int[] predicted = [.. evaluation.Test.PredictedLabels(), .. evaluation.ForgottenTest?.PredictedLabels() ?? []];
        int[] actual = [.. evaluation.Test.Labels, .. evaluation.ForgottenTest?.Labels ?? []];
        return ClassificationMetrics.PerClassAccuracyPercent(ClassificationMetrics.ConfusionMatrix(predicted, actual, k));
    }

    private RocCurve? MiaRoc(ModelEvaluation evaluation)
    {
        // Non-members: unseen test samples of the same classes as D_f (the forgotten classes' test samples when
        // class-wise, else the test set), scored by the SalUn MIA feature.
        Predictions? unseen = _context.IsClassWise ? evaluation.ForgottenTest : evaluation.Test;
        if (unseen is null || unseen.Count == 0 || evaluation.Forget.Count == 0)
        {
            return null;
        }
        double[] scores = [.. evaluation.Forget.TrueClassConfidence(), .. unseen.TrueClassConfidence()];
        bool[] members = [.. Enumerable.Repeat(true, evaluation.Forget.Count), .. Enumerable.Repeat(false, unseen.Count)];
        return RocCurve.FromScores("SalUn MIA feature", scores, members);
    }
}
