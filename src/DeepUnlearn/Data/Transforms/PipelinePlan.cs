using System;
using System.Collections.Generic;
using System.Linq;

namespace DeepUnlearn.Data.Transforms;

/// <summary>
/// How the batch loader can run a per-sample pipeline faster than transform by transform, found by looking at its steps
/// once: a trailing <see cref="Normalize"/> and, before it, a trailing <see cref="RandomHorizontalFlip"/> can be
/// applied while a row is stored (or later, on the batch, on the model's device); what comes before them is the
/// <see cref="Prefix"/>. When the prefix is a single <see cref="RandomResizedCrop"/> (the ImageNet training recipe),
/// <see cref="Crop"/> names it: the crop is then resampled straight from the uint8 pixels into the batch.
/// Every path draws the same random numbers in the same order as the pipeline itself.
/// </summary>
internal sealed class PipelinePlan
{
    private PipelinePlan(IImageTransform[] prefix, RandomHorizontalFlip? flip, Normalize? normalize)
    {
        Prefix = prefix;
        Flip = flip;
        Normalize = normalize;
        Crop = prefix.Length == 1 ? prefix[0] as RandomResizedCrop : null;
    }

    /// <summary>The steps before the trailing flip and normalisation, in order.</summary>
    public IReadOnlyList<IImageTransform> Prefix { get; }

    /// <summary>The trailing flip (before the normalisation), or null.</summary>
    public RandomHorizontalFlip? Flip { get; }

    /// <summary>The trailing normalisation, or null.</summary>
    public Normalize? Normalize { get; }

    /// <summary>The prefix's only step when it is a RandomResizedCrop, or null.</summary>
    public RandomResizedCrop? Crop { get; }

    /// <summary>
    /// Whether the prefix leaves pixel values in [0, 1] (it holds no normalisation), so that its result can travel as
    /// uint8 and the flip and normalisation run on the model's device.
    /// </summary>
    public bool CanFinishOnDevice => !Prefix.Any(t => t is Transforms.Normalize or Compose);

    /// <summary>The plan of <paramref name="transform"/> (a <see cref="Compose"/> or a single step; null: no steps).</summary>
    public static PipelinePlan Of(IImageTransform? transform)
    {
        IImageTransform[] steps = transform switch
        {
            null => [],
            Compose compose => [.. compose.Transforms],
            _ => [transform],
        };
        int end = steps.Length;
        Normalize? normalize = end > 0 ? steps[end - 1] as Normalize : null;
        if (normalize is not null)
        {
            end--;
        }
        RandomHorizontalFlip? flip = end > 0 ? steps[end - 1] as RandomHorizontalFlip : null;
        if (flip is not null)
        {
            end--;
        }
        return new PipelinePlan(steps[..end], flip, normalize);
    }

    /// <summary>Runs the prefix on the sample in <paramref name="context"/>.</summary>
    public void ApplyPrefix(TransformContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        foreach (IImageTransform step in Prefix)
        {
            step.Apply(context);
        }
    }

    /// <summary>Checks that the normalisation has statistics for <paramref name="channels"/> channels (the message of <see cref="Transforms.Normalize.Apply(TransformContext)"/>).</summary>
    public void CheckChannels(int channels, int sampleId)
    {
        if (Normalize is not null && Normalize.Means.Length != channels)
        {
            throw new InvalidOperationException(
                $"Normalize has statistics for {Normalize.Means.Length} channel(s), but sample {sampleId} has {channels}");
        }
    }
}
