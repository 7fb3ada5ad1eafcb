using System;
using Microsoft.Extensions.Logging;

namespace DeepUnlearn.Data;

/// <summary>The data layer's log messages (source-generated).</summary>
internal static partial class DataLog
{
    [LoggerMessage(EventId = 1001, Level = LogLevel.Debug, Message = "{Format} {Split}: {Count} samples from {Location}")]
    public static partial void DatasetLoaded(ILogger logger, string format, DatasetSplit split, int count, string location);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Debug, Message = "Image folder {Root}: {Count} images in {Classes} classes")]
    public static partial void FolderScanned(ILogger logger, string root, int count, int classes);

    [LoggerMessage(EventId = 1006, Level = LogLevel.Warning, Message = "Image folder: skipped {Path}: {Reason}")]
    public static partial void LinkSkipped(ILogger logger, string path, string reason);

    [LoggerMessage(EventId = 1003, Level = LogLevel.Debug, Message = "Packed store {Path}: {Count} images in {Classes} classes, short side {ShortSide}")]
    public static partial void PackedOpened(ILogger logger, string path, int count, int classes, int shortSide);

    [LoggerMessage(EventId = 1004, Level = LogLevel.Information, Message = "Packed {Count} images of {Source} into {Path} ({Bytes} bytes of pixels) in {Elapsed}")]
    public static partial void Packed(ILogger logger, int count, string source, string path, long bytes, TimeSpan elapsed);

    [LoggerMessage(EventId = 1005, Level = LogLevel.Information, Message = "{Path} is already packed from {Source} at short side {ShortSide}: kept")]
    public static partial void AlreadyPacked(ILogger logger, string path, string source, int shortSide);

    [LoggerMessage(EventId = 1010, Level = LogLevel.Debug, Message = "Loader epoch {Epoch}: {Samples} samples in {Batches} batches, {Workers} workers, prefetch {Prefetch}")]
    public static partial void EpochStarted(ILogger logger, int epoch, int samples, int batches, int workers, int prefetch);

    [LoggerMessage(EventId = 1011, Level = LogLevel.Debug, Message = "Loader epoch {Epoch}: {Batches} batches delivered in {Elapsed}")]
    public static partial void EpochFinished(ILogger logger, int epoch, int batches, TimeSpan elapsed);

    [LoggerMessage(EventId = 1012, Level = LogLevel.Warning, Message = "Loader epoch {Epoch} stopped at batch {Batch}: {Reason}")]
    public static partial void EpochFailed(ILogger logger, int epoch, int batch, string reason);
}
