using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Threading;
using DeepUnlearn.Data;
using DeepUnlearn.Engine;
using DeepUnlearn.Evaluation;
using DeepUnlearn.Models;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using DataLoader = DeepUnlearn.Data.DataLoader;

namespace DeepUnlearn.Training;

/// <summary>
/// One trainer for the original model, the retrained gold standard and every fine-tuning-style method
/// (torchvision's references/classification/train.py shape: <see cref="TrainOneEpoch"/>, evaluation, the
/// epoch loop with checkpoints). Cross-entropy with optional label smoothing; the schedule steps per epoch;
/// every step runs in its own dispose scope (<c>torch.NewDisposeScope()</c>); a NaN or infinite loss stops the run.
/// </summary>
public sealed partial class Trainer
{
    /// <summary>The weights file name of the latest epoch.</summary>
    public const string LastCheckpoint = "last.safetensors";

    /// <summary>The weights file name of the best validation epoch.</summary>
    public const string BestCheckpoint = "best.safetensors";

    private static readonly MixedPrecision s_float32 = PrecisionPolicy.Off.Start();

    private readonly ILogger _logger;

    /// <summary>The writes of one epoch's checkpoint files, in order (see <see cref="WriteBoundary"/>).</summary>
    public enum CheckpointWrite
    {
        /// <summary>best.safetensors, when the epoch improved.</summary>
        Best,

        /// <summary>The training state, to its pending file.</summary>
        PendingState,

        /// <summary>last.safetensors.</summary>
        Weights,

        /// <summary>The pending state renamed over last.state.safetensors.</summary>
        CommitState,
    }

    /// <summary>Called before each checkpoint write; tests throw from it to stand for a kill at that point.</summary>
    internal Action<CheckpointWrite>? WriteBoundary { get; init; }

    /// <summary>Creates a trainer that logs to <paramref name="logger"/>.</summary>
    public Trainer(ILogger<Trainer>? logger = null)
    {
        _logger = logger ?? NullLogger<Trainer>.Instance;
    }

    /// <summary>
    /// Trains <paramref name="model"/> in place for <see cref="TrainingConfig.Epochs"/> epochs (from the last
    /// checkpoint when resuming), validating after each epoch when <paramref name="validation"/> is given.
    /// </summary>
    public TrainingResult Fit(ClassifierModel model, DataLoader train, DataLoader? validation, TrainingConfig config, TrainingOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(config);
        config.Validate();
        options ??= new TrainingOptions();
        if (train.Dataset.NumClasses > model.NumClasses)
        {
            throw new ArgumentException($"the model has {model.NumClasses} outputs but '{train.Dataset.Name}' has {train.Dataset.NumClasses} classes");
        }
        if ((options.Resume || options.CheckpointDirectory is not null) && options.Metadata is null && options.CheckpointDirectory is not null)
        {
            throw new ArgumentException("checkpointing needs TrainingOptions.Metadata (dataset, classes, normalisation)");
        }
        var clock = Stopwatch.StartNew();
        options.Precision.Prepare(model);
        MixedPrecision precision = options.Precision.Start();
        using OptimizerHelper optimizer = OptimizerFactory.Create(config, model.TrainableParameters());
        optim.lr_scheduler.LRScheduler schedule = OptimizerFactory.CreateSchedule(config, optimizer);

        int startEpoch = 0;
        double? best = null;
        string? lastPath = options.CheckpointDirectory is null ? null : Path.Combine(options.CheckpointDirectory, LastCheckpoint);
        if (options.Resume && lastPath is not null && File.Exists(lastPath))
        {
            (startEpoch, best) = Restore(lastPath, model, optimizer);
            // The schedule owns the learning rate: replaying its steps gives the rate of epoch startEpoch exactly
            // (the restored state holds the per-parameter buffers; its recorded rates are not re-applied).
            for (int e = 0; e < startEpoch; e++)
            {
                schedule.step();
            }
            LogResumed(_logger, startEpoch, lastPath);
        }

        var results = new List<EpochResult>();
        int endEpoch = options.StopAfterEpochs is int stop ? Math.Min(config.Epochs, startEpoch + stop) : config.Epochs;
        for (int epoch = startEpoch; epoch < endEpoch; epoch++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            double lr = LearningRate(optimizer);
            var (loss, accuracy, seconds, imagesPerSecond) = TrainOneEpoch(model, train, optimizer, config, epoch, options, clock, cancellationToken, precision);
            schedule.step();

            double? valAccuracy = null;
            double? valLoss = null;
            if (validation is not null && validation.SampleCount > 0)
            {
                Predictions predictions = ModelEvaluator.Predict(model, validation, cancellationToken);
                valAccuracy = predictions.AccuracyPercent();
                valLoss = predictions.MeanLoss();
            }
            var result = new EpochResult
            {
                Epoch = epoch,
                LearningRate = lr,
                TrainLoss = loss,
                TrainAccuracy = accuracy,
                ValidationAccuracy = valAccuracy,
                ValidationLoss = valLoss,
                Seconds = seconds,
                ImagesPerSecond = imagesPerSecond,
            };
            results.Add(result);
            if (valAccuracy is double va)
            {
                LogEpoch(_logger, epoch + 1, config.Epochs, loss, accuracy, va, imagesPerSecond);
            }
            else
            {
                // A run without a validation split (a retrain on D_r) has no val acc: say nothing rather than "NaN%".
                LogEpochNoValidation(_logger, epoch + 1, config.Epochs, loss, accuracy, imagesPerSecond);
            }

            bool improved = valAccuracy is double v && (best is null || v > best.Value);
            if (improved)
            {
                best = valAccuracy;
            }
            if (options.CheckpointDirectory is not null && options.Metadata is not null)
            {
                WriteCheckpoints(options.CheckpointDirectory, model, optimizer, options.Metadata, config, epoch + 1, valAccuracy, best, improved);
            }
        }
        return new TrainingResult(results, startEpoch, best, clock.Elapsed.TotalSeconds);
    }

    /// <summary>
    /// One pass over <paramref name="loader"/>: forward, cross-entropy, backward, optional step hook,
    /// update, under <paramref name="precision"/> (float32 when null). Returns the mean loss, training accuracy, wall time and throughput.
    /// </summary>
    public static (double Loss, double Accuracy, double Seconds, double ImagesPerSecond) TrainOneEpoch(
        ClassifierModel model, DataLoader loader, OptimizerHelper optimizer, TrainingConfig config, int epoch, TrainingOptions? options = null, Stopwatch? runClock = null, CancellationToken cancellationToken = default, MixedPrecision? precision = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(loader);
        ArgumentNullException.ThrowIfNull(optimizer);
        ArgumentNullException.ThrowIfNull(config);
        model.train();
        var clock = Stopwatch.StartNew();
        double lossSum = 0;
        long correct = 0;
        long seen = 0;
        int step = 0;
        int steps = loader.BatchCount;
        foreach (Batch batch in loader.Epoch(epoch, cancellationToken))
        {
            Action? beforeUpdate = null;
            if (options?.StepObserver is { } observer)
            {
                var observed = new TrainingStep(epoch, step, ((long)epoch * steps) + step, batch.Ids, LearningRate(optimizer), model);
                beforeUpdate = () => observer(observed);
            }
            var (value, batchCorrect) = Step(model, optimizer, batch.Images, batch.Labels, config.LabelSmoothing, beforeUpdate, epoch, step, precision);
            correct += batchCorrect;
            lossSum += value * batch.Count;
            seen += batch.Count;
            step++;
            if (options?.Progress is { } progress)
            {
                double rate = seen / Math.Max(clock.Elapsed.TotalSeconds, 1e-9);
                double remainingImages = ((double)(steps - step) * loader.Options.BatchSize) + ((double)(config.Epochs - epoch - 1) * loader.SampleCount);
                progress.Report(new TrainingProgress(epoch, config.Epochs, step, steps, lossSum / seen, rate, TimeSpan.FromSeconds(remainingImages / Math.Max(rate, 1e-9))));
            }
        }
        double seconds = clock.Elapsed.TotalSeconds;
        return seen == 0
            ? (double.NaN, double.NaN, seconds, 0)
            : (lossSum / seen, 100.0 * correct / seen, seconds, seen / Math.Max(seconds, 1e-9));
    }

    /// <summary>
    /// One optimisation step of <see cref="TrainOneEpoch"/> on one batch, in its own dispose scope: forward (in the
    /// model's current mode), cross-entropy with <paramref name="labelSmoothing"/>, a check that the loss is finite,
    /// <c>zero_grad</c>, backward, <paramref name="beforeUpdate"/> (an observer reading the gradients, e.g. the
    /// trajectory recorder) and the optimizer's update. Returns the loss and how many rows the model classified right
    /// before the update. Under <paramref name="precision"/> (float32 when null) the forward runs in autocast and, under
    /// float16, a step with inf/NaN gradients is skipped (<paramref name="beforeUpdate"/> is not called for it).
    /// </summary>
    /// <exception cref="TrainingDivergedException">The loss is NaN or infinite (reported as <paramref name="epoch"/>, <paramref name="step"/>); the weights are left unchanged.</exception>
    public static (double Loss, long Correct) Step(
        ClassifierModel model, OptimizerHelper optimizer, Tensor images, Tensor labels, double labelSmoothing = 0, Action? beforeUpdate = null, int epoch = 0, int step = 0, MixedPrecision? precision = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(optimizer);
        ArgumentNullException.ThrowIfNull(images);
        ArgumentNullException.ThrowIfNull(labels);
        using var scope = torch.NewDisposeScope();
        precision ??= s_float32;
        Tensor logits = precision.Forward(model, images);
        Tensor loss = torch.nn.functional.cross_entropy(logits, labels, label_smoothing: labelSmoothing);
        // The one read-back of the step: the loss is checked before any weight moves (and reported per epoch).
        double value = loss.ToDouble();
        if (!double.IsFinite(value))
        {
            throw new TrainingDivergedException(epoch, step, value);
        }
        optimizer.zero_grad();
        precision.Backward(loss);
        precision.Step(optimizer, beforeUpdate);
        long correct;
        using (torch.no_grad())
        {
            correct = logits.argmax(1).eq(labels).sum().ToInt64();
        }
        return (value, correct);
    }

    /// <summary>The learning rate of the optimizer's first parameter group.</summary>
    public static double LearningRate(OptimizerHelper optimizer)
    {
        ArgumentNullException.ThrowIfNull(optimizer);
        return optimizer.ParamGroups.First().LearningRate;
    }

    private static (int Epoch, double? Best) Restore(string lastPath, ClassifierModel model, OptimizerHelper optimizer)
    {
        CheckpointMetadata metadata = Checkpoint.LoadInto(lastPath, model);
        string statePath = Checkpoint.StatePathFor(lastPath);
        string pendingPath = PendingStatePath(lastPath);
        // WriteCheckpoints leaves, at any kill, the weights beside a state of their epoch: either the committed state
        // file or the pending one written just before the weights (then the commit's rename is finished here).
        string[] candidates = [statePath, pendingPath];
        string? matching = null;
        var seen = new List<string>();
        foreach (string candidate in candidates.Where(File.Exists))
        {
            int epoch = Checkpoint.ReadTrainingStateEpoch(candidate);
            seen.Add($"'{Path.GetFileName(candidate)}' at epoch {epoch}");
            if (epoch == metadata.Epoch)
            {
                matching = candidate;
                break;
            }
        }
        if (matching is null)
        {
            string found = seen.Count == 0 ? "there is no training-state file beside it" : "the training state beside it is " + string.Join(" and ", seen);
            throw new InvalidDataException($"cannot resume: '{lastPath}' is at epoch {metadata.Epoch} but {found} (optimizer and RNG state of that epoch are needed to resume exactly); train again without --resume into a new --out");
        }
        Checkpoint.LoadTrainingState(matching, optimizer);
        if (matching == pendingPath)
        {
            File.Move(pendingPath, statePath, overwrite: true);
        }
        else if (File.Exists(pendingPath))
        {
            File.Delete(pendingPath);
        }
        double? best = null;
        string bestPath = Path.Combine(Path.GetDirectoryName(lastPath) ?? ".", BestCheckpoint);
        if (File.Exists(bestPath))
        {
            best = Checkpoint.ReadMetadata(bestPath).ValidationAccuracy;
        }
        return (metadata.Epoch, best);
    }

    /// <summary>Where the training state of an epoch waits until its weights are written.</summary>
    private static string PendingStatePath(string lastPath) => Checkpoint.StatePathFor(lastPath) + ".pending";

    /// <summary>
    /// Every file a run writes into <paramref name="checkpointDirectory"/> (weights, training states, a pending state),
    /// so that a run replacing another can remove the old run's first and never resume from them.
    /// </summary>
    public static IReadOnlyList<string> CheckpointFiles(string checkpointDirectory)
    {
        string last = Path.Combine(checkpointDirectory, LastCheckpoint);
        string best = Path.Combine(checkpointDirectory, BestCheckpoint);
        return [last, Checkpoint.StatePathFor(last), PendingStatePath(last), best, Checkpoint.StatePathFor(best)];
    }

    /// <summary>
    /// Writes one epoch's files so that a kill between any two writes (each write is atomic) leaves a run that resumes
    /// exactly and a best checkpoint that is never worse than the best epoch reached: best first (if the epoch improved),
    /// then the training state to a pending file, then the weights, then the pending state renamed over the committed one.
    /// </summary>
    private void WriteCheckpoints(string directory, ClassifierModel model, OptimizerHelper optimizer, CheckpointMetadata template, TrainingConfig config, int epochsDone, double? valAccuracy, double? best, bool improved)
    {
        Directory.CreateDirectory(directory);
        CheckpointMetadata metadata = template with { Epoch = epochsDone, Config = config, ValidationAccuracy = valAccuracy, CreatedUtc = DateTimeOffset.UtcNow };
        string last = Path.Combine(directory, LastCheckpoint);
        if (improved || (best is null && valAccuracy is null))
        {
            WriteBoundary?.Invoke(CheckpointWrite.Best);
            Checkpoint.Save(Path.Combine(directory, BestCheckpoint), model, metadata);
        }
        WriteBoundary?.Invoke(CheckpointWrite.PendingState);
        string pending = PendingStatePath(last);
        Checkpoint.SaveTrainingState(pending, optimizer, epochsDone);
        WriteBoundary?.Invoke(CheckpointWrite.Weights);
        Checkpoint.Save(last, model, metadata);
        WriteBoundary?.Invoke(CheckpointWrite.CommitState);
        File.Move(pending, Checkpoint.StatePathFor(last), overwrite: true);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Resumed after epoch {Epoch} from {Path}")]
    private static partial void LogResumed(ILogger logger, int epoch, string path);

    [LoggerMessage(Level = LogLevel.Information, Message = "Epoch {Epoch}/{Epochs}: loss {Loss:F4}, train acc {TrainAccuracy:F2}%, val acc {ValidationAccuracy:F2}%, {ImagesPerSecond:F0} img/s")]
    private static partial void LogEpoch(ILogger logger, int epoch, int epochs, double loss, double trainAccuracy, double validationAccuracy, double imagesPerSecond);

    [LoggerMessage(Level = LogLevel.Information, Message = "Epoch {Epoch}/{Epochs}: loss {Loss:F4}, train acc {TrainAccuracy:F2}%, {ImagesPerSecond:F0} img/s")]
    private static partial void LogEpochNoValidation(ILogger logger, int epoch, int epochs, double loss, double trainAccuracy, double imagesPerSecond);
}
