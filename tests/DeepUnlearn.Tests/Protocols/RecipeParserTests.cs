using System;
using System.IO;
using System.Linq;
using DeepUnlearn.Protocols;
using Xunit;

namespace DeepUnlearn.Tests.Protocols;

public class RecipeParserTests
{
    [Fact]
    public void Load_ShippedRecipes_ParseAndDeriveTheirSmallScale()
    {
        string[] files = Directory.GetFiles(Path.Combine(ProtocolTestRecipes.RepositoryRoot(), "recipes", "protocols"), "*.json");
        Assert.Contains(files, f => f.EndsWith("salun-cifar10-resnet18.json", StringComparison.Ordinal));
        Assert.Contains(files, f => f.EndsWith("famr-cifar10-resnet18.json", StringComparison.Ordinal));
        Assert.Contains(files, f => f.EndsWith("famr-imagenet100-resnet18.json", StringComparison.Ordinal));
        Assert.Contains(files, f => f.EndsWith("fashion-mnist-demo.json", StringComparison.Ordinal));
        foreach (string file in files)
        {
            ProtocolRecipe full = RecipeParser.Load(file);
            ProtocolRecipe small = full.WithScale("small");
            Assert.True(small.IsDerivedScale, file);
            Assert.NotEqual(full.Hash, small.Hash);
            // The full scale's expectation would be wrong at a reduced budget; a derived scale never inherits it, and
            // one it declares itself is a lower bar.
            Assert.Equal(full.Scales["small"].ExpectedTestAccuracy, small.Original.ExpectedTestAccuracy);
            Assert.True(small.Original.ExpectedTestAccuracy is null || small.Original.ExpectedTestAccuracy < full.Original.ExpectedTestAccuracy, file);
            Assert.Contains("small", small.ScaleLabel, StringComparison.Ordinal);
            Assert.NotEmpty(SweepPlan.Create(small).Report);
        }
    }

    [Fact]
    public void Load_SalUnRecipe_CarriesTheReleaseTrainingSettings()
    {
        ProtocolRecipe salun = RecipeParser.Load(Path.Combine(ProtocolTestRecipes.RepositoryRoot(), "recipes", "protocols", "salun-cifar10-resnet18.json"));
        var config = RecipeVocabulary.TrainingConfig(salun.Training);
        // OPTML-Group/Unlearn-Saliency Classification/arg_parser.py: --epochs 182, --lr 0.1, --momentum 0.9,
        // --weight_decay 5e-4, --batch_size 256, --decreasing_lr 91,136 (MultiStepLR, gamma 0.1).
        Assert.Equal(182, config.Epochs);
        Assert.Equal(0.1, config.LearningRate);
        Assert.Equal(0.9, config.Momentum);
        Assert.Equal(5e-4, config.WeightDecay);
        Assert.Equal(256, config.BatchSize);
        Assert.Equal(DeepUnlearn.Training.ScheduleKind.MultiStep, config.Schedule);
        Assert.Equal([91, 136], config.Milestones);
        Assert.Equal(0.1, config.Gamma);
        Assert.Equal(10, salun.Seeds.Count);
        Assert.All(salun.Published!.Tables, t => Assert.False(t.Verified));
    }

    [Theory]
    [InlineData("\"sedes\": [1],", "unknown key 'sedes'", "validation_seeds")]
    [InlineData("\"model\": { \"name\": \"smallcnn\", \"depth\": 3 },", "$.model: unknown key 'depth'", "stem")]
    public void Parse_UnknownKey_NamesThePlaceAndTheValidKeys(string insertion, string expected, string validKey)
    {
        string json = ProtocolTestRecipes.Json();
        json = insertion.StartsWith("\"model\"", StringComparison.Ordinal)
            ? json.Replace("\"model\": { \"name\": \"smallcnn\" },", insertion, StringComparison.Ordinal)
            : json.Replace("\"title\":", insertion + " \"title\":", StringComparison.Ordinal);
        var e = Assert.Throws<RecipeFormatException>(() => RecipeParser.Parse(json, "x.json"));
        Assert.Contains("x.json", e.Message, StringComparison.Ordinal);
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
        Assert.Contains(validKey, e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("\"learning_rate\": 0.05", "\"lr\": 0.05", "$.training", "learning_rate")]
    [InlineData("\"label\": \"finetune\"", "\"label\": \"fine-tune\"", "fine-tune", "salun")]
    [InlineData("\"settings\": { \"epochs\": 1 }", "\"settings\": { \"epoch\": 1 }", "finetune.epoch", "epochs")]
    [InlineData("\"name\": \"smallcnn\"", "\"name\": \"smallnet\"", "$.model", "resnet18")]
    [InlineData("\"name\": \"fashion-mnist\"", "\"name\": \"mnist\"", "$.dataset.name", "cifar10")]
    [InlineData("\"forget\": \"classes:Trouser\"", "\"forget\": \"half:0.5\"", "trouser", "fraction:F")]
    [InlineData("\"seeds\": [1, 2, 3]", "\"seeds\": \"1,2,3\"", "$.seeds", "array")]
    [InlineData("\"role\": \"validation\"", "\"role\": \"held-out\"", "role", "report, validation")]
    [InlineData("\"learning_rate\": 0.05", "\"learning_rate\": 0.05, \"seed\": 3", "training.seed", "original.seed")]
    [InlineData("\"schema\": \"deepunlearn.protocol/1\"", "\"schema\": \"deepunlearn.protocol/2\"", "$.schema", "deepunlearn.protocol/1")]
    public void Parse_BadValue_SaysWhereAndWhatIsValid(string original, string replacement, string where, string valid)
    {
        string json = ProtocolTestRecipes.Json();
        Assert.Contains(original, json, StringComparison.Ordinal);
        var e = Assert.Throws<RecipeFormatException>(() => RecipeParser.Parse(json.Replace(original, replacement, StringComparison.Ordinal), "x.json"));
        Assert.Contains(where, e.Message, StringComparison.Ordinal);
        Assert.Contains(valid, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_GridWithoutValidationRequest_IsRejected()
    {
        string json = ProtocolTestRecipes.Json().Replace(", \"validation\": \"val-pullover\"", "", StringComparison.Ordinal);
        var e = Assert.Throws<RecipeFormatException>(() => RecipeParser.Parse(json));
        Assert.Contains("never on the reported one", e.Message, StringComparison.Ordinal);
        Assert.Contains("trouser", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("classes:Trouser", "classes:Trouser")]
    [InlineData("fraction:0.1", "fraction:0.1")]
    [InlineData("count:500", "count:500@2")]
    public void Parse_ValidationRequestSelectingTheReportedSamples_IsRejected(string report, string validation)
    {
        // fraction:0.1 unpinned is drawn with each cell's seed, and seed 1 is both a reported and a validation seed;
        // count:500@2 pins the validation draw to seed 2, which is also a reported seed of count:500.
        string json = ProtocolTestRecipes.Json()
            .Replace("\"forget\": \"classes:Trouser\"", $"\"forget\": \"{report}\"", StringComparison.Ordinal)
            .Replace("\"forget\": \"classes:Pullover\"", $"\"forget\": \"{validation}\"", StringComparison.Ordinal);
        var e = Assert.Throws<RecipeFormatException>(() => RecipeParser.Parse(json));
        Assert.Contains("selects the same samples", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_ValidationRequestPinnedToAnUnreportedSeed_IsAccepted()
    {
        string json = ProtocolTestRecipes.Json()
            .Replace("\"forget\": \"classes:Trouser\"", "\"forget\": \"count:500\"", StringComparison.Ordinal)
            .Replace("\"forget\": \"classes:Pullover\"", "\"forget\": \"count:500@1000\"", StringComparison.Ordinal);
        Assert.Equal(2, RecipeParser.Parse(json).Requests.Count);
    }

    [Fact]
    public void Parse_PublishedRowOfAMethodNotInTheRecipe_IsRejected()
    {
        string extra = """
        , "published": { "source": "a paper", "tables": [ { "request": "trouser", "table": "Table 1", "rows": [ { "method": "salun", "ua": 1 } ] } ] }
        """;
        var e = Assert.Throws<RecipeFormatException>(() => ProtocolTestRecipes.Recipe(extra: extra));
        Assert.Contains("'salun' is not a method of the recipe", e.Message, StringComparison.Ordinal);
        Assert.Contains("famr", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_VerifiedTableWithoutVerifier_IsRejected()
    {
        string extra = """
        , "published": { "source": "a paper", "tables": [ { "request": "trouser", "table": "Table 1", "verified": true, "rows": [ { "method": "famr", "ua": 1 } ] } ] }
        """;
        var e = Assert.Throws<RecipeFormatException>(() => ProtocolTestRecipes.Recipe(extra: extra));
        Assert.Contains("verified_by", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void WithScale_UnknownScale_ListsTheRecipesScales()
    {
        var e = Assert.Throws<ArgumentException>(() => ProtocolTestRecipes.Recipe().WithScale("tiny"));
        Assert.Contains("valid: full", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Hash_IgnoresFormattingNotesAndPublishedFigures_ButNotSettings()
    {
        ProtocolRecipe recipe = ProtocolTestRecipes.Recipe();
        string reformatted = ProtocolTestRecipes.Json()
            .Replace("\"learning_rate\": 0.05", "\"learning_rate\": 0.050", StringComparison.Ordinal)
            .Replace("\"notes\": [\"for tests\"]", "\"notes\": [\"other words\"]", StringComparison.Ordinal)
            .Replace("\"epochs\": 2, \"learning_rate\"", "\"epochs\": 2.0, \"learning_rate\"", StringComparison.Ordinal)
            .Replace("\n", "\n\n", StringComparison.Ordinal);
        Assert.Equal(recipe.Hash, RecipeParser.Parse(reformatted).Hash);
        string changed = ProtocolTestRecipes.Json().Replace("\"learning_rate\": 0.05", "\"learning_rate\": 0.06", StringComparison.Ordinal);
        Assert.NotEqual(recipe.Hash, RecipeParser.Parse(changed).Hash);
        Assert.NotEqual(recipe.Hash, ProtocolTestRecipes.Recipe(seeds: 4).Hash);
        Assert.NotEqual(recipe.Hash, ProtocolTestRecipes.Recipe(name: "another-protocol").Hash);
    }

    [Fact]
    public void ToJson_ParsesBackToTheSameRecipe()
    {
        string extra = """
        , "published": { "source": "a paper", "tables": [ { "request": "trouser", "table": "Table 1", "rows": [ { "method": "famr", "ua": 99.5, "ua_std": 0.25 } ] } ] },
          "scales": { "small": { "description": "fewer", "train_samples": 100, "seeds": [1], "method_settings": { "famr": { "epochs": 1 } } } }
        """;
        ProtocolRecipe recipe = ProtocolTestRecipes.Recipe(extra: extra);
        foreach (ProtocolRecipe r in new[] { recipe, recipe.WithScale("small") })
        {
            ProtocolRecipe back = RecipeParser.Parse(r.ToJson().ToJsonString());
            Assert.Equal(r.Hash, back.Hash);
            Assert.Equal(r.Scale, back.Scale);
            Assert.Equal(r.ScaleDescription, back.ScaleDescription);
            Assert.Equal(99.5, back.Published!.Tables[0].Rows[0].Get("ua"));
            Assert.Equal(0.25, back.Published.Tables[0].Rows[0].Get("ua_std"));
            Assert.Null(back.Published.Tables[0].Rows[0].Get("ra"));
        }
        ProtocolRecipe small = recipe.WithScale("small");
        Assert.Equal("1", small.Method("famr").Settings["epochs"]);
        Assert.Equal(100, small.TrainSamples);
        Assert.Equal([1UL], small.Seeds);
        Assert.Equal([1UL], small.ValidationSeeds);
        Assert.Throws<ArgumentException>(() => small.WithScale("small2"));
    }

    [Fact]
    public void Parse_VerificationFlags_AreReadKeptByToJsonAndLeftOutOfTheHash()
    {
        string plain = ProtocolTestRecipes.Json(extra: """
        , "scales": { "small": { "description": "fewer", "expected_test_accuracy": 70, "expected_source": "measured" } }
        """);
        string flagged = plain
            .Replace("\"training\": {", "\"training_source\": \"the code\", \"training_verified\": true, \"training\": {", StringComparison.Ordinal)
            .Replace("\"expected_source\": \"the test\"", "\"expected_source\": \"the test\", \"expected_verified\": false", StringComparison.Ordinal)
            .Replace("\"settings\": { \"epochs\": 1 } }", "\"settings\": { \"epochs\": 1 }, \"source\": \"a README\", \"verified\": true }", StringComparison.Ordinal)
            .Replace("\"expected_source\": \"measured\"", "\"expected_source\": \"measured\", \"expected_verified\": true", StringComparison.Ordinal);
        ProtocolRecipe recipe = RecipeParser.Parse(flagged);
        Assert.Equal("the code", recipe.TrainingSource);
        Assert.True(recipe.TrainingVerified);
        Assert.False(recipe.Original.ExpectedVerified);
        Assert.True(recipe.Method("finetune").SourceVerified);
        Assert.Null(recipe.Method("famr").SourceVerified);
        Assert.Equal(RecipeParser.Parse(plain).Hash, recipe.Hash);

        ProtocolRecipe small = recipe.WithScale("small");
        Assert.True(small.Original.ExpectedVerified);
        Assert.Equal(80, small.FullScaleOriginal!.ExpectedTestAccuracy);
        foreach (ProtocolRecipe r in new[] { recipe, small })
        {
            ProtocolRecipe back = RecipeParser.Parse(r.ToJson().ToJsonString());
            Assert.Equal(r.TrainingVerified, back.TrainingVerified);
            Assert.Equal(r.Original.ExpectedVerified, back.Original.ExpectedVerified);
            Assert.Equal(r.Method("finetune").SourceVerified, back.Method("finetune").SourceVerified);
            Assert.Equal(r.Hash, back.Hash);
        }

        var e = Assert.Throws<RecipeFormatException>(() => RecipeParser.Parse(flagged.Replace("\"training_verified\": true", "\"training_verified\": \"yes\"", StringComparison.Ordinal)));
        Assert.Contains("training_verified", e.Message, StringComparison.Ordinal);
        Assert.Contains("true or false", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_ShippedRecipes_EveryPublishedValueIsEitherInAVerifiedTableOrPrintedAsUnverified()
    {
        // A shipped recipe may carry values only in tables that name who checked them; the others must be empty, so
        // that no remembered or copied number appears under a paper's name. (Unverified values print as such, but
        // the shipped ones should not carry any.)
        foreach (string file in Directory.GetFiles(Path.Combine(ProtocolTestRecipes.RepositoryRoot(), "recipes", "protocols"), "*.json"))
        {
            ProtocolRecipe recipe = RecipeParser.Load(file);
            foreach (PublishedTable table in recipe.Published?.Tables ?? [])
            {
                if (!table.Verified)
                {
                    Assert.All(table.Rows, row => Assert.All(PublishedRow.ValueKeys, key => Assert.Null(row.Get(key))));
                }
            }
            Assert.NotNull(recipe.TrainingSource);
        }
    }

    [Fact]
    public void GridPoints_AreTheCartesianProductInRecipeOrder()
    {
        var method = new RecipeMethod("famr", new System.Collections.Generic.Dictionary<string, string> { ["epochs"] = "2" },
            [new GridAxis("rho", ["0.5", "1"]), new GridAxis("learning_rate", ["0.01", "0.02", "0.03"])], null);
        var points = method.GridPoints();
        Assert.Equal(6, points.Count);
        Assert.Equal(6, points.Select(p => string.Join(",", p.OrderBy(kv => kv.Key).Select(kv => kv.Value))).Distinct().Count());
        Assert.Equal("0.5", points[0]["rho"]);
        Assert.Equal("0.01", points[0]["learning_rate"]);
        Assert.Equal("0.03", points[2]["learning_rate"]);
        Assert.Equal("1", points[3]["rho"]);
        Assert.Equal("2", method.SettingsWith(points[5])["epochs"]);
    }
}
