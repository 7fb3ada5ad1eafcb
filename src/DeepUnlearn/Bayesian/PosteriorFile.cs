using System;
using System.Collections.Generic;
using System.Linq;
using DeepUnlearn.Engine;
using TorchSharp;
using static TorchSharp.torch;

namespace DeepUnlearn.Bayesian;

/// <summary>
/// Saves and loads a Bayesian classifier with its Gaussian posterior as one safetensors file. Tensors:
/// <c>posterior.mean</c> and <c>posterior.log_std</c> (diagonal) or <c>posterior.log_diagonal</c> and
/// <c>posterior.lower</c> (full; L = tril(lower, −1) + diag(exp(log_diagonal))), and <c>model.*</c> for the
/// model's fixed tensors (<c>model.inducing_points</c>). Metadata: <c>format</c>, <c>model</c>,
/// <c>posterior</c> (<c>diag</c>/<c>full</c>), <c>model.*</c> settings, plus the caller's entries.
/// </summary>
public static class PosteriorFile
{
    /// <summary>The value of the <c>format</c> metadata entry.</summary>
    public const string Format = "deepunlearn.vbu.posterior/1";

    /// <summary>Writes <paramref name="model"/> and <paramref name="posterior"/> to <paramref name="path"/> (atomically).</summary>
    /// <param name="path">The file to write; its directory must exist.</param>
    /// <param name="model">The model.</param>
    /// <param name="posterior">Its posterior.</param>
    /// <param name="metadata">Extra string entries (keys must not be <c>format</c>, <c>model</c>, <c>posterior</c> or start with <c>model.</c>).</param>
    public static void Save(string path, IBayesianClassifier model, Gaussian posterior, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(posterior);
        if (posterior.Dimension != model.ParameterCount)
        {
            throw new ArgumentException($"the posterior has dimension {posterior.Dimension}; the {model.Name} model has {model.ParameterCount} parameters", nameof(posterior));
        }
        var entries = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["format"] = Format,
            ["model"] = model.Name,
            ["posterior"] = Gaussian.KindName(posterior.Kind),
        };
        foreach (var (key, value) in model.Configuration)
        {
            entries["model." + key] = value;
        }
        if (metadata is not null)
        {
            foreach (var (key, value) in metadata)
            {
                if (IsReserved(key))
                {
                    throw new ArgumentException($"metadata key '{key}' is reserved (format, model, posterior, model.*)", nameof(metadata));
                }
                entries[key] = value;
            }
        }
        var tensors = new List<KeyValuePair<string, Tensor>>();
        foreach (var (name, tensor) in posterior.NamedTensors)
        {
            tensors.Add(new("posterior." + name, tensor));
        }
        foreach (var (name, tensor) in model.Tensors)
        {
            tensors.Add(new("model." + name, tensor));
        }
        SafeTensors.Save(path, tensors, entries);
    }

    /// <summary>Reads a file written by <see cref="Save"/>; tensors become float64 on <paramref name="device"/>.</summary>
    /// <exception cref="System.IO.FileNotFoundException">No file at <paramref name="path"/>.</exception>
    /// <exception cref="System.IO.InvalidDataException">The file is not a DeepUnlearn posterior file or lacks an entry.</exception>
    public static LoadedPosterior Load(string path, Device? device = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        Device d = device ?? torch.CPU;
        using SafeTensorsFile file = SafeTensors.Load(path);
        IReadOnlyDictionary<string, string> meta = file.Metadata;
        if (!meta.TryGetValue("format", out string? format) || format != Format)
        {
            throw new System.IO.InvalidDataException($"'{path}' is not a DeepUnlearn posterior file (metadata format = '{format ?? "missing"}', expected '{Format}')");
        }
        string modelName = Required(meta, "model", path);
        PosteriorKind kind;
        try
        {
            kind = Gaussian.ParseKind(Required(meta, "posterior", path));
        }
        catch (ArgumentException e)
        {
            throw new System.IO.InvalidDataException($"'{path}': {e.Message}", e);
        }
        var configuration = meta.Where(p => p.Key.StartsWith("model.", StringComparison.Ordinal))
            .ToDictionary(p => p.Key["model.".Length..], p => p.Value, StringComparer.Ordinal);
        var modelTensors = file.Tensors.Where(p => p.Key.StartsWith("model.", StringComparison.Ordinal))
            .ToDictionary(p => p.Key["model.".Length..], p => p.Value, StringComparer.Ordinal);
        var posteriorTensors = file.Tensors.Where(p => p.Key.StartsWith("posterior.", StringComparison.Ordinal))
            .ToDictionary(p => p.Key["posterior.".Length..], p => p.Value, StringComparer.Ordinal);
        IBayesianClassifier? model = null;
        try
        {
            model = BayesianClassifiers.Create(modelName, configuration, modelTensors, ScalarType.Float64, d);
            Gaussian posterior = Gaussian.FromNamedTensors(kind, posteriorTensors, ScalarType.Float64, d);
            if (posterior.Dimension != model.ParameterCount)
            {
                posterior.Dispose();
                throw new System.IO.InvalidDataException($"'{path}': the posterior has dimension {posterior.Dimension} but the {modelName} model has {model.ParameterCount} parameters");
            }
            var extra = meta.Where(p => !IsReserved(p.Key)).ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
            return new LoadedPosterior(model, posterior, extra);
        }
        catch (ArgumentException e)
        {
            model?.Dispose();
            throw new System.IO.InvalidDataException($"'{path}': {e.Message}", e);
        }
        catch
        {
            model?.Dispose();
            throw;
        }
    }

    private static bool IsReserved(string key) =>
        key is "format" or "model" or "posterior" || key.StartsWith("model.", StringComparison.Ordinal);

    private static string Required(IReadOnlyDictionary<string, string> meta, string key, string path) =>
        meta.TryGetValue(key, out string? value) ? value : throw new System.IO.InvalidDataException($"'{path}' lacks the metadata entry '{key}'");
}
