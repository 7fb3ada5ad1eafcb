using System;
using System.Collections.Generic;
using System.CommandLine;
using System.Linq;
using System.Text.Json;
using DeepUnlearn.Configuration;
using DeepUnlearn.Data;
using DeepUnlearn.Engine;
using TorchSharp;

namespace DeepUnlearn.Cli;

/// <summary>Options shared by the commands, created fresh for each command (System.CommandLine needs one instance per command).</summary>
internal static class CommonOptions
{
    public static Option<string> Device() => new("--device")
    {
        Description = "cpu, cuda, cuda:N or auto (CUDA device 0 when libtorch sees a GPU, else the CPU).",
        DefaultValueFactory = _ => "auto",
    };

    public static Option<ulong> Seed() => new("--seed")
    {
        Description = "Seed of model initialisation, splits, shuffling, augmentation and methods.",
        DefaultValueFactory = _ => 0UL,
    };

    /// <summary>
    /// --overwrite: replace the run already in --out. Without it (and without --resume where a command has it) a
    /// non-empty --out is refused, so one run never silently replaces another (<see cref="Reporting.RunDirectory"/>).
    /// </summary>
    public static Option<bool> Overwrite() => new("--overwrite")
    {
        Description = "Replace the run already in OUT (without it, a non-empty OUT is refused, as it may hold another run).",
    };

    public static Option<string> Out(bool required = true) => new("--out")
    {
        Description = "Run directory (created if missing): checkpoints, run.json, metrics.json, reports.",
        Required = required,
    };

    public static Option<string> Data() => new("--data")
    {
        Description = "Dataset: fashion-mnist (built in, Debian package), cifar10:DIR, cifar100:DIR, idx:DIR, folder:DIR or packed:DIR.",
        DefaultValueFactory = _ => DefaultDataset,
    };

    public static Option<string?> Config() => new("--config")
    {
        Description = "A JSON file of settings by scope, e.g. {\"train\": {\"learning_rate\": 0.05}, \"famr\": {\"rho\": 0.5}}.",
    };

    public static Option<string[]> Set() => new("--set")
    {
        Description = "Override one setting: scope.key=value (repeatable), e.g. --set train.epochs=3 --set famr.rho=0.5.",
        AllowMultipleArgumentsPerToken = false,
        Arity = ArgumentArity.ZeroOrMore,
    };

    public static Option<int> Workers() => new("--workers")
    {
        Description = "Data-loader worker threads.",
        DefaultValueFactory = _ => 2,
    };

    public static Option<bool> Verbose() => new("--verbose", "-v")
    {
        Description = "Log each epoch and step of the work to standard error.",
    };

    private const string DefaultDataset = "fashion-mnist";

    /// <summary>The device named by --device, checked against what libtorch can use (an absent device is an error, never a fallback).</summary>
    /// <exception cref="ArgumentException">An unknown spelling, or a CUDA device this machine does not have; the message lists what is valid.</exception>
    public static torch.Device ResolveDevice(string text)
    {
        try
        {
            return DeviceResolver.Resolve(text);
        }
        catch (ArgumentException e) when (e.ParamName is not null)
        {
            // The resolver's message already names the device and the valid ones; drop .NET's "(Parameter 'spec')".
            string message = e.Message.Replace($" (Parameter '{e.ParamName}')", string.Empty, StringComparison.Ordinal);
            throw new ArgumentException($"--device: {message}", e);
        }
    }

    /// <summary>
    /// Applies the settings for <paramref name="scope"/> in precedence order: <paramref name="baseline"/>
    /// (defaults), the --config file's object for the scope, then the --set assignments of the scope.
    /// Flags are applied by the caller afterwards. Scopes in --config/--set that no command reads are errors.
    /// </summary>
    public static T Resolve<T>(T baseline, string scope, string? configPath, IReadOnlyList<string> assignments, IReadOnlyCollection<string> knownScopes)
        where T : class
    {
        T result = baseline;
        var byScope = SettingsBinder.ParseAssignments(assignments);
        foreach (string s in byScope.Keys.Where(s => !knownScopes.Contains(s)))
        {
            throw new ArgumentException($"--set {s}.*: unknown scope '{s}'; this command reads: {string.Join(", ", knownScopes)}");
        }
        if (configPath is not null)
        {
            using JsonDocument doc = ParseConfig(configPath);
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new ArgumentException($"--config '{configPath}' must hold a JSON object of scopes ({string.Join(", ", knownScopes)})");
            }
            if (IsProtocolRecipe(doc.RootElement))
            {
                // A protocol recipe (recipes/protocols/*.json) is also a training config: its training section is the
                // train scope, so one file holds a benchmark's training recipe. It is read strictly, as sweep reads it.
                Protocols.ProtocolRecipe recipe = Protocols.RecipeParser.Load(configPath);
                if (!knownScopes.Contains("train"))
                {
                    throw new ArgumentException($"--config '{configPath}' is a protocol recipe, which gives the train scope only; this command reads: {string.Join(", ", knownScopes)}");
                }
                if (scope == "train")
                {
                    result = SettingsBinder.Apply(result, recipe.Training, scope);
                }
                return byScope.TryGetValue(scope, out var overrides) ? SettingsBinder.Apply(result, overrides, scope) : result;
            }
            foreach (JsonProperty p in doc.RootElement.EnumerateObject())
            {
                if (!knownScopes.Contains(p.Name))
                {
                    throw new ArgumentException($"--config '{configPath}': unknown scope '{p.Name}'; this command reads: {string.Join(", ", knownScopes)}");
                }
            }
            if (doc.RootElement.TryGetProperty(scope, out JsonElement section))
            {
                result = SettingsBinder.ApplyJson(result, section, scope);
            }
        }
        if (byScope.TryGetValue(scope, out var pairs))
        {
            result = SettingsBinder.Apply(result, pairs, scope);
        }
        return result;
    }

    private static bool IsProtocolRecipe(JsonElement root) =>
        root.TryGetProperty("schema", out JsonElement schema) && schema.ValueKind == JsonValueKind.String && schema.GetString() == Protocols.ProtocolRecipe.SchemaId;

    /// <summary>
    /// The --config file as JSON: read with a size limit, a syntax error reported with the file and line, and a key that
    /// appears twice in one object refused (JSON parsers keep the last silently, so one of two settings would vanish).
    /// </summary>
    internal static JsonDocument ParseConfig(string configPath)
    {
        string text = InputFile.ReadAllText(configPath, "--config", 16L << 20);
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(text);
        }
        catch (JsonException e)
        {
            throw new ArgumentException($"--config '{configPath}' is not valid JSON at line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1}: {e.Message}", e);
        }
        try
        {
            RefuseDuplicateKeys(doc.RootElement, configPath, string.Empty);
        }
        catch
        {
            doc.Dispose();
            throw;
        }
        return doc;
    }

    private static void RefuseDuplicateKeys(JsonElement element, string configPath, string prefix)
    {
        if (element.ValueKind == JsonValueKind.Array)
        {
            int i = 0;
            foreach (JsonElement item in element.EnumerateArray())
            {
                RefuseDuplicateKeys(item, configPath, $"{prefix}[{i++}]");
            }
            return;
        }
        if (element.ValueKind != JsonValueKind.Object)
        {
            return;
        }
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (JsonProperty p in element.EnumerateObject())
        {
            string key = prefix.Length == 0 ? p.Name : prefix + "." + p.Name;
            if (!seen.Add(p.Name))
            {
                throw new ArgumentException($"--config '{configPath}': '{key}' is set twice; keep one");
            }
            RefuseDuplicateKeys(p.Value, configPath, key);
        }
    }
}
