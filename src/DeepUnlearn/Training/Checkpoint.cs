using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.Json;
using DeepUnlearn.Engine;
using DeepUnlearn.Models;
using DeepUnlearn.Reporting;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace DeepUnlearn.Training;

/// <summary>
/// Checkpoints as safetensors. The weights file holds exactly the model's state dict under torchvision's
/// names (it loads into PyTorch with <c>model.load_state_dict(safetensors.torch.load_file(path))</c>) and
/// a <see cref="CheckpointMetadata"/>; the optional training-state file beside it (<c>*.state.safetensors</c>)
/// holds the optimizer state and the RNG state needed to resume exactly. Writes are atomic.
/// </summary>
public static class Checkpoint
{
    private const string EpochKey = "deepunlearn.epoch";
    private const string ScalarsKey = "deepunlearn.optimizer_scalars";
    private const string RngTensor = "rng.cpu";
    private const string OptimizerPrefix = "optimizer.";

    /// <summary>The training-state file that belongs to the weights file <paramref name="weightsPath"/>.</summary>
    public static string StatePathFor(string weightsPath) =>
        Path.Combine(Path.GetDirectoryName(weightsPath) ?? ".", Path.GetFileNameWithoutExtension(weightsPath) + ".state.safetensors");

    /// <summary>Writes the model's weights and <paramref name="metadata"/> to <paramref name="path"/> atomically.</summary>
    public static void Save(string path, ClassifierModel model, CheckpointMetadata metadata)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(metadata);
        var meta = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [CheckpointMetadata.MetadataKey] = JsonSerializer.Serialize(metadata, JsonFile.Options),
            [ModelSpec.MetadataKey] = metadata.Model.ToJson(),
        };
        SafeTensors.Save(path, model.state_dict(), meta);
    }

    /// <summary>Writes the optimizer state and the default CPU generator's state after <paramref name="epoch"/> epochs.</summary>
    public static void SaveTrainingState(string path, OptimizerHelper optimizer, int epoch)
    {
        ArgumentNullException.ThrowIfNull(optimizer);
        var (state, scalars) = OptimizerStateIO.Capture(optimizer);
        try
        {
            using Tensor rng = torch.get_rng_state().DetachFromDisposeScope();
            var tensors = state.Select(kv => new KeyValuePair<string, Tensor>(OptimizerPrefix + kv.Key, kv.Value)).Append(new(RngTensor, rng));
            var meta = new Dictionary<string, string>(StringComparer.Ordinal)
            {
                [EpochKey] = epoch.ToString(CultureInfo.InvariantCulture),
                [ScalarsKey] = JsonSerializer.Serialize(scalars),
            };
            SafeTensors.Save(path, tensors, meta);
        }
        finally
        {
            foreach (Tensor t in state.Values)
            {
                t.Dispose();
            }
        }
    }

    /// <summary>
    /// Restores the optimizer and the default CPU generator from a training-state file and returns the
    /// number of completed epochs it records.
    /// </summary>
    public static int LoadTrainingState(string path, OptimizerHelper optimizer)
    {
        ArgumentNullException.ThrowIfNull(optimizer);
        using SafeTensorsFile file = SafeTensors.Load(path);
        if (!file.Metadata.TryGetValue(EpochKey, out string? epochText) || !file.Metadata.TryGetValue(ScalarsKey, out string? scalarsJson))
        {
            throw new InvalidDataException($"'{path}' is not a DeepUnlearn training-state file (no {EpochKey} / {ScalarsKey} metadata)");
        }
        var scalars = JsonSerializer.Deserialize<Dictionary<string, double>>(scalarsJson)
            ?? throw new InvalidDataException($"'{path}': optimizer scalars are null");
        var tensors = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (var (name, tensor) in file.Tensors)
        {
            if (name.StartsWith(OptimizerPrefix, StringComparison.Ordinal))
            {
                tensors[name[OptimizerPrefix.Length..]] = tensor;
            }
        }
        OptimizerStateIO.Restore(optimizer, tensors, scalars, path);
        if (file.Tensors.TryGetValue(RngTensor, out Tensor? rng))
        {
            // Guarded: a state of the wrong size (another libtorch) would abort the process in set_state.
            using torch.Generator generator = torch.Generator.Default;
            NativeGuards.SetRngState(generator, rng);
        }
        return int.Parse(epochText, NumberStyles.Integer, CultureInfo.InvariantCulture);
    }

    /// <summary>The number of completed epochs a training-state file records (reads only its header).</summary>
    public static int ReadTrainingStateEpoch(string path)
    {
        SafeTensorsHeader header = SafeTensors.ReadHeader(path);
        if (!header.Metadata.TryGetValue(EpochKey, out string? epochText) || !int.TryParse(epochText, NumberStyles.Integer, CultureInfo.InvariantCulture, out int epoch))
        {
            throw new InvalidDataException($"'{path}' is not a DeepUnlearn training-state file (no integer {EpochKey} metadata)");
        }
        return epoch;
    }

    /// <summary>Reads only the metadata of a checkpoint (no weights).</summary>
    public static CheckpointMetadata ReadMetadata(string path)
    {
        SafeTensorsHeader header = SafeTensors.ReadHeader(path);
        return ParseMetadata(path, header.Metadata);
    }

    /// <summary>
    /// Rebuilds the checkpoint's model from its recorded architecture, loads the weights and moves it to
    /// <paramref name="device"/>. The caller owns the model.
    /// </summary>
    public static (ClassifierModel Model, CheckpointMetadata Metadata) Load(string path, Device device)
    {
        using SafeTensorsFile file = SafeTensors.Load(path);
        CheckpointMetadata metadata = ParseMetadata(path, file.Metadata);
        CheckSpecAgainstWeights(path, metadata.Model, file.Header);
        ClassifierModel model = ModelRegistry.Create(metadata.Model);
        try
        {
            StrictStateLoader.Load(model, file.Tensors);
            model.to(device);
            return (model, metadata);
        }
        catch (StateDictMismatchException e)
        {
            model.Dispose();
            throw new InvalidDataException($"'{path}' does not hold the weights of the {metadata.Model.Name} it declares: {e.Message}", e);
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    /// <summary>Loads a checkpoint's weights into an existing model of the same architecture.</summary>
    public static CheckpointMetadata LoadInto(string path, ClassifierModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        using SafeTensorsFile file = SafeTensors.Load(path);
        CheckpointMetadata metadata = ParseMetadata(path, file.Metadata);
        if (model.Spec is { } spec && (spec.Name != metadata.Model.Name || spec.NumClasses != metadata.Model.NumClasses))
        {
            throw new InvalidDataException(
                $"'{path}' is a {metadata.Model.Name} checkpoint with {metadata.Model.NumClasses} classes; the model is a {spec.Name} with {spec.NumClasses} classes");
        }
        StrictStateLoader.Load(model, file.Tensors);
        return metadata;
    }

    /// <summary>
    /// The metadata's architecture against the weights' shapes, before the model is built: the spec decides the
    /// allocation, so a num_classes or in_channels the weights do not have fails here, in milliseconds.
    /// </summary>
    private static void CheckSpecAgainstWeights(string path, ModelSpec spec, SafeTensorsHeader header)
    {
        IReadOnlyList<string> problems;
        try
        {
            problems = ModelRegistry.CheckAgainstWeights(spec, name => header.TryGetTensor(name, out SafeTensorInfo? info) ? info.Shape : null);
        }
        catch (ArgumentException e)
        {
            throw new InvalidDataException($"'{path}': its metadata describes no model this toolkit can build ({spec.ToJson()}): {e.Message}", e);
        }
        if (problems.Count > 0)
        {
            throw new InvalidDataException(
                $"'{path}': its metadata ({spec.ToJson()}) does not match its weights: {string.Join("; ", problems)}; the file is corrupt or its metadata was edited");
        }
    }

    private static CheckpointMetadata ParseMetadata(string path, IReadOnlyDictionary<string, string> metadata)
    {
        CheckpointMetadata parsed = DeserializeMetadata(path, metadata);
        // System.Text.Json fills a required member given as JSON null with null; everything downstream assumes them.
        string? missing = parsed.Model is null ? "model" : parsed.Dataset is null ? "dataset" : parsed.ClassNames is null ? "class_names"
            : parsed.NormalizationMean is null ? "normalization_mean" : parsed.NormalizationStd is null ? "normalization_std" : null;
        if (missing is not null)
        {
            throw new InvalidDataException($"'{path}': checkpoint metadata '{CheckpointMetadata.MetadataKey}' has no {missing} (null); the file is corrupt or was not written by DeepUnlearn");
        }
        if (parsed.ClassNames!.Count != parsed.Model!.NumClasses)
        {
            throw new InvalidDataException(
                $"'{path}': checkpoint metadata names {parsed.ClassNames.Count} classes but its model has num_classes {parsed.Model.NumClasses}; the file is corrupt or its metadata was edited");
        }
        return parsed;
    }

    private static CheckpointMetadata DeserializeMetadata(string path, IReadOnlyDictionary<string, string> metadata)
    {
        if (!metadata.TryGetValue(CheckpointMetadata.MetadataKey, out string? json))
        {
            throw new InvalidDataException(
                $"'{path}' is a safetensors file without DeepUnlearn checkpoint metadata ('{CheckpointMetadata.MetadataKey}'); checkpoints come from 'deepunlearn train' or 'deepunlearn unlearn'");
        }
        try
        {
            return JsonSerializer.Deserialize<CheckpointMetadata>(json, JsonFile.Options)
                ?? throw new InvalidDataException($"'{path}': checkpoint metadata is null");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"'{path}': checkpoint metadata is not valid JSON: {e.Message}", e);
        }
    }
}
