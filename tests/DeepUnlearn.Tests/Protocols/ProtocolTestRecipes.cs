using System;
using System.Globalization;
using System.IO;
using DeepUnlearn.Protocols;

namespace DeepUnlearn.Tests.Protocols;

/// <summary>Small recipes for the protocol tests, as JSON text, and the repository root for the shipped ones.</summary>
internal static class ProtocolTestRecipes
{
    /// <summary>
    /// A Fashion-MNIST-shaped recipe: one reported class request with a held-out validation class, famr searched over
    /// <paramref name="gridPoints"/> values of ρ (none: no search), finetune fixed, on <paramref name="seeds"/> seeds.
    /// </summary>
    public static string Json(int seeds = 3, int gridPoints = 2, double? expectedAccuracy = 80, string name = "test-protocol", string extra = "")
    {
        string grid = gridPoints == 0
            ? ""
            : $", \"grid\": {{ \"rho\": [{string.Join(", ", Enumerable(gridPoints))}] }}";
        string seedList = string.Join(", ", System.Linq.Enumerable.Range(1, seeds));
        string expected = expectedAccuracy is double e ? e.ToString(CultureInfo.InvariantCulture) : "null";
        return $$"""
        {
          "schema": "deepunlearn.protocol/1",
          "name": "{{name}}",
          "title": "A test protocol",
          "notes": ["for tests"],
          "dataset": { "name": "fashion-mnist", "spec": "fashion-mnist", "num_classes": 10 },
          "model": { "name": "smallcnn" },
          "training": { "epochs": 2, "learning_rate": 0.05, "batch_size": 64 },
          "original": { "seed": 0, "expected_test_accuracy": {{expected}}, "expected_source": "the test" },
          "requests": [
            { "id": "trouser", "forget": "classes:Trouser", "validation": "val-pullover" },
            { "id": "val-pullover", "forget": "classes:Pullover", "role": "validation" }
          ],
          "methods": [
            { "label": "famr", "settings": { "epochs": 2 }{{grid}} },
            { "label": "finetune", "settings": { "epochs": 1 } }
          ],
          "seeds": [{{seedList}}],
          "validation_seeds": [1, 2]{{extra}}
        }
        """;
    }

    public static ProtocolRecipe Recipe(int seeds = 3, int gridPoints = 2, double? expectedAccuracy = 80, string name = "test-protocol", string extra = "") =>
        RecipeParser.Parse(Json(seeds, gridPoints, expectedAccuracy, name, extra), "test-recipe");

    /// <summary>The repository root (where DeepUnlearn.sln is).</summary>
    public static string RepositoryRoot()
    {
        for (string? dir = AppContext.BaseDirectory; dir is not null; dir = Path.GetDirectoryName(dir))
        {
            if (File.Exists(Path.Combine(dir, "DeepUnlearn.sln")))
            {
                return dir;
            }
        }
        throw new DirectoryNotFoundException("DeepUnlearn.sln not found above the test binaries");
    }

    private static string[] Enumerable(int count)
    {
        var values = new string[count];
        for (int i = 0; i < count; i++)
        {
            values[i] = (0.5 * (i + 1)).ToString(CultureInfo.InvariantCulture);
        }
        return values;
    }
}
