using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Threading;
using DeepUnlearn.Data;
using DeepUnlearn.Models;
using TorchSharp;
using static TorchSharp.torch;
using DeepUnlearn.Training.Trajectory;
using DeepUnlearn.Unlearning.Methods.DeltaGrad.Models;
using Microsoft.Extensions.Logging;

namespace DeepUnlearn.Unlearning.Methods.DeltaGrad;

/// <summary>
/// DeltaGrad for vision models, registered as <c>deltagrad-head</c> because that is what it unlearns: the backbone
/// is frozen and only the classification head is unlearned.
/// The head is trained by plain SGD with weight decay over the frozen features of the whole training
/// split (a linear probe from a seeded initialisation, or from the original head with
/// <c>warm_start</c>), with the trajectory recorded; DeltaGrad then replays that trajectory without the
/// forget set (Wu et al. 2020, Algorithm 1) and the result goes back into a copy of the model. From a
/// fresh initialisation the replay approximates a head that never saw the forget set; the backbone's
/// features still did, which is this method's limit. The L-BFGS estimate tracks retraining closely for
/// sample deletions (tests: random 1–10% of a set, within 10⁻⁴ relative) but not when a whole class goes,
/// where every deleted gradient points the same way and the replay drifts to a head that still predicts
/// the class; class requests therefore replay exactly (T0 = 1) unless
/// <see cref="DeltaGradMethodOptions.ApproximateClassRequests"/> is set; the outcome's qualifier says which T0 ran
/// (<c>T0=1</c> in reports for such an exact replay). The outcome's time counts what a deletion costs once a trajectory exists (feature
/// extraction and the replay); recording it is reported as <c>trajectory_record_seconds</c>.
/// </summary>
public sealed partial class DeltaGradMethod(DeltaGradMethodOptions options) : IUnlearningMethod
{
    /// <inheritdoc />
    public string Name => "deltagrad-head";

    /// <summary>The options in force.</summary>
    public DeltaGradMethodOptions Options { get; } = options;

    /// <inheritdoc />
    public UnlearningOutcome Run(UnlearningContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var clock = Stopwatch.StartNew();
        ClassifierModel model = context.CopyOriginal();
        try
        {
            model.eval();
            using SampleTable table = ExtractFeatures(context, model, cancellationToken);
            using var head = new FrozenFeatureHead(table.Identity, model.FeatureDim, model.NumClasses, ScalarType.Float32, context.Device, context.Seed);
            if (Options.WarmStart)
            {
                head.LoadFrom(model.Head);
            }
            using Tensor start = head.GetParameters();

            long[] trainIds = context.RetainIds.Concat(context.ForgetIds).Select(i => (long)i).Order().ToArray();
            var schedule = BatchSchedule.Shuffled(trainIds, Options.BatchSize, Options.HeadEpochs, context.Seed);
            var rates = LearningRateSchedule.Constant(Options.LearningRate);
            double recordSeconds = 0;
            using TrainingTrajectory trajectory = OpenOrRecord(head, table, schedule, rates, ref recordSeconds, cancellationToken);

            DeltaGradOptions algorithm = Options.ToAlgorithmOptions();
            bool forcedExact = context.IsClassWise && !Options.ApproximateClassRequests && algorithm.Period > 1;
            if (forcedExact)
            {
                LogExactForClasses(context.Logger(Name), context.ForgetIds.Length);
                algorithm = algorithm with { Period = 1 };
            }
            var unlearner = new DeltaGradUnlearner(algorithm, context.LoggerFactory.CreateLogger<DeltaGradUnlearner>());
            head.SetParameters(start);
            using DeltaGradOutcome outcome = unlearner.Run(head, table, trajectory, DatasetChange.Delete(context.ForgetIds.Select(i => (long)i)), cancellationToken: cancellationToken);
            head.SetParameters(outcome.Parameters);
            head.CopyTo(model.Head);
            model.train();
            return new UnlearningOutcome(model, clock.Elapsed.TotalSeconds - recordSeconds, new Dictionary<string, double>
            {
                ["trajectory_record_seconds"] = recordSeconds,
                ["replay_seconds"] = outcome.Elapsed.TotalSeconds,
                ["exact_steps"] = outcome.ExactSteps,
                ["approximate_steps"] = outcome.ApproximateSteps,
                ["steps"] = trajectory.StepCount,
                ["exact_replay_for_classes"] = forcedExact ? 1 : 0,
                ["period"] = algorithm.Period,
            }, qualifier: string.Create(CultureInfo.InvariantCulture, $"T0={algorithm.Period}"));
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    private TrainingTrajectory OpenOrRecord(FrozenFeatureHead head, SampleTable table, BatchSchedule schedule, LearningRateSchedule rates, ref double recordSeconds, CancellationToken cancellationToken)
    {
        if (Options.Trajectory is string path && File.Exists(path))
        {
            TrainingTrajectory existing = TrainingTrajectory.Open(path);
            try
            {
                existing.EnsureMatches(head.Identity, head.ParameterCount, table.Identity, table.Count);
                if (Math.Abs(existing.Metadata.WeightDecay - Options.WeightDecay) > 0)
                {
                    throw new TrajectoryFormatException($"'{path}' was recorded with weight decay {existing.Metadata.WeightDecay}, not deltagrad-head.weight_decay={Options.WeightDecay}");
                }
                using (Tensor w0 = head.GetParameters())
                {
                    existing.EnsureRecordedWith(schedule, rates, w0, null, $"{Name}.head_epochs, batch_size, learning_rate, warm_start and the seed");
                }
                return existing;
            }
            catch
            {
                existing.Dispose();
                throw;
            }
        }
        var metadata = new TrajectoryMetadata(head.Identity, table.Identity, head.ParameterCount, table.Count, Options.WeightDecay, schedule.StepsPerEpoch);
        TrainingTrajectory trajectory = Options.Trajectory is string target
            ? TrainingTrajectory.Create(target, metadata, schedule.StepCount)
            : TrainingTrajectory.InMemory(metadata, head.Device);
        try
        {
            var clock = Stopwatch.StartNew();
            PlainTrainer.Train(head, table, schedule, rates, Options.WeightDecay, trajectory, cancellationToken);
            // Published at its path only now that it is whole (a failed recording leaves nothing to be reused).
            trajectory.Complete();
            recordSeconds = clock.Elapsed.TotalSeconds;
            return trajectory;
        }
        catch
        {
            trajectory.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Penultimate features of every training-split sample (row = sample id) under the frozen backbone.
    /// The identity fingerprints the backbone's weights, so a trajectory is only replayed on the features
    /// it was recorded on.
    /// </summary>
    private static SampleTable ExtractFeatures(UnlearningContext context, ClassifierModel model, CancellationToken cancellationToken)
    {
        int count = context.Data.Train.Count;
        using var owner = torch.NewDisposeScope(); // frees both tables if extraction fails
        Tensor features = torch.zeros([count, model.FeatureDim], ScalarType.Float32, context.Device);
        Tensor labels = torch.tensor(context.Data.Train.Labels.ToArray().Select(l => (long)l).ToArray()).to(context.Device);
        using DataLoader loader = context.Loader(Enumerable.Range(0, count), batchSize: 512, shuffle: false, augment: false);
        using (torch.no_grad())
        {
            foreach (Batch batch in loader.Epoch(0, cancellationToken))
            {
                using var scope = torch.NewDisposeScope();
                Tensor rows = torch.tensor(batch.Ids).to(context.Device);
                features.index_put_(model.Features(batch.Images), rows);
            }
        }
        string identity = string.Create(CultureInfo.InvariantCulture, $"{model.Spec?.Name ?? model.GetType().Name}-features-{Fingerprint(model):x16}@{context.Data.Specification}");
        features.MoveToOuterDisposeScope();
        labels.MoveToOuterDisposeScope();
        return new SampleTable(features, labels, identity, ownsTensors: true);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "deltagrad-head: whole-class request ({Count} samples): replaying exactly (T0 = 1), as the L-BFGS estimate does not follow the retrained path when a whole class goes; set deltagrad-head.approximate_class_requests=true to approximate anyway")]
    private static partial void LogExactForClasses(ILogger logger, int count);

    private static ulong Fingerprint(ClassifierModel model)
    {
        ulong hash = 14695981039346656037UL;
        string headPrefix = model.HeadName + ".";
        foreach ((string name, Tensor tensor) in model.state_dict())
        {
            if (name.StartsWith(headPrefix, StringComparison.Ordinal))
            {
                continue;
            }
            // The entries are the model's own tensors (not disposed here); only the host copy is temporary.
            using Tensor host = tensor.detach().cpu().contiguous();
            foreach (byte b in host.bytes)
            {
                hash = (hash ^ b) * 1099511628211UL;
            }
        }
        return hash;
    }
}
