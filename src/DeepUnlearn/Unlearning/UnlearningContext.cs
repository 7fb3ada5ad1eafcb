using System;
using System.Collections.Generic;
using DeepUnlearn.Data;
using DeepUnlearn.Engine;
using DeepUnlearn.Models;
using static TorchSharp.torch;
using DeepUnlearn.Training;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace DeepUnlearn.Unlearning;

/// <summary>
/// Everything a method may use: the original model (never mutated: use <see cref="CopyOriginal"/>), the
/// data and the id sets of the request (forget / retain / validation, over the training split), the
/// recipe the original was trained with, the device, seed, logging and progress. Loaders are made on
/// demand so each method picks its batch size and order.
/// </summary>
public sealed class UnlearningContext
{
    /// <summary>Creates a context; the id sets must be disjoint subsets of the training split.</summary>
    public UnlearningContext(ClassifierModel original, VisionData data, int[] forgetIds, int[] retainIds, int[] validationIds, int[] forgottenClasses, TrainingConfig recipe, Device device, ulong seed)
    {
        ArgumentNullException.ThrowIfNull(original);
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(forgetIds);
        ArgumentNullException.ThrowIfNull(retainIds);
        ArgumentNullException.ThrowIfNull(validationIds);
        ArgumentNullException.ThrowIfNull(forgottenClasses);
        ArgumentNullException.ThrowIfNull(recipe);
        if (forgetIds.Length == 0)
        {
            throw new ArgumentException("the forget set is empty: nothing to unlearn", nameof(forgetIds));
        }
        if (retainIds.Length == 0)
        {
            throw new ArgumentException("the retain set is empty: the request covers the whole training set", nameof(retainIds));
        }
        if (original.NumClasses < data.Train.NumClasses)
        {
            throw new ArgumentException($"the model has {original.NumClasses} outputs but '{data.Specification}' has {data.Train.NumClasses} classes");
        }
        Original = original;
        Data = data;
        ForgetIds = forgetIds;
        RetainIds = retainIds;
        ValidationIds = validationIds;
        ForgottenClasses = forgottenClasses;
        Recipe = recipe;
        Device = device;
        Seed = seed;
    }

    /// <summary>The trained model to unlearn from. Never mutate it.</summary>
    public ClassifierModel Original { get; }

    /// <summary>The dataset (training and test splits).</summary>
    public VisionData Data { get; }

    /// <summary>Ids (training split) to forget.</summary>
    public int[] ForgetIds { get; }

    /// <summary>Ids (training split) to keep: the training ids minus the forget ids.</summary>
    public int[] RetainIds { get; }

    /// <summary>Held-out validation ids (training split).</summary>
    public int[] ValidationIds { get; }

    /// <summary>The forgotten classes for class-wise forgetting (empty otherwise).</summary>
    public int[] ForgottenClasses { get; }

    /// <summary>True for class-wise forgetting.</summary>
    public bool IsClassWise => ForgottenClasses.Length > 0;

    /// <summary>The recipe the original model was trained with (retraining repeats it).</summary>
    public TrainingConfig Recipe { get; }

    /// <summary>The device to compute on.</summary>
    public Device Device { get; }

    /// <summary>The seed of this run (methods derive their randomness from it).</summary>
    public ulong Seed { get; }

    /// <summary>
    /// The checkpoint file <see cref="Original"/> was loaded from, when there is one: methods may read and write
    /// files that belong beside it (PGU's stored retain space).
    /// </summary>
    public string? CheckpointPath { get; init; }

    /// <summary>Loader worker threads.</summary>
    public int Workers { get; init; } = 2;

    /// <summary>Logging.</summary>
    public ILoggerFactory LoggerFactory { get; init; } = NullLoggerFactory.Instance;

    /// <summary>
    /// Mixed precision and memory layout for the method's forward and backward passes (float32, contiguous by default):
    /// <see cref="CopyOriginal"/> puts the copy in its layout, and loops run through <c>Precision.Start()</c>.
    /// </summary>
    public PrecisionPolicy Precision { get; init; } = PrecisionPolicy.Off;

    /// <summary>Progress of the method, if anyone listens.</summary>
    public IProgress<UnlearningProgress>? Progress { get; init; }

    /// <summary>The number of classes of the model's head.</summary>
    public int NumClasses => (int)Original.NumClasses;

    /// <summary>An independent copy of the original model on the context's device, in <see cref="Precision"/>'s layout, in training mode.</summary>
    public ClassifierModel CopyOriginal()
    {
        ClassifierModel copy = Original.DeepCopy();
        ModelPlacement.MoveTo(copy, Device);
        Precision.Prepare(copy);
        copy.train();
        return copy;
    }

    /// <summary>A loader over the forget set (training augmentation when <paramref name="augment"/>).</summary>
    public DataLoader ForgetLoader(int batchSize, bool shuffle = true, bool augment = false, ulong seedOffset = 0) =>
        Loader(ForgetIds, batchSize, shuffle, augment, seedOffset);

    /// <summary>A loader over the retain set.</summary>
    public DataLoader RetainLoader(int batchSize, bool shuffle = true, bool augment = true, ulong seedOffset = 0) =>
        Loader(RetainIds, batchSize, shuffle, augment, seedOffset);

    /// <summary>A loader over any ids of the training split.</summary>
    public DataLoader Loader(IEnumerable<int> ids, int batchSize, bool shuffle, bool augment, ulong seedOffset = 0)
    {
        DataLoader loader = Data.TrainLoader(ids, training: shuffle, batchSize, Seed + seedOffset, Device, Workers, augment && shuffle);
        return loader;
    }

    /// <summary>A logger for a method.</summary>
    public ILogger Logger(string method) => LoggerFactory.CreateLogger("DeepUnlearn.Unlearning." + method);

    /// <summary>A synchronous adapter that reports a method's inner training epochs as its progress (null when nobody listens).</summary>
    public IProgress<TrainingProgress>? TrainingProgressFor(string method) =>
        Progress is null ? null : new TrainingProgressAdapter(this, method);

    /// <summary>
    /// Reports progress when someone listens; <paramref name="images"/> counts the images processed so far in this phase
    /// (0 when unknown), from which the listener shows img/s.
    /// </summary>
    public void Report(string method, string phase, int step, int steps, double loss, long images = 0) =>
        Progress?.Report(new UnlearningProgress(method, phase, step, steps, loss) { Images = images });

    private sealed class TrainingProgressAdapter(UnlearningContext context, string method) : IProgress<TrainingProgress>
    {
        // The trainer measures its own throughput and ETA (over the whole run, not the epoch): pass them on.
        public void Report(TrainingProgress value) =>
            context.Progress?.Report(new UnlearningProgress(method, $"epoch {value.Epoch + 1}/{value.Epochs}", value.Step, value.StepsPerEpoch, value.Loss) { ImagesPerSecond = value.ImagesPerSecond, Eta = value.Eta });
    }
}
