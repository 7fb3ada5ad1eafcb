using Microsoft.Extensions.Logging;

namespace DeepUnlearn.Data.ImageNet;

/// <summary>The ImageNet subset builder's log messages (source-generated).</summary>
internal static partial class ImageNetLog
{
    [LoggerMessage(EventId = 1101, Level = LogLevel.Warning, Message = "No wnid mapping (LOC_synset_mapping.txt or the devkit's meta.mat) under {Root}: classes are named by their wnids")]
    public static partial void NoNames(ILogger logger, string root);

    [LoggerMessage(EventId = 1102, Level = LogLevel.Information, Message = "Resuming the interrupted build in {Staging}")]
    public static partial void Resuming(ILogger logger, string staging);

    [LoggerMessage(EventId = 1103, Level = LogLevel.Warning, Message = "Hard links are not possible here ({Reason}): copying the images instead")]
    public static partial void CopyingInstead(ILogger logger, string reason);

    [LoggerMessage(EventId = 1104, Level = LogLevel.Information, Message = "Built {Output}: {Train} training and {Val} validation images ({Linked} linked, {Copied} copied, {Resumed} already in place)")]
    public static partial void Built(ILogger logger, string output, int train, int val, int linked, int copied, int resumed);
}
