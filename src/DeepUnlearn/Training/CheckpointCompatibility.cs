using System;
using System.IO;
using System.Linq;
using DeepUnlearn.Data;
using DeepUnlearn.Models;

namespace DeepUnlearn.Training;

/// <summary>
/// The checks made wherever a model meets data or another model (<c>evaluate</c>, <c>unlearn</c>, <c>compare</c>,
/// <c>--retrained</c>, retrain oracles), from metadata alone so they run before any expensive work: a label means the
/// same class on both sides only when the class names agree name for name; the images must have the channels (and,
/// where the architecture fixes it, the size) the model was built for; a reference model must be the same
/// architecture over the same classes.
/// </summary>
public static class CheckpointCompatibility
{
    /// <summary>Checks that the checkpoint <paramref name="checkpointPath"/> can be run on <paramref name="data"/>.</summary>
    /// <exception cref="InvalidDataException">Class names, channels or image size disagree; the message names both sides.</exception>
    public static void EnsureFits(string checkpointPath, CheckpointMetadata metadata, VisionData data)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        ArgumentNullException.ThrowIfNull(data);
        string dataWhat = $"the dataset '{data.Specification}'";
        ClassNameCheck.EnsureSame($"the checkpoint '{checkpointPath}'", metadata.ClassNames, dataWhat, data.Train.ClassNames,
            $"use the dataset it was trained on ({metadata.Dataset})");
        ModelSpec spec = metadata.Model;
        if (spec.InChannels != data.Train.Channels)
        {
            throw new InvalidDataException(
                $"the checkpoint '{checkpointPath}' is a {spec.Name} for {spec.InChannels}-channel images but {dataWhat} has {data.Train.Channels}-channel images; use the dataset it was trained on ({metadata.Dataset})");
        }
        bool sizeFixed = ModelRegistry.DimensionsOf(spec).Any(d => d.Setting == "image_size");
        if (sizeFixed && spec.ImageSize != data.ImageSize)
        {
            throw new InvalidDataException(
                $"the checkpoint '{checkpointPath}' is a {spec.Name} for {spec.ImageSize}x{spec.ImageSize} images but {dataWhat} gives {data.ImageSize}x{data.ImageSize}; use the dataset it was trained on ({metadata.Dataset})");
        }
    }

    /// <summary>
    /// Checks that <paramref name="otherPath"/> (a retrained reference, an oracle) is the same architecture as
    /// <paramref name="original"/> over the same classes, so that comparing their outputs and weights means something.
    /// </summary>
    /// <exception cref="InvalidDataException">Architecture, settings or class names differ.</exception>
    public static void EnsureSameModel(string originalPath, CheckpointMetadata original, string otherWhat, string otherPath, CheckpointMetadata other)
    {
        ArgumentNullException.ThrowIfNull(original);
        ArgumentNullException.ThrowIfNull(other);
        ModelSpec a = original.Model;
        ModelSpec b = other.Model;
        if (a.Name != b.Name || a.NumClasses != b.NumClasses || a.InChannels != b.InChannels || a.ImageSize != b.ImageSize || a.Stem != b.Stem)
        {
            throw new InvalidDataException(
                $"{otherWhat} '{otherPath}' is a {Describe(b)}; the original '{originalPath}' is a {Describe(a)}; they must be the same architecture");
        }
        ClassNameCheck.EnsureSame($"the original '{originalPath}'", original.ClassNames, $"{otherWhat} '{otherPath}'", other.ClassNames);
    }

    private static string Describe(ModelSpec spec) =>
        $"{spec.Name} ({spec.NumClasses} classes, {spec.InChannels} channels, {spec.ImageSize} px{(spec.Stem is ModelStem stem ? $", {stem.ToString().ToLowerInvariant()} stem" : string.Empty)})";
}
