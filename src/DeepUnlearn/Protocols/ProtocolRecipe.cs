using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json.Nodes;

namespace DeepUnlearn.Protocols;

/// <summary>
/// A benchmark protocol as a file (<c>recipes/protocols/*.json</c>, schema in <c>docs/protocols.md</c>): the
/// dataset, model and training recipe of the original and of the retrained oracles, the forget requests, the
/// methods with their settings and search grids, the seeds, the metrics shown, the expected accuracy of the
/// original and the published reference figures with their source. Read it with <see cref="RecipeParser"/>.
/// </summary>
public sealed record ProtocolRecipe
{
    /// <summary>The schema identifier every recipe file carries.</summary>
    public const string SchemaId = "deepunlearn.protocol/1";

    /// <summary>The name of the full scale (the recipe as written).</summary>
    public const string FullScale = "full";

    /// <summary>The metrics a leaderboard shows when the recipe does not say.</summary>
    public static IReadOnlyList<string> DefaultMetrics { get; } = ["ua", "ra", "ta", "mia", "gap", "seconds", "speed_up"];

    /// <summary>Its name (lower-case letters, digits, '.', '-', '_'); part of every content key.</summary>
    public required string Name { get; init; }

    /// <summary>A one-line title.</summary>
    public required string Title { get; init; }

    /// <summary>Remarks printed with the report (where the settings come from, where we differ).</summary>
    public IReadOnlyList<string> Notes { get; init; } = [];

    /// <summary>The dataset.</summary>
    public required RecipeDataset Dataset { get; init; }

    /// <summary>The architecture.</summary>
    public required RecipeModel Model { get; init; }

    /// <summary>The training recipe of the original and of every retrained oracle (<c>TrainingConfig</c> keys → values).</summary>
    public required IReadOnlyDictionary<string, string> Training { get; init; }

    /// <summary>Where the training recipe comes from (paper, code, our choice), for the report.</summary>
    public string? TrainingSource { get; init; }

    /// <summary>Whether <see cref="Training"/> was checked against the text of <see cref="TrainingSource"/> (null: not said).</summary>
    public bool? TrainingVerified { get; init; }

    /// <summary>A class-stratified subset of the training split of this size (null: all of it).</summary>
    public int? TrainSamples { get; init; }

    /// <summary>The original model.</summary>
    public required RecipeOriginal Original { get; init; }

    /// <summary>The forget requests, reported and held out.</summary>
    public required IReadOnlyList<RecipeRequest> Requests { get; init; }

    /// <summary>The methods compared with the retrained oracle (retrain itself is always there).</summary>
    public required IReadOnlyList<RecipeMethod> Methods { get; init; }

    /// <summary>The seeds of the reported cells (and of their oracles and random requests).</summary>
    public required IReadOnlyList<ulong> Seeds { get; init; }

    /// <summary>The seeds of the hyper-parameter search on the validation requests.</summary>
    public required IReadOnlyList<ulong> ValidationSeeds { get; init; }

    /// <summary>The metrics the leaderboard shows, in order.</summary>
    public IReadOnlyList<string> Metrics { get; init; } = DefaultMetrics;

    /// <summary>The published figures, if any.</summary>
    public PublishedFigures? Published { get; init; }

    /// <summary>The derivations at other scales, by name (<c>small</c>).</summary>
    public IReadOnlyDictionary<string, RecipeScale> Scales { get; init; } = new Dictionary<string, RecipeScale>();

    /// <summary>The scale this recipe is at: <see cref="FullScale"/> or the name of an applied derivation.</summary>
    public string Scale { get; init; } = FullScale;

    /// <summary>What the applied derivation changes (null at full scale).</summary>
    public string? ScaleDescription { get; init; }

    /// <summary>At a derived scale, the full recipe's original (its expectation gives the guard's message context); null at full scale.</summary>
    public RecipeOriginal? FullScaleOriginal { get; init; }

    /// <summary>The file it was read from, if any.</summary>
    public string? SourcePath { get; init; }

    /// <summary>Whether this is a derived, smaller version of the protocol.</summary>
    public bool IsDerivedScale => Scale != FullScale;

    /// <summary>"small (2 epochs, ...)" or "full", for labels.</summary>
    public string ScaleLabel => IsDerivedScale ? $"{Scale} ({ScaleDescription})" : FullScale;

    /// <summary>The reported requests.</summary>
    public IEnumerable<RecipeRequest> ReportRequests => Requests.Where(r => r.Role == RequestRole.Report);

    /// <summary>The request <paramref name="id"/>.</summary>
    public RecipeRequest Request(string id) =>
        Requests.FirstOrDefault(r => r.Id == id) ?? throw new ArgumentException($"recipe '{Name}' has no request '{id}'; it has: {string.Join(", ", Requests.Select(r => r.Id))}");

    /// <summary>The method <paramref name="label"/>.</summary>
    public RecipeMethod Method(string label) =>
        Methods.FirstOrDefault(m => m.Label == label) ?? throw new ArgumentException($"recipe '{Name}' has no method '{label}'; it has: {string.Join(", ", Methods.Select(m => m.Label))}");

    /// <summary>
    /// The SHA-256 of the canonical form of what determines the runs (dataset identity, model, training,
    /// samples, original seed, requests, methods, grids, seeds and scale); titles, notes, published figures,
    /// expected accuracies and the data's location are left out, so correcting them keeps finished cells valid.
    /// </summary>
    public string Hash => CanonicalJson.Hash(ExperimentJson());

    /// <summary>The short form of <see cref="Hash"/> (12 hex digits) for labels.</summary>
    public string ShortHash => Hash[..12];

    /// <summary>This recipe at scale <paramref name="scale"/> (<see cref="FullScale"/> returns it unchanged).</summary>
    /// <exception cref="ArgumentException">Unknown scale (the message lists the recipe's scales), or already derived.</exception>
    public ProtocolRecipe WithScale(string scale)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(scale);
        if (scale == Scale)
        {
            return this;
        }
        if (IsDerivedScale)
        {
            throw new ArgumentException($"recipe '{Name}' is already at scale '{Scale}'; derive from the full recipe");
        }
        if (!Scales.TryGetValue(scale, out RecipeScale? derived))
        {
            throw new ArgumentException($"recipe '{Name}' has no scale '{scale}'; valid: {string.Join(", ", Scales.Keys.Prepend(FullScale))}");
        }
        var training = new SortedDictionary<string, string>(Training.ToDictionary(), StringComparer.Ordinal);
        foreach (var (key, value) in derived.Training)
        {
            training[key] = value;
        }
        return this with
        {
            Training = training,
            TrainSamples = derived.TrainSamples ?? TrainSamples,
            Seeds = derived.Seeds ?? Seeds,
            ValidationSeeds = derived.ValidationSeeds ?? derived.Seeds ?? ValidationSeeds,
            Methods = Methods.Select(m => derived.MethodSettings.TryGetValue(m.Label, out var settings)
                ? m with { Settings = m.SettingsWith(settings) }
                : m).ToArray(),
            // The full scale's expectation does not apply to a smaller training budget.
            Original = Original with { ExpectedTestAccuracy = derived.ExpectedTestAccuracy, ExpectedSource = derived.ExpectedSource, ExpectedVerified = derived.ExpectedVerified },
            FullScaleOriginal = Original,
            Scale = scale,
            ScaleDescription = derived.Description,
            Scales = new Dictionary<string, RecipeScale>(),
        };
    }

    /// <summary>The part of the recipe <see cref="Hash"/> covers, in canonical form.</summary>
    public JsonObject ExperimentJson() => new()
    {
        ["schema"] = SchemaId,
        ["name"] = Name,
        ["dataset"] = new JsonObject { ["name"] = Dataset.Name, ["num_classes"] = Dataset.NumClasses },
        ["model"] = ModelJson(),
        ["training"] = CanonicalJson.Object(Training),
        ["train_samples"] = TrainSamples,
        ["original_seed"] = Original.Seed,
        ["requests"] = new JsonArray(Requests.Select(r => (JsonNode)new JsonObject
        {
            ["id"] = r.Id,
            ["forget"] = r.Forget,
            ["role"] = RoleName(r.Role),
            ["validation"] = r.Validation,
        }).ToArray()),
        ["methods"] = new JsonArray(Methods.Select(m => (JsonNode)new JsonObject
        {
            ["label"] = m.Label,
            ["settings"] = CanonicalJson.Object(m.Settings),
            ["grid"] = GridJson(m),
        }).ToArray()),
        ["seeds"] = new JsonArray(Seeds.Select(s => (JsonNode)JsonValue.Create(s)).ToArray()),
        ["validation_seeds"] = new JsonArray(ValidationSeeds.Select(s => (JsonNode)JsonValue.Create(s)).ToArray()),
        ["scale"] = Scale,
    };

    /// <summary>The model section as JSON (also part of the oracle content keys).</summary>
    public JsonObject ModelJson() => new() { ["name"] = Model.Name, ["stem"] = Model.Stem };

    /// <summary>The whole recipe in the file schema (what <c>protocol.json</c> of a sweep holds), readable by <see cref="RecipeParser"/>.</summary>
    public JsonObject ToJson()
    {
        var json = new JsonObject
        {
            ["schema"] = SchemaId,
            ["name"] = Name,
            ["title"] = Title,
            ["notes"] = new JsonArray(Notes.Select(n => (JsonNode)JsonValue.Create(n)).ToArray()),
            ["dataset"] = new JsonObject
            {
                ["name"] = Dataset.Name,
                ["spec"] = Dataset.Spec,
                ["num_classes"] = Dataset.NumClasses,
                ["description"] = Dataset.Description,
            },
            ["model"] = ModelJson(),
            ["training"] = CanonicalJson.Object(Training),
            ["training_source"] = TrainingSource,
            ["training_verified"] = TrainingVerified,
            ["train_samples"] = TrainSamples,
            ["original"] = new JsonObject
            {
                ["seed"] = Original.Seed,
                ["expected_test_accuracy"] = Original.ExpectedTestAccuracy,
                ["expected_source"] = Original.ExpectedSource,
                ["expected_verified"] = Original.ExpectedVerified,
            },
            ["requests"] = new JsonArray(Requests.Select(r => (JsonNode)new JsonObject
            {
                ["id"] = r.Id,
                ["forget"] = r.Forget,
                ["role"] = RoleName(r.Role),
                ["validation"] = r.Validation,
                ["description"] = r.Description,
            }).ToArray()),
            ["methods"] = new JsonArray(Methods.Select(m => (JsonNode)new JsonObject
            {
                ["label"] = m.Label,
                ["settings"] = CanonicalJson.Object(m.Settings),
                ["grid"] = GridJson(m),
                ["source"] = m.Source,
                ["verified"] = m.SourceVerified,
            }).ToArray()),
            ["seeds"] = new JsonArray(Seeds.Select(s => (JsonNode)JsonValue.Create(s)).ToArray()),
            ["validation_seeds"] = new JsonArray(ValidationSeeds.Select(s => (JsonNode)JsonValue.Create(s)).ToArray()),
            ["metrics"] = new JsonArray(Metrics.Select(m => (JsonNode)JsonValue.Create(m)).ToArray()),
        };
        if (Published is not null)
        {
            json["published"] = PublishedJson(Published);
        }
        if (Scales.Count > 0)
        {
            var scales = new JsonObject();
            foreach (var (name, s) in Scales)
            {
                var methodSettings = new JsonObject();
                foreach (var (label, settings) in s.MethodSettings)
                {
                    methodSettings[label] = CanonicalJson.Object(settings);
                }
                scales[name] = new JsonObject
                {
                    ["description"] = s.Description,
                    ["training"] = CanonicalJson.Object(s.Training),
                    ["train_samples"] = s.TrainSamples,
                    ["seeds"] = s.Seeds is null ? null : new JsonArray(s.Seeds.Select(x => (JsonNode)JsonValue.Create(x)).ToArray()),
                    ["validation_seeds"] = s.ValidationSeeds is null ? null : new JsonArray(s.ValidationSeeds.Select(x => (JsonNode)JsonValue.Create(x)).ToArray()),
                    ["method_settings"] = methodSettings,
                    ["expected_test_accuracy"] = s.ExpectedTestAccuracy,
                    ["expected_source"] = s.ExpectedSource,
                    ["expected_verified"] = s.ExpectedVerified,
                };
            }
            json["scales"] = scales;
        }
        if (IsDerivedScale)
        {
            json["scale"] = new JsonObject { ["name"] = Scale, ["description"] = ScaleDescription };
        }
        return json;
    }

    internal static string RoleName(RequestRole role) => role == RequestRole.Validation ? "validation" : "report";

    private static JsonObject GridJson(RecipeMethod method)
    {
        var grid = new JsonObject();
        foreach (GridAxis axis in method.Grid)
        {
            grid[axis.Key] = new JsonArray(axis.Values.Select(v => (JsonNode)JsonValue.Create(v)).ToArray());
        }
        return grid;
    }

    private static JsonObject PublishedJson(PublishedFigures published) => new()
    {
        ["source"] = published.Source,
        ["url"] = published.Url,
        ["tables"] = new JsonArray(published.Tables.Select(t => (JsonNode)new JsonObject
        {
            ["request"] = t.Request,
            ["table"] = t.Table,
            ["statistic"] = t.Statistic,
            ["verified"] = t.Verified,
            ["verified_by"] = t.VerifiedBy,
            ["note"] = t.Note,
            ["rows"] = new JsonArray(t.Rows.Select(r =>
            {
                var row = new JsonObject { ["method"] = r.Method, ["paper_name"] = r.PaperName, ["note"] = r.Note };
                foreach (var (key, value) in r.Values)
                {
                    row[key] = value;
                }
                return (JsonNode)row;
            }).ToArray()),
        }).ToArray()),
    };
}
