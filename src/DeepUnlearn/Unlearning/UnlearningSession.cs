using System;
using DeepUnlearn.Data;
using DeepUnlearn.Data.Splits;
using DeepUnlearn.Engine;
using DeepUnlearn.Models;
using static TorchSharp.torch;
using DeepUnlearn.Training;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace DeepUnlearn.Unlearning;

/// <summary>
/// A trained checkpoint, its dataset and a resolved deletion request, ready for methods: what
/// <c>deepunlearn unlearn</c>, <c>compare</c> and <c>demo</c> share. The validation split is redrawn with
/// the seed and fraction the checkpoint was trained with, so forget/retain ids refer to the same samples.
/// </summary>
public sealed class UnlearningSession : IDisposable
{
    private UnlearningSession(string checkpointPath, ClassifierModel original, CheckpointMetadata metadata, VisionData data, ForgetSets sets, Device device, int workers, ILoggerFactory loggerFactory, PrecisionPolicy precision)
    {
        Precision = precision;
        CheckpointPath = checkpointPath;
        Original = original;
        Metadata = metadata;
        Data = data;
        Sets = sets;
        Device = device;
        Workers = workers;
        LoggerFactory = loggerFactory;
    }

    /// <summary>The checkpoint file.</summary>
    public string CheckpointPath { get; }

    /// <summary>The original model (owned by the session).</summary>
    public ClassifierModel Original { get; }

    /// <summary>The checkpoint's metadata.</summary>
    public CheckpointMetadata Metadata { get; }

    /// <summary>The dataset.</summary>
    public VisionData Data { get; }

    /// <summary>The resolved request.</summary>
    public ForgetSets Sets { get; }

    /// <summary>The compute device.</summary>
    public Device Device { get; }

    /// <summary>Loader workers.</summary>
    public int Workers { get; }

    /// <summary>Logging.</summary>
    public ILoggerFactory LoggerFactory { get; }

    /// <summary>The precision and layout every method of this session runs with.</summary>
    public PrecisionPolicy Precision { get; }

    /// <summary>The recipe the original was trained with (defaults when the checkpoint does not say).</summary>
    public TrainingConfig Recipe => Metadata.Config ?? new TrainingConfig();

    /// <summary>
    /// Loads <paramref name="checkpointPath"/>, opens its dataset (or <paramref name="dataSpec"/>), checks they
    /// agree, and resolves <paramref name="request"/> over the training split (or over <paramref name="trainIds"/>, the
    /// ids a protocol trained its original on when that is a subset of the split, as a sweep's <c>--scale small</c> does).
    /// <paramref name="precision"/> is resolved for the checkpoint's model on <paramref name="device"/> (float32 when null).
    /// </summary>
    public static UnlearningSession Open(string checkpointPath, string? dataSpec, ForgetRequest request, Device device, int workers = 2, ILoggerFactory? loggerFactory = null, int[]? trainIds = null, PrecisionOptions? precision = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        loggerFactory ??= NullLoggerFactory.Instance;
        var (model, metadata) = Checkpoint.Load(checkpointPath, device);
        try
        {
            TrainingConfig recipe = metadata.Config ?? new TrainingConfig();
            string spec = dataSpec ?? metadata.Dataset;
            VisionData data = VisionData.Open(spec, recipe.ValidationFraction, recipe.Seed, loggerFactory: loggerFactory);
            CheckpointCompatibility.EnsureFits(checkpointPath, metadata, data);
            ForgetSets sets = trainIds is null ? request.Resolve(data.Train, data.Split) : request.Resolve(data.Train, trainIds);
            PrecisionPolicy policy = precision?.Resolve(device, model) ?? PrecisionPolicy.Off;
            return new UnlearningSession(checkpointPath, model, metadata, data, sets, device, workers, loggerFactory, policy);
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    /// <summary>A context for one method run with <paramref name="seed"/>.</summary>
    public UnlearningContext Context(ulong seed, IProgress<UnlearningProgress>? progress = null) =>
        new(Original, Data, Sets.Forget, Sets.Retain, Data.Split.Validation, Sets.ForgottenClasses, Recipe, Device, seed)
        {
            CheckpointPath = CheckpointPath,
            Workers = Workers,
            LoggerFactory = LoggerFactory,
            Progress = progress,
            Precision = Precision,
        };

    /// <summary>Checkpoint metadata for a model this session produced with <paramref name="method"/>.</summary>
    public CheckpointMetadata MetadataFor(string method, ClassifierModel model) => Metadata with
    {
        Model = model.Spec ?? Metadata.Model,
        Producer = $"unlearn:{method}",
        ForgottenIds = Sets.Forget,
        ValidationAccuracy = null,
        CreatedUtc = DateTimeOffset.UtcNow,
        DeepUnlearnVersion = ToolkitInfo.Version,
    };

    /// <summary>Releases the original model.</summary>
    public void Dispose() => Original.Dispose();
}
