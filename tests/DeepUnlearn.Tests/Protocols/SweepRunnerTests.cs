using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using DeepUnlearn.Engine;
using DeepUnlearn.Protocols;
using DeepUnlearn.Reporting;
using DeepUnlearn.Tests.Data;
using Xunit;

namespace DeepUnlearn.Tests.Protocols;

public class SweepRunnerTests
{
    private static SweepSummary Sweep(ProtocolRecipe recipe, string directory, SyntheticCellRunner? runner = null, bool allowWeak = false, Shard? shard = null) =>
        new SweepRunner(recipe, directory, runner ?? new SyntheticCellRunner(10), new SweepOptions
        {
            AllowWeakOriginal = allowWeak,
            Shard = shard ?? Shard.Whole,
            PollInterval = TimeSpan.FromMilliseconds(20),
        }).Run();

    [Fact]
    public void Run_WritesEveryCellWithItsManifest_AndSkipsThemOnReRun()
    {
        using var temp = new TempDirectory();
        ProtocolRecipe recipe = ProtocolTestRecipes.Recipe(seeds: 2);
        SweepSummary first = Sweep(recipe, temp.Path);
        SweepPlan plan = SweepPlan.Create(recipe);
        Assert.Equal(plan.All.Count(), first.Ran);
        Assert.Empty(first.Failed);
        var cells = SweepDirectory.ReadCells(temp.Path);
        Assert.Equal(plan.All.Select(c => c.Id).Order(StringComparer.Ordinal), cells.Keys);
        CellManifest manifest = cells["finetune.trouser.s1"].Manifest;
        Assert.Equal(recipe.Hash, manifest.RecipeHash);
        Assert.Equal("full", manifest.Scale);
        Assert.Equal(1UL, manifest.Seed);
        Assert.Equal("classes:Trouser", manifest.Request);
        Assert.Equal("synthetic", manifest.Engine.Runner);
        Assert.Equal("1", manifest.Settings["epochs"]);
        Assert.NotNull(manifest.OracleKey);
        Assert.Equal(manifest.Original.Key, cells["retrain.trouser.s1"].Manifest.Original.Key);

        SweepSummary second = Sweep(recipe, temp.Path);
        Assert.Equal(0, second.Ran);
        Assert.Equal(plan.All.Count(), second.Skipped);
    }

    [Fact]
    public void Run_OraclesAreSharedByTheCellsOfARequestAndSeed()
    {
        using var temp = new TempDirectory();
        var runner = new SyntheticCellRunner(10) { TrainingLog = temp.Combine("trainings") };
        Sweep(ProtocolTestRecipes.Recipe(seeds: 3), temp.Combine("out"), runner);
        string[] trainings = Directory.GetFiles(temp.Combine("trainings")).Select(f => Path.GetFileName(f)).ToArray();
        // One original; one oracle per (request, seed): trouser × 3 seeds + val-pullover × 2 validation seeds.
        Assert.Single(trainings, t => t.StartsWith("original-", StringComparison.Ordinal));
        Assert.Equal(5, trainings.Count(t => t.StartsWith("oracle-", StringComparison.Ordinal)));
        var cells = SweepDirectory.ReadCells(temp.Combine("out"));
        Assert.Equal(cells["famr.trouser.s2"].Manifest.OracleKey, cells["finetune.trouser.s2"].Manifest.OracleKey);
        Assert.NotEqual(cells["famr.trouser.s2"].Manifest.OracleKey, cells["famr.trouser.s3"].Manifest.OracleKey);
    }

    [Fact]
    public void Run_Bf16SweepOnAStoreOfFloat32Oracles_TrainsItsOwnAndReusesNone()
    {
        using var temp = new TempDirectory();
        ProtocolRecipe recipe = ProtocolTestRecipes.Recipe(seeds: 1, gridPoints: 0);
        SweepSummary Run(string output, PrecisionPolicy precision) => new SweepRunner(recipe, temp.Combine(output),
            new SyntheticCellRunner(10) { TrainingLog = temp.Combine("trainings"), PrecisionPolicy = precision },
            new SweepOptions { OracleDirectory = temp.Combine("oracles"), PollInterval = TimeSpan.FromMilliseconds(20) }).Run();
        int Trainings(string kind) => Directory.GetFiles(temp.Combine("trainings")).Count(f => Path.GetFileName(f).StartsWith(kind + "-", StringComparison.Ordinal));

        Run("fp32", PrecisionPolicy.Off);
        int oracles = Trainings("oracle");
        Assert.True(oracles > 0);
        Run("fp32-again", PrecisionPolicy.Off);
        Assert.Equal(oracles, Trainings("oracle"));
        Run("bf16", new PrecisionPolicy(TorchSharp.torch.ScalarType.BFloat16, false, false, "--amp bf16"));

        Assert.Equal(2 * oracles, Trainings("oracle"));
        Assert.Equal(2, Trainings("original"));
        var fp32 = SweepDirectory.ReadCells(temp.Combine("fp32"));
        var bf16 = SweepDirectory.ReadCells(temp.Combine("bf16"));
        Assert.Equal(fp32.Keys, bf16.Keys);
        Assert.All(fp32.Keys, id => Assert.NotEqual(fp32[id].Manifest.OracleKey, bf16[id].Manifest.OracleKey));
        Assert.All(fp32.Keys, id => Assert.NotEqual(fp32[id].Manifest.Original.Key, bf16[id].Manifest.Original.Key));
    }

    [Fact]
    public void Run_FailingCell_IsRecordedTheOthersFinish_AndAReRunRetriesIt()
    {
        using var temp = new TempDirectory();
        ProtocolRecipe recipe = ProtocolTestRecipes.Recipe(seeds: 2);
        SweepSummary first = Sweep(recipe, temp.Path, new SyntheticCellRunner(10) { FailingCells = ["finetune.trouser.s2"] });
        var (id, error) = Assert.Single(first.Failed);
        Assert.Equal("finetune.trouser.s2", id);
        Assert.Contains("synthetic failure", error, StringComparison.Ordinal);
        Assert.Equal(SweepPlan.Create(recipe).All.Count() - 1, first.Ran);
        CellRecord failed = SweepDirectory.ReadCells(temp.Path)[id];
        Assert.Equal(CellManifest.StatusFailed, failed.Manifest.Status);
        Assert.Null(failed.Metrics);

        SweepSummary second = Sweep(recipe, temp.Path);
        Assert.Equal(1, second.Ran);
        Assert.Empty(second.Failed);
        Assert.True(SweepDirectory.ReadCells(temp.Path)[id].Ok);
    }

    [Fact]
    public void Run_OriginalBelowExpectation_IsRefused_UnlessAllowed_ThenRecorded()
    {
        using var temp = new TempDirectory();
        ProtocolRecipe recipe = ProtocolTestRecipes.Recipe(seeds: 1, gridPoints: 0, expectedAccuracy: 80);
        var weak = new SyntheticCellRunner(10) { OriginalTestAccuracy = 71.5 };
        var e = Assert.Throws<OriginalGuardException>(() => Sweep(recipe, temp.Path, weak));
        Assert.Contains("71.50%", e.Message, StringComparison.Ordinal);
        Assert.Contains("80.00%", e.Message, StringComparison.Ordinal);
        Assert.Contains(OriginalGuard.OverrideFlag, e.Message, StringComparison.Ordinal);
        Assert.Empty(SweepDirectory.ReadCells(temp.Path));

        SweepSummary allowed = Sweep(recipe, temp.Path, weak, allowWeak: true);
        Assert.Equal(OriginalCheck.BelowExpected, allowed.Original.Verdict);
        Assert.All(SweepDirectory.ReadCells(temp.Path).Values, c => Assert.Equal(OriginalCheck.BelowExpected, c.Manifest.Original.Verdict));
        Leaderboard board = LeaderboardBuilder.Build([temp.Path]);
        Assert.Contains(LeaderboardWriter.Banners(board), b => b.StartsWith("ORIGINAL:", StringComparison.Ordinal) && b.Contains(OriginalGuard.OverrideFlag, StringComparison.Ordinal));
    }

    [Fact]
    public void Run_NoExpectedAccuracy_WarnsOnTheLeaderboard()
    {
        using var temp = new TempDirectory();
        SweepSummary summary = Sweep(ProtocolTestRecipes.Recipe(seeds: 1, gridPoints: 0, expectedAccuracy: null), temp.Path);
        Assert.Equal("no-expectation", summary.Original.Verdict);
        Assert.Contains(LeaderboardWriter.Banners(LeaderboardBuilder.Build([temp.Path])), b => b.Contains("nothing guards", StringComparison.Ordinal));
    }

    [Fact]
    public void Run_DerivedScaleWithoutExpectation_WarnsWithTheFullRecipesExpectationBesideTheOriginalsAccuracy()
    {
        using var temp = new TempDirectory();
        ProtocolRecipe recipe = ProtocolTestRecipes.Recipe(seeds: 1, gridPoints: 0, expectedAccuracy: 85, extra: """
        , "scales": { "small": { "description": "fewer", "seeds": [1] } }
        """).WithScale("small");
        SweepSummary summary = Sweep(recipe, temp.Path, new SyntheticCellRunner(10) { OriginalTestAccuracy = 74.75 });
        Assert.Equal("no-expectation", summary.Original.Verdict);
        string banner = Assert.Single(LeaderboardWriter.Banners(LeaderboardBuilder.Build([temp.Path])), b => b.StartsWith("ORIGINAL:", StringComparison.Ordinal));
        Assert.Contains("its test accuracy: 74.75%", banner, StringComparison.Ordinal);
        Assert.Contains("the full recipe expects ≥ 85.00% (the test)", banner, StringComparison.Ordinal);
        Assert.Contains("undertrained", banner, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_AnotherRecipeInTheSameDirectory_IsRefused()
    {
        using var temp = new TempDirectory();
        Sweep(ProtocolTestRecipes.Recipe(seeds: 1, gridPoints: 0), temp.Path);
        var e = Assert.Throws<InvalidOperationException>(() => Sweep(ProtocolTestRecipes.Recipe(seeds: 2, gridPoints: 0), temp.Path));
        Assert.Contains("use another --out", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_Search_ChoosesTheSmallestValidationGap_AndReportedCellsUseIt()
    {
        using var temp = new TempDirectory();
        ProtocolRecipe recipe = ProtocolTestRecipes.Recipe(seeds: 2, gridPoints: 3);
        SweepSummary summary = Sweep(recipe, temp.Path);
        SelectionRecord selection = Assert.Single(summary.Selections);
        Assert.Equal("val-pullover", selection.ValidationRequest);

        // Recompute the criterion from the published validation cells' files.
        var cells = SweepDirectory.ReadCells(temp.Path);
        CellMetrics[] oracle = cells.Values.Where(c => c.Manifest.Method == "retrain" && c.Manifest.RequestId == "val-pullover").Select(c => c.Metrics!).ToArray();
        Assert.Equal(2, oracle.Length);
        var gaps = new Dictionary<int, double>();
        foreach (var group in cells.Values.Where(c => c.Manifest.Method == "famr" && c.Manifest.Stage == "validation").GroupBy(c => c.Manifest.GridIndex!.Value))
        {
            CellMetrics[] runs = group.Select(c => c.Metrics!).ToArray();
            gaps[group.Key] = (Math.Abs(runs.Average(m => m.UnlearningAccuracy) - oracle.Average(m => m.UnlearningAccuracy))
                + Math.Abs(runs.Average(m => m.RetainAccuracy) - oracle.Average(m => m.RetainAccuracy))
                + Math.Abs(runs.Average(m => m.ValidationAccuracy!.Value) - oracle.Average(m => m.ValidationAccuracy!.Value))
                + Math.Abs(runs.Average(m => m.MiaEfficacy) - oracle.Average(m => m.MiaEfficacy))) / 4;
        }
        Assert.Equal(3, gaps.Count);
        int best = gaps.OrderBy(kv => kv.Value).First().Key;
        Assert.Equal(best, selection.ChosenIndex);
        string chosenRho = recipe.Method("famr").GridPoints()[best]["rho"];
        Assert.Equal(chosenRho, selection.Chosen!["rho"]);
        foreach (CellRecord reported in cells.Values.Where(c => c.Manifest.Method == "famr" && c.Manifest.Stage == "report"))
        {
            Assert.Equal(chosenRho, reported.Manifest.Settings["rho"]);
            Assert.Equal("2", reported.Manifest.Settings["epochs"]);
            Assert.Empty(reported.Manifest.GridPoint);
        }
        // No grid point ran on the reported request.
        Assert.DoesNotContain(cells.Values, c => c.Manifest.RequestId == "trouser" && c.Manifest.GridIndex is not null);
        SelectionRecord stored = JsonFile.Read<List<SelectionRecord>>(temp.Combine(SweepDirectory.SelectionsFile))[0];
        Assert.Equal(best, stored.ChosenIndex);
        string markdown = LeaderboardWriter.Markdown(LeaderboardBuilder.Build([temp.Path]));
        Assert.Contains($"chose **rho={chosenRho}**", markdown, StringComparison.Ordinal);

        // The grid is written with the choice, and a choice at either end of it is flagged everywhere.
        GridAxis axis = Assert.Single(stored.Grid);
        Assert.Equal(recipe.Method("famr").Grid[0].Values, axis.Values);
        Assert.Contains("grid rho ∈ [" + string.Join(", ", axis.Values) + "]", markdown, StringComparison.Ordinal);
        bool atEdge = best == 0 || best == axis.Values.Count - 1;
        Assert.Equal(atEdge, stored.EdgeWarnings.Count == 1);
        Assert.Equal(atEdge, markdown.Contains("GRID EDGE: famr: rho = " + chosenRho, StringComparison.Ordinal));
    }

    [Fact]
    public void Run_ShardsInSequence_CompleteTheSweep_AndLaterShardsRunOrphanedValidationCells()
    {
        using var temp = new TempDirectory();
        ProtocolRecipe recipe = ProtocolTestRecipes.Recipe(seeds: 3, gridPoints: 2);
        // Shard 1 of 2 alone: its own validation cells, then the orphaned ones of shard 0 (nobody holds them), then its report cells.
        SweepSummary one = Sweep(recipe, temp.Path, shard: new Shard(1, 2));
        SweepPlan plan = SweepPlan.Create(recipe);
        Assert.Equal(new Shard(0, 2).Select(plan.Validation).Count, one.Helped);
        Assert.Empty(one.Failed);
        SweepSummary zero = Sweep(recipe, temp.Path, shard: new Shard(0, 2));
        Assert.Equal(new Shard(0, 2).Select(plan.Report).Count, zero.Ran);
        Assert.Equal(plan.All.Count(), SweepDirectory.ReadCells(temp.Path).Count);
        Assert.Empty(LeaderboardBuilder.Build([temp.Path]).Missing);
    }

    private static SweepSummary AttackSweep(ProtocolRecipe recipe, string directory, SyntheticCellRunner runner, int? k, Shard? shard = null) =>
        new SweepRunner(recipe, directory, runner, new SweepOptions
        {
            Shard = shard ?? Shard.Whole,
            PollInterval = TimeSpan.FromMilliseconds(20),
            OracleDirectory = Path.Combine(directory, "..", "store"),
            Attacks = k is int K ? new DeepUnlearn.Evaluation.Attacks.PerExampleAttackOptions { ReferenceModels = K } : null,
        }).Run();

    private static int OracleTrainings(string log) =>
        Directory.Exists(log) ? Directory.GetFiles(log).Count(f => Path.GetFileName(f).StartsWith("oracle-", StringComparison.Ordinal)) : 0;

    [Fact]
    public void Run_AttacksOverTwoShards_ReferencesTrainedOnceInTheStoreAndTheSecondShardTrainsNone()
    {
        using var temp = new TempDirectory();
        ProtocolRecipe recipe = ProtocolTestRecipes.Recipe(seeds: 2, gridPoints: 0);
        var runner = new SyntheticCellRunner(10) { TrainingLog = temp.Combine("trainings") };
        // K = 3 with two seeds of one forget set: the other seed's oracle is one reference, seeds 1000 and 1001 the others.
        // Shard 0/2 holds famr.s1, finetune.s1, retrain.s1: its oracle (seed 1) and the two references.
        AttackSweep(recipe, temp.Combine("out"), runner, k: 3, shard: new Shard(0, 2));
        Assert.Equal(3, OracleTrainings(temp.Combine("trainings")));
        // Shard 1/2 (famr.s2, finetune.s2, retrain.s2) trains its own cells' oracle, as without --attacks, and no reference.
        AttackSweep(recipe, temp.Combine("out"), runner, k: 3, shard: new Shard(1, 2));
        Assert.Equal(4, OracleTrainings(temp.Combine("trainings")));

        var cells = SweepDirectory.ReadCells(temp.Combine("out"));
        foreach (ulong seed in new ulong[] { 1, 2 })
        {
            CellAttackOutputs retrain = CellAttackOutputs.Read(cells[$"retrain.trouser.s{seed}"].Directory)!;
            Assert.Equal(3, retrain.ReferenceModels);
            Assert.Equal([1000UL, 1001UL], retrain.Models.Where(m => m.Role == AttackModelOutputs.Reference).Select(m => m.Seed));
            Assert.Single(retrain.Models, m => m.Role == AttackModelOutputs.Original);
            Assert.Single(CellAttackOutputs.Read(cells[$"famr.trouser.s{seed}"].Directory)!.Models, m => m.Role == AttackModelOutputs.Unlearned);
        }
        // A second sweep of the recipe on the same store (another job array) trains nothing at all.
        AttackSweep(recipe, temp.Combine("again"), runner, k: 3);
        Assert.Equal(4, OracleTrainings(temp.Combine("trainings")));
        LeaderboardTable table = Assert.Single(LeaderboardBuilder.Build([temp.Combine("out")]).Tables);
        Assert.Equal(3, table.Attacks!.ReferenceModels);
        Assert.All(table.Rows.Where(r => r.Method != Cell.Retrain), r => Assert.NotNull(r.ULiraAuc));
    }

    [Fact]
    public void Run_AttacksOnAFinishedSweep_RerunsTheReportCellsWithoutOutputs_AndRetrainCellsOnlyForAnotherK()
    {
        using var temp = new TempDirectory();
        ProtocolRecipe recipe = ProtocolTestRecipes.Recipe(seeds: 2, gridPoints: 2);
        var runner = new SyntheticCellRunner(10);
        SweepPlan plan = SweepPlan.Create(recipe);
        AttackSweep(recipe, temp.Combine("out"), runner, k: null);

        SweepSummary withAttacks = AttackSweep(recipe, temp.Combine("out"), runner, k: 2);
        Assert.Equal(plan.Report.Count, withAttacks.Ran);
        Assert.Equal(plan.Validation.Count, withAttacks.Skipped);
        Assert.Equal(0, AttackSweep(recipe, temp.Combine("out"), runner, k: 2).Ran);

        SweepSummary otherK = AttackSweep(recipe, temp.Combine("out"), runner, k: 3);
        Assert.Equal(plan.Report.Count(c => c.IsRetrain), otherK.Ran);
    }
}
