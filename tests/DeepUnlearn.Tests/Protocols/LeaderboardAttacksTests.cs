using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Xml.Linq;
using DeepUnlearn.Protocols;
using DeepUnlearn.Reporting;
using DeepUnlearn.Tests.Data;
using Xunit;

namespace DeepUnlearn.Tests.Protocols;

/// <summary>
/// The merge's per-example attacks (<see cref="LeaderboardAttacks"/>) on hand-written cells whose answer is known: a
/// method whose outputs are its seed's retrained model's is indistinguishable from it (U-LiRA AUC exactly 0.5, identical
/// score multisets), a method that answers like the original (far above every retrained model) is caught on every
/// example (AUC 1).
/// </summary>
public class LeaderboardAttacksTests
{
    private const int Examples = 50;
    private const string Request = "classes:Trouser";

    /// <summary>Two seeds (1, 2), famr and finetune, no search.</summary>
    private static ProtocolRecipe Recipe() => ProtocolTestRecipes.Recipe(seeds: 2, gridPoints: 0);

    /// <summary>φ of a model: each example's base value plus a small seeded jitter, and <paramref name="shift"/> on the forget set.</summary>
    private static (double[] Forget, double[] Population) Phi(string request, int model, double shift)
    {
        var bases = new Random(request.Sum(c => c));
        double[] forgetBase = Enumerable.Range(0, Examples).Select(_ => (bases.NextDouble() * 6) - 3).ToArray();
        double[] populationBase = Enumerable.Range(0, Examples).Select(_ => (bases.NextDouble() * 6) - 3).ToArray();
        var jitter = new Random(model);
        return (forgetBase.Select(b => b + shift + (0.2 * jitter.NextDouble())).ToArray(), populationBase.Select(b => b + (0.2 * jitter.NextDouble())).ToArray());
    }

    private static AttackModelOutputs Model(string role, ulong seed, string request, int model, double shift)
    {
        var (forget, population) = Phi(request, model, shift);
        return new AttackModelOutputs(role, seed, forget, population);
    }

    private static void WriteCell(string root, ProtocolRecipe recipe, string method, ulong seed, CellAttackOutputs? outputs)
    {
        string id = SweepPlan.CellId(method, "trouser", seed, null);
        string dir = SweepDirectory.Cell(root, id);
        Directory.CreateDirectory(dir);
        JsonFile.Write(Path.Combine(dir, SweepDirectory.ManifestFile), new CellManifest
        {
            CellId = id,
            Stage = "report",
            Method = method,
            Settings = new Dictionary<string, string>(),
            GridPoint = new Dictionary<string, string>(),
            RequestId = "trouser",
            Request = outputs?.Request ?? Request,
            Seed = seed,
            Recipe = recipe.Name,
            RecipeHash = recipe.Hash,
            Scale = recipe.Scale,
            Status = CellManifest.StatusOk,
            DataFingerprint = "f",
            Original = new OriginalCheck("k0", 90, 80, "test", OriginalCheck.Ok, "fine"),
            Engine = new EngineDescription("engine", "2.10", "cpu", 2),
            Shard = "0/1",
            StartedUtc = DateTimeOffset.UnixEpoch,
            WallSeconds = 1,
        });
        JsonFile.Write(Path.Combine(dir, SweepDirectory.MetricsFile), new CellMetrics { UnlearningAccuracy = 100, RetainAccuracy = 90, TestAccuracy = 88, MiaEfficacy = 100, Seconds = 10 });
        outputs?.Write(dir);
    }

    private static CellAttackOutputs File(string request, int? k, params AttackModelOutputs[] models) => new()
    {
        Request = request,
        ForgetOrder = CellAttackOutputs.Order(Enumerable.Range(0, Examples).ToArray()),
        PopulationOrder = CellAttackOutputs.Order(Enumerable.Range(100, Examples).ToArray()),
        ReferenceModels = k,
        Models = models,
    };

    /// <summary>
    /// Seed s's retrained model is model s; the one extra reference (K = 2: the other seed's retrain and it) is model
    /// 1000; famr answers exactly like its seed's retrained model; finetune and the original sit 5 units above.
    /// </summary>
    private static void WriteCells(string root, ProtocolRecipe recipe, Func<ulong, string> requestOf, bool famrOutputs = true)
    {
        SweepDirectory.Initialize(root, recipe);
        foreach (ulong seed in new ulong[] { 1, 2 })
        {
            string request = requestOf(seed);
            bool shared = requestOf(1) == requestOf(2);
            // With one forget set the other seed's retrain is a reference, so one extra suffices; with one per seed, two.
            AttackModelOutputs[] extras = shared
                ? [Model(AttackModelOutputs.Reference, 1000, request, 1000, 0)]
                : [Model(AttackModelOutputs.Reference, 1000, request, 1000 + (10 * (int)seed), 0), Model(AttackModelOutputs.Reference, 1001, request, 1001 + (10 * (int)seed), 0)];
            WriteCell(root, recipe, "retrain", seed, File(request, 2, [Model(AttackModelOutputs.Retrained, seed, request, (int)seed, 0), Model(AttackModelOutputs.Original, seed, request, 99, 5), .. extras]));
            WriteCell(root, recipe, "famr", seed, famrOutputs ? File(request, null, Model(AttackModelOutputs.Unlearned, seed, request, (int)seed, 0)) : null);
            WriteCell(root, recipe, "finetune", seed, File(request, null, Model(AttackModelOutputs.Unlearned, seed, request, 50 + (int)seed, 5)));
        }
    }

    [Fact]
    public void Build_OneForgetSet_MethodLikeRetrainScoresHalfMethodLikeOriginalScoresOne_AndEveryFormatCarriesIt()
    {
        using var temp = new TempDirectory();
        ProtocolRecipe recipe = Recipe();
        WriteCells(temp.Path, recipe, _ => Request);
        Leaderboard board = LeaderboardBuilder.Build([temp.Path]);
        LeaderboardTable table = Assert.Single(board.Tables);
        Assert.NotNull(table.Attacks);
        Assert.Null(table.AttackNote);
        LeaderboardRow retrain = table.Rows.Single(r => r.Method == "retrain");
        LeaderboardRow famr = table.Rows.Single(r => r.Method == "famr");
        LeaderboardRow finetune = table.Rows.Single(r => r.Method == "finetune");
        Assert.Equal(0.5, famr.ULiraAuc!.Value, 12);
        Assert.Equal(1.0, finetune.ULiraAuc!.Value, 12);
        Assert.Equal(1.0, finetune.ULiraTprAt01Percent!.Value, 12);
        Assert.Null(retrain.ULiraAuc);
        // Two unlearned models per side: the challenge's F needs 3, the median ε is still reported.
        Assert.Null(famr.ForgetScore);
        Assert.NotNull(famr.MedianEpsilon);
        Assert.Equal(1.0, table.Attacks!.ULira.Single(l => l.Method == ComparisonReport.DoNothing).Auc, 12);
        // Two seeds × 50 examples pooled; the retrained models are seeds 1, 2 and the extra reference 1000.
        Assert.Equal(2 * Examples, table.Attacks.ULira.Single(l => l.Method == "famr").Positives);
        Assert.Equal(3, table.Attacks.RetrainedModels);
        Assert.Equal(1, table.Attacks.ExtraTrainingRuns);
        Assert.Equal([1000UL], table.Attacks.ReferenceSeeds);

        IReadOnlyList<string> files = LeaderboardWriter.WriteAll(board, temp.Combine("board"));
        Assert.Contains(files, f => Path.GetFileName(f) == "trouser-attack-roc.svg");
        Assert.Equal("svg", XDocument.Parse(System.IO.File.ReadAllText(temp.Combine("board", "trouser-attack-roc.svg"))).Root!.Name.LocalName);
        string markdown = System.IO.File.ReadAllText(temp.Combine("board", "leaderboard.md"));
        Assert.Contains("| U-LiRA AUC | TPR@0.1% | F | Pareto |", markdown, StringComparison.Ordinal);
        Assert.Contains("| do nothing | 1.000 |", markdown, StringComparison.Ordinal);
        Assert.Contains("(trouser-attack-roc.svg)", markdown, StringComparison.Ordinal);
        string[] csv = System.IO.File.ReadAllLines(temp.Combine("board", "leaderboard.csv"));
        string[] header = csv[0].Split(',');
        double CsvAuc(string method) => double.Parse(csv.Single(l => l.Contains($",{method},", StringComparison.Ordinal)).Split(',')[Array.IndexOf(header, "ulira_auc")], System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(0.5, CsvAuc("famr"), 12);
        Assert.Equal(1.0, CsvAuc("finetune"), 12);
        using JsonDocument json = JsonDocument.Parse(System.IO.File.ReadAllText(temp.Combine("board", "leaderboard.json")));
        JsonElement jsonTable = json.RootElement.GetProperty("tables")[0];
        Assert.Equal(0.5, jsonTable.GetProperty("rows").EnumerateArray().Single(r => r.GetProperty("method").GetString() == "famr").GetProperty("u_lira_auc").GetDouble(), 12);
        Assert.Equal(2, jsonTable.GetProperty("attacks").GetProperty("reference_models").GetInt32());
        string tex = System.IO.File.ReadAllText(temp.Combine("board", "leaderboard.tex"));
        Assert.Contains("$100.00\\%$", tex, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_ForgetSetPerSeed_PoolsUliraOverTheSeedsAndLeavesEpsilonOutWithANote()
    {
        using var temp = new TempDirectory();
        ProtocolRecipe recipe = Recipe();
        WriteCells(temp.Path, recipe, seed => $"count:50@{seed}");
        LeaderboardTable table = Assert.Single(LeaderboardBuilder.Build([temp.Path]).Tables);
        Assert.Equal(0.5, table.Rows.Single(r => r.Method == "famr").ULiraAuc!.Value, 12);
        Assert.Equal(1.0, table.Rows.Single(r => r.Method == "finetune").ULiraAuc!.Value, 12);
        Assert.Empty(table.Attacks!.Epsilon);
        Assert.Null(table.Rows.Single(r => r.Method == "famr").MedianEpsilon);
        Assert.Contains("different forget set per seed", table.AttackNote, StringComparison.Ordinal);
        // Each forget set brought its own two extra references.
        Assert.Equal(4, table.Attacks.ExtraTrainingRuns);
    }

    [Fact]
    public void Build_CellsRunWithoutAttacks_AreNamedAndTheirRowsHaveNoAttackNumbers()
    {
        using var temp = new TempDirectory();
        ProtocolRecipe recipe = Recipe();
        WriteCells(temp.Path, recipe, _ => Request, famrOutputs: false);
        LeaderboardTable table = Assert.Single(LeaderboardBuilder.Build([temp.Path]).Tables);
        Assert.Null(table.Rows.Single(r => r.Method == "famr").ULiraAuc);
        Assert.Equal(1.0, table.Rows.Single(r => r.Method == "finetune").ULiraAuc!.Value, 12);
        Assert.Contains("famr.trouser.s1, famr.trouser.s2", table.AttackNote, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_NoCellRecordedAttackOutputs_NoAttacksAndNoNote()
    {
        using var temp = new TempDirectory();
        ProtocolRecipe recipe = Recipe();
        SweepDirectory.Initialize(temp.Path, recipe);
        foreach (string method in new[] { "retrain", "famr", "finetune" })
        {
            WriteCell(temp.Path, recipe, method, 1, null);
        }
        LeaderboardTable table = Assert.Single(LeaderboardBuilder.Build([temp.Path]).Tables);
        Assert.Null(table.Attacks);
        Assert.Null(table.AttackNote);
        Assert.DoesNotContain("U-LiRA", LeaderboardWriter.MarkdownTable(LeaderboardBuilder.Build([temp.Path]), table), StringComparison.Ordinal);
    }
}
