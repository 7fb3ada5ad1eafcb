using System;
using System.Collections.Generic;
using DeepUnlearn.Engine;
using DeepUnlearn.Evaluation.Attacks;
using DeepUnlearn.Reporting;
using DeepUnlearn.Unlearning;
using TorchSharp;

namespace DeepUnlearn.Evaluation;

/// <summary>
/// How a comparison's rows and its <see cref="ComparisonReport"/> are assembled from evaluations, one way for
/// <c>compare</c> (<see cref="ComparisonRunner"/>, several methods and seeds) and <c>unlearn</c> (one method, one seed):
/// the retrained model scored against itself, "do nothing" (the original scored against the retrained model), each
/// method against it, and the report whose evidence sections and charts (<see cref="OutputEvidenceReport"/>) both
/// commands write. One assembly, so that the two commands give the same numbers for the same model.
/// </summary>
public static class ComparisonRows
{
    /// <summary>The retrained model's own row: its metrics against itself (zero gap, divergences and distances).</summary>
    public static UnlearningMetrics Reference(UnlearningMetrics retrained, ModelEvaluation evaluation) =>
        UnlearningEvaluator.CompareToRetrained(retrained, evaluation, retrained, evaluation);

    /// <summary>
    /// "Do nothing": the original scored against the retrained model of <paramref name="seed"/>, with its Gap, the
    /// baseline every method must beat.
    /// </summary>
    public static UnlearningMetrics DoNothing(UnlearningMetrics original, ModelEvaluation originalEvaluation, ulong seed, UnlearningMetrics reference, ModelEvaluation referenceEvaluation)
    {
        ArgumentNullException.ThrowIfNull(original);
        return UnlearningEvaluator.CompareToRetrained(original with { Method = ComparisonReport.DoNothing, Seed = seed }, originalEvaluation, reference, referenceEvaluation);
    }

    /// <summary>A method's row: its metrics against the retrained model when there is one, else on their own.</summary>
    public static UnlearningMetrics Method(UnlearningMetrics metrics, ModelEvaluation evaluation, UnlearningMetrics? reference, ModelEvaluation? referenceEvaluation) =>
        reference is not null && referenceEvaluation is not null
            ? UnlearningEvaluator.CompareToRetrained(metrics, evaluation, reference, referenceEvaluation)
            : metrics;

    /// <summary>
    /// The report of <paramref name="runs"/> on <paramref name="session"/>'s request: where it ran, the class names for
    /// the per-class chart, and the chance level of TA for the collapse warning.
    /// </summary>
    public static ComparisonReport Report(UnlearningSession session, IReadOnlyList<ulong> seeds, UnlearningMetrics original, IReadOnlyList<UnlearningMetrics> runs, IReadOnlyList<UnlearningMetrics> references, PerExampleAttackReport? attacks)
    {
        ArgumentNullException.ThrowIfNull(session);
        string libtorch = TorchRuntime.EnsureInitialized().LibTorchVersion;
        return new ComparisonReport
        {
            Dataset = session.Data.Specification,
            Checkpoint = session.CheckpointPath,
            Model = session.Metadata.Model.Name,
            Request = session.Sets.Request.ToString(),
            ForgetCount = session.Sets.Forget.Length,
            RetainCount = session.Sets.Retain.Length,
            Seeds = seeds,
            Environment = $"{session.Device}, {torch.get_num_threads()} threads, {System.Environment.ProcessorCount} cores, libtorch {libtorch}",
            ClassNames = session.Data.Test.ClassNames,
            Original = original,
            // TA is measured on the remaining classes of a class-wise request: guessing among them.
            ChanceTestAccuracy = 100.0 / (session.Original.NumClasses - session.Sets.ForgottenClasses.Length),
            Runs = runs,
            References = references,
            Attacks = attacks,
        };
    }
}
