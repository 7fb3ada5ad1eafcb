using System;
using System.Collections.Generic;
using System.Linq;
using DeepUnlearn.Configuration;
using DeepUnlearn.Data;
using DeepUnlearn.Data.Splits;
using DeepUnlearn.Models;
using DeepUnlearn.Training;
using DeepUnlearn.Unlearning;

namespace DeepUnlearn.Protocols;

/// <summary>
/// Checks a recipe's words against the toolkit's vocabularies before anything runs: dataset and model names,
/// the training settings (<see cref="TrainingConfig"/> keys, validated), every method label and each of its
/// settings and grid points (the method registry's options records, validated), and the forget requests.
/// This is the protocol layer's only coupling to the registries; it runs no tensor code.
/// </summary>
public static class RecipeVocabulary
{
    /// <summary>Training keys the protocol sets itself, with the reason.</summary>
    private static readonly Dictionary<string, string> s_reservedTraining = new(StringComparer.Ordinal)
    {
        ["seed"] = "the protocol sets it (original.seed for the original, the cell's seed for oracles)",
        ["workers"] = "it is a property of the machine (--workers)",
    };

    /// <summary>Throws <see cref="RecipeFormatException"/> naming <paramref name="source"/> at the first word the toolkit does not know.</summary>
    public static void Check(ProtocolRecipe recipe, string source)
    {
        ArgumentNullException.ThrowIfNull(recipe);
        Guard(source, "$.dataset.name", () =>
        {
            if (!DatasetCatalog.Names.Contains(recipe.Dataset.Name))
            {
                throw new ArgumentException($"unknown dataset '{recipe.Dataset.Name}'; valid: {string.Join(", ", DatasetCatalog.Names)}");
            }
        });
        Guard(source, "$.model", () =>
        {
            ModelRegistry.Resolve(recipe.Model.Name);
            if (recipe.Model.Stem is not null and not "cifar" and not "imagenet")
            {
                throw new ArgumentException($"stem '{recipe.Model.Stem}' is not a stem; valid: cifar, imagenet (or absent to pick by image size)");
            }
        });
        CheckTraining(recipe.Training, source, "$.training");
        foreach (var (name, scale) in recipe.Scales)
        {
            CheckTraining(recipe.Training.Concat(scale.Training).GroupBy(kv => kv.Key).ToDictionary(g => g.Key, g => g.Last().Value), source, $"$.scales.{name}.training");
        }
        foreach (RecipeMethod method in recipe.Methods)
        {
            string path = $"$.methods[{method.Label}]";
            Guard(source, path, () =>
            {
                var (entry, label) = MethodRegistry.FindLabel(method.Label);
                if (entry.Name == "retrain")
                {
                    throw new ArgumentException("retrain is always run as the reference (one retrained oracle per request and seed); remove it from methods");
                }
                if (label != method.Label)
                {
                    throw new ArgumentException($"write the label as '{label}'");
                }
                foreach (IReadOnlyDictionary<string, string> point in method.GridPoints())
                {
                    MethodOptions(method.Label, method.SettingsWith(point));
                    foreach (var (name, scale) in recipe.Scales.Where(s => s.Value.MethodSettings.ContainsKey(method.Label)))
                    {
                        MethodOptions(method.Label, method.SettingsWith(scale.MethodSettings[method.Label]).Concat(point).GroupBy(kv => kv.Key).ToDictionary(g => g.Key, g => g.Last().Value));
                    }
                }
            });
        }
        foreach (RecipeRequest request in recipe.Requests)
        {
            Guard(source, $"$.requests[{request.Id}].forget", () => ForgetRequest.Parse(request.Forget));
        }
    }

    /// <summary>The method <paramref name="label"/>'s options with <paramref name="settings"/> over its defaults, validated.</summary>
    /// <exception cref="ArgumentException">Unknown method or setting, or an invalid value (the message lists what is valid).</exception>
    public static IMethodOptions MethodOptions(string label, IReadOnlyDictionary<string, string> settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var (entry, _) = MethodRegistry.FindLabel(label);
        IMethodOptions options = SettingsBinder.Apply(entry.Defaults(), settings, label);
        options.Validate();
        return options;
    }

    /// <summary>The training settings bound onto <see cref="TrainingConfig"/> and validated.</summary>
    public static TrainingConfig TrainingConfig(IReadOnlyDictionary<string, string> training)
    {
        ArgumentNullException.ThrowIfNull(training);
        foreach (string key in training.Keys)
        {
            if (s_reservedTraining.TryGetValue(key, out string? why))
            {
                throw new ArgumentException($"training.{key} cannot be set in a recipe: {why}");
            }
        }
        return SettingsBinder.Apply(new TrainingConfig(), training, "training").Validate();
    }

    private static void CheckTraining(IReadOnlyDictionary<string, string> training, string source, string path) =>
        Guard(source, path, () => TrainingConfig(training));

    private static void Guard(string source, string path, Action check)
    {
        try
        {
            check();
        }
        catch (Exception e) when (e is ArgumentException or FormatException and not RecipeFormatException)
        {
            throw new RecipeFormatException($"{source}: {path}: {e.Message}", e);
        }
    }
}
