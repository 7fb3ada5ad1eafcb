using System;
using System.Collections.Generic;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace DeepUnlearn.Models;

/// <summary>
/// Everything needed to rebuild a model's architecture: the registry name and the resolved options. It is
/// small and JSON-serialisable, so checkpoints carry it in their metadata and
/// <see cref="ModelRegistry.Create(ModelSpec)"/> rebuilds the same model before loading the weights.
/// </summary>
/// <param name="Name">Registry name.</param>
/// <param name="NumClasses">Number of classes.</param>
/// <param name="InChannels">Input channels.</param>
/// <param name="ImageSize">Input height and width.</param>
/// <param name="Stem">The resolved stem; null for models without stems.</param>
/// <param name="Seed">The initialisation seed, when one was given.</param>
public sealed record ModelSpec(string Name, int NumClasses, int InChannels, int ImageSize, ModelStem? Stem, ulong? Seed = null)
{
    /// <summary>The key under which <see cref="ToMetadata"/> stores the spec.</summary>
    public const string MetadataKey = "deepunlearn.model";

    private static readonly JsonSerializerOptions s_json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>Options that rebuild this spec (without a generator).</summary>
    public ModelOptions ToOptions() => new()
    {
        NumClasses = NumClasses,
        InChannels = InChannels,
        ImageSize = ImageSize,
        Stem = Stem,
        Seed = Seed,
    };

    /// <summary>The spec as compact JSON (snake_case keys, e.g. <c>{"name":"resnet18","num_classes":10,...}</c>).</summary>
    public string ToJson() => JsonSerializer.Serialize(this, s_json);

    /// <summary>Parses <see cref="ToJson"/>'s output.</summary>
    /// <exception cref="ArgumentException">The text is not a model spec.</exception>
    public static ModelSpec FromJson(string json)
    {
        ArgumentException.ThrowIfNullOrEmpty(json);
        ModelSpec? spec;
        try
        {
            spec = JsonSerializer.Deserialize<ModelSpec>(json, s_json);
        }
        catch (JsonException e)
        {
            throw new ArgumentException($"not a model spec: {e.Message}", nameof(json), e);
        }
        if (spec is null || string.IsNullOrEmpty(spec.Name))
        {
            throw new ArgumentException($"not a model spec (no name): {json}", nameof(json));
        }
        return spec;
    }

    /// <summary>A one-entry string map for checkpoint metadata (safetensors <c>__metadata__</c>).</summary>
    public IReadOnlyDictionary<string, string> ToMetadata() => new Dictionary<string, string> { [MetadataKey] = ToJson() };

    /// <summary>Reads the spec written by <see cref="ToMetadata"/> from checkpoint metadata.</summary>
    /// <exception cref="ArgumentException">The metadata has no model spec.</exception>
    public static ModelSpec FromMetadata(IReadOnlyDictionary<string, string> metadata)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        if (!metadata.TryGetValue(MetadataKey, out string? json))
        {
            throw new ArgumentException($"the metadata has no '{MetadataKey}' entry; keys: {string.Join(", ", metadata.Keys)}", nameof(metadata));
        }
        return FromJson(json);
    }
}
