using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Text.RegularExpressions;
using DeepUnlearn.Data;

namespace DeepUnlearn.Protocols;

/// <summary>
/// Reads protocol recipes strictly: unknown keys are errors that list the valid keys at that place, every value
/// is type-checked, cross-references (validation requests, published rows, scale overrides) must resolve, and
/// the training settings, methods, models and requests are checked against the toolkit's vocabularies
/// (<see cref="RecipeVocabulary"/>) before anything runs.
/// </summary>
public static partial class RecipeParser
{
    private static readonly string[] s_topKeys =
    [
        "schema", "name", "title", "notes", "dataset", "model", "training", "training_source", "training_verified", "train_samples", "original", "requests",
        "methods", "seeds", "validation_seeds", "metrics", "published", "scales", "scale",
    ];

    private static readonly string[] s_datasetKeys = ["name", "spec", "num_classes", "description"];
    private static readonly string[] s_modelKeys = ["name", "stem"];
    private static readonly string[] s_originalKeys = ["seed", "expected_test_accuracy", "expected_source", "expected_verified"];
    private static readonly string[] s_requestKeys = ["id", "forget", "role", "validation", "description"];
    private static readonly string[] s_methodKeys = ["label", "settings", "grid", "source", "verified"];
    private static readonly string[] s_publishedKeys = ["source", "url", "tables"];
    private static readonly string[] s_tableKeys = ["request", "table", "statistic", "verified", "verified_by", "rows", "note"];
    private static readonly string[] s_scaleKeys = ["description", "training", "train_samples", "seeds", "validation_seeds", "method_settings", "expected_test_accuracy", "expected_source", "expected_verified"];
    private static readonly string[] s_appliedScaleKeys = ["name", "description"];

    /// <summary>The metric keys a recipe's <c>metrics</c> list may name.</summary>
    public static IReadOnlyList<string> MetricKeys { get; } = ["ua", "ra", "ta", "ta_forgotten", "mia", "loss_mia", "gap", "seconds", "speed_up", "time_ratio", "js_forget"];

    /// <summary>Reads and checks the recipe file <paramref name="path"/>.</summary>
    /// <exception cref="FileNotFoundException">No such file.</exception>
    /// <exception cref="RecipeFormatException">The file breaks the schema; the message says where and what is valid.</exception>
    public static ProtocolRecipe Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"recipe '{path}' does not exist", path);
        }
        return Parse(InputFile.ReadAllText(path, "recipe", 16L << 20), path) with { SourcePath = Path.GetFullPath(path) };
    }

    /// <summary>Parses and checks recipe text; <paramref name="source"/> names it in errors.</summary>
    public static ProtocolRecipe Parse(string json, string source = "recipe")
    {
        ArgumentNullException.ThrowIfNull(json);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = false });
        }
        catch (JsonException e)
        {
            throw new RecipeFormatException($"{source}: not valid JSON: {e.Message}", e);
        }
        using (document)
        {
            ProtocolRecipe recipe = Read(new StrictJsonObject(document.RootElement, source, "$", s_topKeys));
            RecipeVocabulary.Check(recipe, source);
            return recipe;
        }
    }

    private static ProtocolRecipe Read(StrictJsonObject root)
    {
        string schema = root.RequiredString("schema");
        if (schema != ProtocolRecipe.SchemaId)
        {
            throw root.Error("schema", $"is '{schema}'; this version reads '{ProtocolRecipe.SchemaId}'");
        }
        string name = root.RequiredString("name");
        if (!NamePattern().IsMatch(name))
        {
            throw root.Error("name", $"'{name}' must be lower-case letters, digits, '.', '-' or '_' (it names directories and content keys)");
        }

        StrictJsonObject dataset = root.Object("dataset", s_datasetKeys);
        int numClasses = dataset.OptionalInt("num_classes") ?? throw dataset.Error("the key 'num_classes' is required");
        if (numClasses < 2)
        {
            throw dataset.Error("num_classes", $"must be at least 2, not {numClasses}");
        }
        StrictJsonObject model = root.Object("model", s_modelKeys);
        StrictJsonObject original = root.Object("original", s_originalKeys);

        int? trainSamples = root.OptionalInt("train_samples");
        if (trainSamples is < 1)
        {
            throw root.Error("train_samples", $"must be positive (or absent for the whole training split), not {trainSamples}");
        }

        IReadOnlyList<RecipeRequest> requests = ReadRequests(root);
        IReadOnlyList<RecipeMethod> methods = ReadMethods(root);
        IReadOnlyList<ulong> seeds = root.OptionalSeeds("seeds") ?? throw root.Error("the key 'seeds' is required (e.g. \"seeds\": [1, 2, 3])");
        IReadOnlyList<ulong> validationSeeds = root.OptionalSeeds("validation_seeds") ?? seeds;

        IReadOnlyList<string> metrics = root.Has("metrics") ? root.OptionalStrings("metrics") : ProtocolRecipe.DefaultMetrics;
        foreach (string metric in metrics)
        {
            if (!MetricKeys.Contains(metric))
            {
                throw root.Error("metrics", $"unknown metric '{metric}'; valid: {string.Join(", ", MetricKeys)}");
            }
        }

        var recipe = new ProtocolRecipe
        {
            Name = name,
            Title = root.RequiredString("title"),
            Notes = root.OptionalStrings("notes"),
            Dataset = new RecipeDataset(dataset.RequiredString("name"), dataset.OptionalString("spec"), numClasses, dataset.OptionalString("description")),
            Model = new RecipeModel(model.RequiredString("name"), model.OptionalString("stem")),
            Training = root.Settings("training"),
            TrainingSource = root.OptionalString("training_source"),
            TrainingVerified = OptionalBool(root, "training_verified"),
            TrainSamples = trainSamples,
            Original = new RecipeOriginal(original.RequiredUInt64("seed"), Percent(original, "expected_test_accuracy"), original.OptionalString("expected_source"))
            {
                ExpectedVerified = OptionalBool(original, "expected_verified"),
            },
            Requests = requests,
            Methods = methods,
            Seeds = seeds,
            ValidationSeeds = validationSeeds,
            Metrics = metrics,
        };
        recipe = recipe with
        {
            Published = root.OptionalObject("published", s_publishedKeys) is StrictJsonObject published ? ReadPublished(published, recipe) : null,
            Scales = ReadScales(root, recipe),
        };
        if (root.OptionalObject("scale", s_appliedScaleKeys) is StrictJsonObject applied)
        {
            recipe = recipe with { Scale = applied.RequiredString("name"), ScaleDescription = applied.RequiredString("description") };
        }
        CheckSearchProtocol(root, recipe);
        return recipe;
    }

    private static List<RecipeRequest> ReadRequests(StrictJsonObject root)
    {
        var requests = new List<RecipeRequest>();
        IReadOnlyList<JsonElement> items = root.Array("requests", root.Required("requests"));
        for (int i = 0; i < items.Count; i++)
        {
            var r = new StrictJsonObject(items[i], root.Source, $"$.requests[{i}]", s_requestKeys);
            string id = r.RequiredString("id");
            if (!IdPattern().IsMatch(id))
            {
                throw r.Error("id", $"'{id}' must be lower-case letters, digits, '-' or '_' (it names cells)");
            }
            if (requests.Any(x => x.Id == id))
            {
                throw r.Error("id", $"'{id}' is used twice");
            }
            string role = r.OptionalString("role") ?? "report";
            RequestRole parsedRole = role switch
            {
                "report" => RequestRole.Report,
                "validation" => RequestRole.Validation,
                _ => throw r.Error("role", $"'{role}' is not a role; valid: report, validation"),
            };
            string? validation = r.OptionalString("validation");
            if (validation is not null && parsedRole == RequestRole.Validation)
            {
                throw r.Error("validation", "only reported requests name a validation request");
            }
            string forget = r.RequiredString("forget");
            if (forget.TrimStart().StartsWith("ids:", StringComparison.OrdinalIgnoreCase))
            {
                throw r.Error("forget", "id-file requests are not supported in protocol recipes (their content would have to be part of the recipe hash); use classes:, count:, fraction: (optionally stratified-, @SEED)");
            }
            requests.Add(new RecipeRequest(id, forget, parsedRole, validation, r.OptionalString("description")));
        }
        if (!requests.Any(r => r.Role == RequestRole.Report))
        {
            throw root.Error("requests", "must hold at least one reported request (role \"report\", the default)");
        }
        foreach (RecipeRequest request in requests.Where(r => r.Validation is not null))
        {
            RecipeRequest? target = requests.FirstOrDefault(r => r.Id == request.Validation);
            if (target is null || target.Role != RequestRole.Validation)
            {
                string valid = string.Join(", ", requests.Where(r => r.Role == RequestRole.Validation).Select(r => r.Id));
                throw root.Error("requests", $"request '{request.Id}' names validation request '{request.Validation}', which is not a request with role \"validation\" (those are: {(valid.Length == 0 ? "none" : valid)})");
            }
        }
        return requests;
    }

    private static List<RecipeMethod> ReadMethods(StrictJsonObject root)
    {
        var methods = new List<RecipeMethod>();
        IReadOnlyList<JsonElement> items = root.Array("methods", root.Required("methods"));
        for (int i = 0; i < items.Count; i++)
        {
            var m = new StrictJsonObject(items[i], root.Source, $"$.methods[{i}]", s_methodKeys);
            string label = m.RequiredString("label");
            if (methods.Any(x => x.Label == label))
            {
                throw m.Error("label", $"'{label}' is listed twice; a second configuration of a method is a variant label (e.g. {label}@other)");
            }
            SortedDictionary<string, string> settings = m.Settings("settings");
            var grid = new List<GridAxis>();
            if (m.Optional("grid") is JsonElement g)
            {
                if (g.ValueKind != JsonValueKind.Object)
                {
                    throw m.Error("grid", "must be an object of setting → array of candidate values (e.g. {\"learning_rate\": [0.01, 0.02]})");
                }
                foreach (JsonProperty axis in g.EnumerateObject())
                {
                    if (settings.ContainsKey(axis.Name))
                    {
                        throw m.Error($"grid.{axis.Name}", "is both a fixed setting and a searched one; keep it in one place");
                    }
                    IReadOnlyList<JsonElement> values = m.Array($"grid.{axis.Name}", axis.Value);
                    if (values.Count == 0)
                    {
                        throw m.Error($"grid.{axis.Name}", "lists no candidate value");
                    }
                    string[] texts = values.Select((v, j) => m.SettingText($"grid.{axis.Name}[{j}]", v)).ToArray();
                    if (texts.Distinct(StringComparer.Ordinal).Count() != texts.Length)
                    {
                        throw m.Error($"grid.{axis.Name}", "lists a candidate twice");
                    }
                    grid.Add(new GridAxis(axis.Name, texts));
                }
            }
            methods.Add(new RecipeMethod(label, settings, grid, m.OptionalString("source")) { SourceVerified = OptionalBool(m, "verified") });
        }
        return methods;
    }

    private static PublishedFigures ReadPublished(StrictJsonObject published, ProtocolRecipe recipe)
    {
        var tables = new List<PublishedTable>();
        IReadOnlyList<JsonElement> items = published.Array("tables", published.Required("tables"));
        string[] rowKeys = ["method", "paper_name", "note", .. PublishedRow.ValueKeys];
        string[] methods = recipe.Methods.Select(m => m.Label).Prepend("retrain").ToArray();
        for (int i = 0; i < items.Count; i++)
        {
            var t = new StrictJsonObject(items[i], published.Source, $"{published.Path}.tables[{i}]", s_tableKeys);
            string request = t.RequiredString("request");
            if (!recipe.ReportRequests.Any(r => r.Id == request))
            {
                throw t.Error("request", $"'{request}' is not a reported request of the recipe; those are: {string.Join(", ", recipe.ReportRequests.Select(r => r.Id))}");
            }
            var rows = new List<PublishedRow>();
            IReadOnlyList<JsonElement> rowItems = t.Array("rows", t.Required("rows"));
            for (int j = 0; j < rowItems.Count; j++)
            {
                var r = new StrictJsonObject(rowItems[j], published.Source, $"{t.Path}.rows[{j}]", rowKeys);
                string method = r.RequiredString("method");
                if (!methods.Contains(method))
                {
                    throw r.Error("method", $"'{method}' is not a method of the recipe; valid: {string.Join(", ", methods)}");
                }
                var values = new SortedDictionary<string, double?>(StringComparer.Ordinal);
                foreach (string key in PublishedRow.ValueKeys)
                {
                    if (r.Optional(key) is JsonElement e)
                    {
                        values[key] = r.AsNumber(key, e);
                    }
                }
                rows.Add(new PublishedRow(method, r.OptionalString("paper_name"), values, r.OptionalString("note")));
            }
            bool verified = OptionalBool(t, "verified") ?? false;
            string? verifiedBy = t.OptionalString("verified_by");
            if (verified && verifiedBy is null)
            {
                throw t.Error("verified_by", "is required when verified is true: who checked the values, against which copy of the paper");
            }
            tables.Add(new PublishedTable(request, t.RequiredString("table"), t.OptionalString("statistic"), verified, verifiedBy, rows, t.OptionalString("note")));
        }
        return new PublishedFigures(published.RequiredString("source"), published.OptionalString("url"), tables);
    }

    private static Dictionary<string, RecipeScale> ReadScales(StrictJsonObject root, ProtocolRecipe recipe)
    {
        var result = new Dictionary<string, RecipeScale>(StringComparer.Ordinal);
        if (root.Optional("scales") is not JsonElement scales)
        {
            return result;
        }
        if (scales.ValueKind != JsonValueKind.Object)
        {
            throw root.Error("scales", "must be an object of scale name → derivation (e.g. {\"small\": {...}})");
        }
        foreach (JsonProperty property in scales.EnumerateObject())
        {
            if (!IdPattern().IsMatch(property.Name) || property.Name == ProtocolRecipe.FullScale)
            {
                throw root.Error($"scales.{property.Name}", $"'{property.Name}' is not a usable scale name (lower-case letters, digits, '-', '_'; not '{ProtocolRecipe.FullScale}')");
            }
            var s = new StrictJsonObject(property.Value, root.Source, $"$.scales.{property.Name}", s_scaleKeys);
            var methodSettings = new Dictionary<string, IReadOnlyDictionary<string, string>>(StringComparer.Ordinal);
            if (s.Optional("method_settings") is JsonElement ms)
            {
                if (ms.ValueKind != JsonValueKind.Object)
                {
                    throw s.Error("method_settings", "must be an object of method label → settings");
                }
                var labels = recipe.Methods.Select(m => m.Label).ToArray();
                var perMethod = new StrictJsonObject(ms, root.Source, $"{s.Path}.method_settings", labels);
                foreach (JsonProperty method in ms.EnumerateObject())
                {
                    methodSettings[method.Name] = perMethod.Settings(method.Name);
                }
            }
            int? samples = s.OptionalInt("train_samples");
            if (samples is < 1)
            {
                throw s.Error("train_samples", $"must be positive, not {samples}");
            }
            result[property.Name] = new RecipeScale(
                s.RequiredString("description"),
                s.Settings("training"),
                samples,
                s.OptionalSeeds("seeds"),
                s.OptionalSeeds("validation_seeds"),
                methodSettings,
                Percent(s, "expected_test_accuracy"),
                s.OptionalString("expected_source"))
            {
                ExpectedVerified = OptionalBool(s, "expected_verified"),
            };
        }
        return result;
    }

    /// <summary>
    /// Grids are searched on validation requests only: every reported request must name one when a method has a
    /// grid, and no validation request may select the same samples as a reported one for any seed.
    /// </summary>
    private static void CheckSearchProtocol(StrictJsonObject root, ProtocolRecipe recipe)
    {
        RecipeMethod? searched = recipe.Methods.FirstOrDefault(m => m.HasGrid);
        if (searched is not null)
        {
            foreach (RecipeRequest request in recipe.ReportRequests.Where(r => r.Validation is null))
            {
                throw root.Error("requests", $"method '{searched.Label}' has a search grid, but reported request '{request.Id}' names no validation request; hyper-parameters are searched on a held-out validation request only, never on the reported one (add a request with \"role\": \"validation\" and \"validation\": \"<its id>\" to '{request.Id}')");
            }
        }
        var reported = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (RecipeRequest request in recipe.ReportRequests)
        {
            foreach (ulong seed in recipe.Seeds)
            {
                reported.TryAdd(CanonicalRequest(root, request, seed), request.Id);
            }
        }
        foreach (RecipeRequest request in recipe.Requests.Where(r => r.Role == RequestRole.Validation))
        {
            foreach (ulong seed in recipe.ValidationSeeds)
            {
                if (reported.TryGetValue(CanonicalRequest(root, request, seed), out string? clash))
                {
                    throw root.Error("requests", $"validation request '{request.Id}' selects the same samples as reported request '{clash}' for seed {seed.ToString(CultureInfo.InvariantCulture)}; a validation request must differ from every reported one (another class, or a random request pinned to its own seed with @SEED)");
                }
            }
        }
    }

    private static string CanonicalRequest(StrictJsonObject root, RecipeRequest request, ulong seed)
    {
        try
        {
            return Data.Splits.ForgetRequest.Parse(request.Forget, seed).ToString();
        }
        catch (Exception e) when (e is FormatException or ArgumentException)
        {
            throw root.Error("requests", $"request '{request.Id}': {e.Message}");
        }
    }

    /// <summary>A true/false value; null when absent or JSON null.</summary>
    private static bool? OptionalBool(StrictJsonObject o, string key) => o.Optional(key) is JsonElement v
        ? v.ValueKind switch
        {
            JsonValueKind.True or JsonValueKind.False => v.GetBoolean(),
            JsonValueKind.Null => null,
            _ => throw o.Error(key, "must be true or false"),
        }
        : null;

    private static double? Percent(StrictJsonObject o, string key)
    {
        double? value = o.OptionalNumber(key);
        return value is < 0 or > 100 ? throw o.Error(key, $"must be a percentage in [0, 100], not {value}") : value;
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9._-]*$")]
    private static partial Regex NamePattern();

    [GeneratedRegex("^[a-z0-9][a-z0-9_-]*$")]
    private static partial Regex IdPattern();
}
