using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using DeepUnlearn.Protocols;
using DeepUnlearn.Reporting;
using DeepUnlearn.Tests.Data;
using Xunit;

namespace DeepUnlearn.Tests.Protocols;

public class LeaderboardTests
{
    /// <summary>Two seeds, famr and finetune fixed (no search), cells written by hand with round numbers.</summary>
    private static ProtocolRecipe HandRecipe(string extra = "") => ProtocolTestRecipes.Recipe(seeds: 2, gridPoints: 0, extra: extra);

    private static void WriteCell(string root, ProtocolRecipe recipe, string method, ulong seed, double ua, double ra, double ta, double mia, double seconds, bool failed = false, string? qualifier = null, bool miaDegenerate = false)
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
            Request = "classes:Trouser",
            Seed = seed,
            Recipe = recipe.Name,
            RecipeHash = recipe.Hash,
            Scale = recipe.Scale,
            Status = failed ? CellManifest.StatusFailed : CellManifest.StatusOk,
            Error = failed ? "boom" : null,
            DataFingerprint = "f",
            Original = new OriginalCheck("k0", 90, 80, "test", OriginalCheck.Ok, "fine"),
            Engine = new EngineDescription("engine", "1.13", "cpu", 2),
            Shard = "0/1",
            StartedUtc = DateTimeOffset.UnixEpoch,
            WallSeconds = 1,
        });
        if (!failed)
        {
            JsonFile.Write(Path.Combine(dir, SweepDirectory.MetricsFile), new CellMetrics
            {
                UnlearningAccuracy = ua,
                RetainAccuracy = ra,
                TestAccuracy = ta,
                ForgottenClassTestAccuracy = 100 - ua,
                MiaEfficacy = mia,
                MiaDegenerate = miaDegenerate,
                Seconds = seconds,
                Qualifier = qualifier,
            });
        }
    }

    private static void WriteHandCells(string root, ProtocolRecipe recipe)
    {
        SweepDirectory.Initialize(root, recipe);
        WriteCell(root, recipe, "retrain", 1, ua: 100, ra: 90, ta: 88, mia: 100, seconds: 100);
        WriteCell(root, recipe, "retrain", 2, ua: 100, ra: 92, ta: 90, mia: 100, seconds: 120);
        WriteCell(root, recipe, "famr", 1, ua: 98, ra: 86, ta: 84, mia: 96, seconds: 10);
        WriteCell(root, recipe, "famr", 2, ua: 100, ra: 88, ta: 86, mia: 100, seconds: 12);
        WriteCell(root, recipe, "finetune", 1, ua: 10, ra: 95, ta: 91, mia: 20, seconds: 5);
        WriteCell(root, recipe, "finetune", 2, ua: 20, ra: 97, ta: 93, mia: 30, seconds: 7);
    }

    [Fact]
    public void Build_CellsWithOutcomeQualifiers_RowsCarryThemDistinctAndTablesPrintThemBesideTheMethod()
    {
        using var temp = new TempDirectory();
        ProtocolRecipe recipe = HandRecipe();
        SweepDirectory.Initialize(temp.Path, recipe);
        WriteCell(temp.Path, recipe, "retrain", 1, ua: 100, ra: 90, ta: 88, mia: 100, seconds: 100);
        WriteCell(temp.Path, recipe, "retrain", 2, ua: 100, ra: 92, ta: 90, mia: 100, seconds: 120);
        WriteCell(temp.Path, recipe, "famr", 1, ua: 98, ra: 86, ta: 84, mia: 96, seconds: 10, qualifier: "T0=1");
        WriteCell(temp.Path, recipe, "famr", 2, ua: 100, ra: 88, ta: 86, mia: 100, seconds: 12, qualifier: "T0=1");
        WriteCell(temp.Path, recipe, "finetune", 1, ua: 10, ra: 95, ta: 91, mia: 20, seconds: 5, qualifier: "b");
        WriteCell(temp.Path, recipe, "finetune", 2, ua: 20, ra: 97, ta: 93, mia: 30, seconds: 7, qualifier: "a");

        Leaderboard board = LeaderboardBuilder.Build([temp.Path], timeBudgetSeconds: null);
        LeaderboardTable table = Assert.Single(board.Tables);
        Assert.Equal(["retrain", "famr", "finetune"], table.Rows.Select(r => r.Method));
        Assert.Empty(table.Rows[0].Qualifiers);
        Assert.Equal(["T0=1"], table.Rows[1].Qualifiers);
        Assert.Equal(["a", "b"], table.Rows[2].Qualifiers);
        string markdown = LeaderboardWriter.MarkdownTable(board, table);
        Assert.Contains("| famr (T0=1) | 2 |", markdown, StringComparison.Ordinal);
        Assert.Contains("| finetune (a; b) | 2 |", markdown, StringComparison.Ordinal);
        Assert.Contains("| retrain | 2 |", markdown, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_HandComputedCells_GapOfMeansCiSpeedUpAndPareto()
    {
        using var temp = new TempDirectory();
        ProtocolRecipe recipe = HandRecipe();
        WriteHandCells(temp.Path, recipe);
        Leaderboard board = LeaderboardBuilder.Build([temp.Path], timeBudgetSeconds: 8);
        LeaderboardTable table = Assert.Single(board.Tables);
        Assert.True(table.ClassWise);
        Assert.Equal(["retrain", "famr", "finetune"], table.Rows.Select(r => r.Method));
        LeaderboardRow retrain = table.Rows[0], famr = table.Rows[1], finetune = table.Rows[2];

        // Means: retrain UA 100, RA 91, TA 89, MIA 100, 110 s; famr 99, 87, 85, 98, 11 s; finetune 15, 96, 92, 25, 6 s.
        Assert.Equal(0, retrain.Gap);
        Assert.Equal((1 + 4 + 4 + 2) / 4.0, famr.Gap!.Value, 12);          // 2.75
        Assert.Equal((85 + 5 + 3 + 75) / 4.0, finetune.Gap!.Value, 12);    // 42
        Assert.Equal(10, famr.SpeedUp!.Value, 12);
        Assert.Equal(110 / 6.0, finetune.SpeedUp!.Value, 12);
        Assert.Equal(0.1, famr.TimeRatio!.Value, 12);
        // famr UA 98, 100: s = √2, half-width = t(0.975, 1) · √2 / √2 = 12.7062047362.
        Assert.Equal(99, famr.Get("ua")!.Mean, 12);
        Assert.Equal(12.706204736174698, famr.Get("ua")!.HalfWidth95!.Value, 8);
        Assert.Equal(0, retrain.Get("ua")!.HalfWidth95!.Value, 12);
        Assert.Equal(1, famr.Get("ta_forgotten")!.Mean, 12);
        Assert.Equal(2, famr.Seeds);
        // Neither dominates the other: famr is closer, finetune is faster.
        Assert.True(famr.Pareto);
        Assert.True(finetune.Pareto);
        Assert.Null(retrain.Pareto);
        Assert.False(famr.WithinBudget);
        Assert.True(finetune.WithinBudget);
        Assert.Empty(board.Missing);
        Assert.False(board.Synthetic);
    }

    [Fact]
    public void Build_DominatedMethod_IsNotPareto_FailedAndMissingCellsAreListed()
    {
        using var temp = new TempDirectory();
        ProtocolRecipe recipe = HandRecipe();
        SweepDirectory.Initialize(temp.Path, recipe);
        WriteCell(temp.Path, recipe, "retrain", 1, 100, 90, 88, 100, 100);
        WriteCell(temp.Path, recipe, "retrain", 2, 100, 92, 90, 100, 120);
        WriteCell(temp.Path, recipe, "famr", 1, 98, 86, 84, 96, 5);
        WriteCell(temp.Path, recipe, "famr", 2, 0, 0, 0, 0, 0, failed: true);
        WriteCell(temp.Path, recipe, "finetune", 1, 10, 95, 91, 20, 50);
        Leaderboard board = LeaderboardBuilder.Build([temp.Path]);
        LeaderboardTable table = board.Tables[0];
        LeaderboardRow famr = table.Rows[1], finetune = table.Rows[2];
        Assert.Equal(1, famr.Seeds);
        Assert.Equal(1, famr.Failed);
        Assert.Null(famr.Get("ua")!.HalfWidth95);
        Assert.Equal(1, finetune.Missing);
        Assert.True(famr.Pareto);
        Assert.False(finetune.Pareto);          // slower and farther than famr
        Assert.Equal("famr.trouser.s2", Assert.Single(board.Failed).Key);
        Assert.Equal(["finetune.trouser.s2"], board.Missing);
        string markdown = LeaderboardWriter.Markdown(board);
        Assert.Contains("INCOMPLETE", markdown, StringComparison.Ordinal);
        Assert.Contains("1 (+1 failed, 0 missing)", markdown, StringComparison.Ordinal);
    }

    [Fact]
    public void WriteAll_WritesEveryFormat_WithTheSameNumbers()
    {
        using var temp = new TempDirectory();
        string extra = """
        , "published": { "source": "A paper", "tables": [ { "request": "trouser", "table": "Table 9", "rows": [ { "method": "famr", "paper_name": "FAMR", "ua": 97.5, "ua_std": 0.5 } ] } ] },
          "scales": { "small": { "description": "tiny budget", "seeds": [1, 2] } }
        """;
        ProtocolRecipe recipe = HandRecipe(extra).WithScale("small");
        WriteHandCells(temp.Path, recipe);
        Leaderboard board = LeaderboardBuilder.Build([temp.Path]);
        IReadOnlyList<string> files = LeaderboardWriter.WriteAll(board, temp.Combine("board"));
        Assert.Equal(
            ["leaderboard.csv", "leaderboard.json", "leaderboard.md", "leaderboard.tex", "trouser-metrics.svg", "trouser-time.svg"],
            files.Select(f => Path.GetFileName(f)).Order(StringComparer.Ordinal));

        string markdown = File.ReadAllText(temp.Combine("board", "leaderboard.md"));
        Assert.Contains("SCALE SMALL: tiny budget", markdown, StringComparison.Ordinal);
        Assert.Contains("| famr | 2 | 99.00 ± 12.71 |", markdown, StringComparison.Ordinal);
        Assert.Contains("| famr (FAMR) | 99.00 ± 12.71 | 97.50 ± 0.50 (std) (unverified) |", markdown, StringComparison.Ordinal);
        Assert.Contains("NOT VERIFIED", markdown, StringComparison.Ordinal);
        Assert.Contains("unknown", markdown, StringComparison.Ordinal);

        string[] csv = File.ReadAllLines(temp.Combine("board", "leaderboard.csv"));
        Assert.Equal(4, csv.Length);
        string[] header = csv[0].Split(',');
        Assert.All(csv.Skip(1), line => Assert.Equal(header.Length, line.Split(',').Length));
        string[] famrRow = csv.Single(l => l.Contains(",famr,", StringComparison.Ordinal)).Split(',');
        Assert.Equal("99", famrRow[Array.IndexOf(header, "ua_mean")]);
        Assert.Equal("2.75", famrRow[Array.IndexOf(header, "gap")]);
        Assert.Equal("small", famrRow[Array.IndexOf(header, "scale")]);

        using JsonDocument json = JsonDocument.Parse(File.ReadAllText(temp.Combine("board", "leaderboard.json")));
        Assert.Equal("small", json.RootElement.GetProperty("scale").GetString());
        JsonElement row = json.RootElement.GetProperty("tables")[0].GetProperty("rows")[1];
        Assert.Equal(2.75, row.GetProperty("gap").GetDouble(), 12);
        Assert.Equal(99, row.GetProperty("metrics").GetProperty("ua").GetProperty("mean").GetDouble(), 12);

        string tex = File.ReadAllText(temp.Combine("board", "leaderboard.tex"));
        Assert.Contains("$99.00 \\pm 12.71$", tex, StringComparison.Ordinal);
        Assert.Contains("SCALE SMALL", tex, StringComparison.Ordinal);
        Assert.Contains("\\toprule", tex, StringComparison.Ordinal);

        string svg = File.ReadAllText(temp.Combine("board", "trouser-metrics.svg"));
        Assert.StartsWith("<svg", svg, StringComparison.Ordinal);
        Assert.Contains("[scale small]", svg, StringComparison.Ordinal);
        Assert.Contains("95% CI", svg, StringComparison.Ordinal);
    }

    [Fact]
    public void Markdown_VerifiedTable_PrintsItsValuesWithoutTheUnverifiedMark()
    {
        using var temp = new TempDirectory();
        string extra = """
        , "published": { "source": "A paper", "tables": [ { "request": "trouser", "table": "Table 9", "verified": true, "verified_by": "a reader, arXiv v2", "rows": [ { "method": "famr", "ua": 97.5 } ] } ] }
        """;
        ProtocolRecipe recipe = HandRecipe(extra);
        WriteHandCells(temp.Path, recipe);
        string markdown = LeaderboardWriter.Markdown(LeaderboardBuilder.Build([temp.Path]));
        Assert.Contains("| famr | 99.00 ± 12.71 | 97.50 |", markdown, StringComparison.Ordinal);
        Assert.DoesNotContain("(unverified)", markdown, StringComparison.Ordinal);
        Assert.Contains("checked against the paper by a reader, arXiv v2", markdown, StringComparison.Ordinal);
    }

    [Fact]
    public void Markdown_RecipeVerificationFlags_ArePrintedNextToTheTrainingAndTheSettings()
    {
        using var temp = new TempDirectory();
        string json = ProtocolTestRecipes.Json(seeds: 2, gridPoints: 0)
            .Replace("\"training\": {", "\"training_source\": \"the authors' code\", \"training_verified\": true, \"training\": {", StringComparison.Ordinal)
            .Replace("{ \"label\": \"finetune\", \"settings\": { \"epochs\": 1 } }", "{ \"label\": \"finetune\", \"settings\": { \"epochs\": 1 }, \"source\": \"a blog\", \"verified\": false }", StringComparison.Ordinal);
        ProtocolRecipe recipe = RecipeParser.Parse(json);
        WriteHandCells(temp.Path, recipe);
        string markdown = LeaderboardWriter.Markdown(LeaderboardBuilder.Build([temp.Path]));
        Assert.Contains("— the authors' code [checked against the source].", markdown, StringComparison.Ordinal);
        Assert.Contains("- `finetune`: defaults — a blog [UNVERIFIED against the source]", markdown, StringComparison.Ordinal);
        // famr says nothing about its source: no mark at all.
        Assert.Contains("- `famr`: defaults\n", markdown.Replace("\r\n", "\n", StringComparison.Ordinal), StringComparison.Ordinal);
    }

    [Fact]
    public void Build_CellsWithDegenerateMia_TablesMarkTheMiaWithADaggerAndSayWhy()
    {
        using var temp = new TempDirectory();
        ProtocolRecipe recipe = HandRecipe();
        SweepDirectory.Initialize(temp.Path, recipe);
        WriteCell(temp.Path, recipe, "retrain", 1, ua: 100, ra: 90, ta: 88, mia: 100, seconds: 100);
        WriteCell(temp.Path, recipe, "retrain", 2, ua: 100, ra: 92, ta: 90, mia: 100, seconds: 120);
        WriteCell(temp.Path, recipe, "famr", 1, ua: 98, ra: 86, ta: 84, mia: 100, seconds: 10, miaDegenerate: true);
        WriteCell(temp.Path, recipe, "famr", 2, ua: 100, ra: 88, ta: 86, mia: 100, seconds: 12);
        WriteCell(temp.Path, recipe, "finetune", 1, ua: 10, ra: 95, ta: 91, mia: 20, seconds: 5);
        WriteCell(temp.Path, recipe, "finetune", 2, ua: 20, ra: 97, ta: 93, mia: 30, seconds: 7);

        Leaderboard board = LeaderboardBuilder.Build([temp.Path]);
        LeaderboardTable table = Assert.Single(board.Tables);
        Assert.Equal([0, 1, 0], table.Rows.Select(r => r.MiaDegenerateSeeds));
        string markdown = LeaderboardWriter.MarkdownTable(board, table);
        string[] lines = markdown.Split('\n');
        Assert.Contains("100.00 ± 0.00 †", lines.Single(l => l.StartsWith("| famr |", StringComparison.Ordinal)), StringComparison.Ordinal);
        Assert.DoesNotContain("†", lines.Single(l => l.StartsWith("| retrain |", StringComparison.Ordinal)), StringComparison.Ordinal);
        Assert.Contains("† MIA-efficacy from degenerate forget outputs: famr (1 of 2 seeds)", markdown, StringComparison.Ordinal);

        IReadOnlyList<string> files = LeaderboardWriter.WriteAll(board, temp.Combine("board"));
        string[] csv = File.ReadAllLines(temp.Combine("board", "leaderboard.csv"));
        string[] header = csv[0].Split(',');
        Assert.Equal("1", csv.Single(l => l.Contains(",famr,", StringComparison.Ordinal)).Split(',')[Array.IndexOf(header, "mia_degenerate_seeds")]);
        Assert.Contains("^{\\dagger}", File.ReadAllText(temp.Combine("board", "leaderboard.tex")), StringComparison.Ordinal);
    }

    [Fact]
    public void Build_DirectoriesOfDifferentProtocols_IsRefused()
    {
        using var temp = new TempDirectory();
        WriteHandCells(temp.Combine("a"), HandRecipe());
        SweepDirectory.Initialize(temp.Combine("b"), ProtocolTestRecipes.Recipe(seeds: 3, gridPoints: 0));
        var e = Assert.Throws<InvalidOperationException>(() => LeaderboardBuilder.Build([temp.Combine("a"), temp.Combine("b")]));
        Assert.Contains("merge one protocol at a time", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_ShardDirectoriesMerged_EqualOneDirectory()
    {
        using var temp = new TempDirectory();
        ProtocolRecipe recipe = HandRecipe();
        WriteHandCells(temp.Combine("whole"), recipe);
        // The same cells split over two directories (shards that wrote to separate disks).
        foreach (string id in SweepDirectory.ReadCells(temp.Combine("whole")).Keys)
        {
            string target = id.EndsWith("s1", StringComparison.Ordinal) ? "part1" : "part2";
            SweepDirectory.Initialize(temp.Combine(target), recipe);
            CopyDirectory(SweepDirectory.Cell(temp.Combine("whole"), id), SweepDirectory.Cell(temp.Combine(target), id));
        }
        string whole = LeaderboardWriter.Csv(LeaderboardBuilder.Build([temp.Combine("whole")]));
        string parts = LeaderboardWriter.Csv(LeaderboardBuilder.Build([temp.Combine("part1"), temp.Combine("part2")]));
        Assert.Equal(whole, parts);
    }

    private static void CopyDirectory(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (string file in Directory.GetFiles(from))
        {
            File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
        }
    }
}
