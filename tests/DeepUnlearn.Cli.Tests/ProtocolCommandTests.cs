using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using DeepUnlearn.Engine;
using Xunit;

namespace DeepUnlearn.Cli.Tests;

/// <summary>
/// sweep / merge / oracles / reproduce through the command line: several real processes on one sweep directory
/// (the synthetic runner, for speed), and one end-to-end run through the real engine on tiny generated data.
/// </summary>
public sealed class ProtocolCommandTests : IDisposable
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromMinutes(5);

    private readonly string _root = Path.Combine(Path.GetTempPath(), "du-protocol-cli-" + Guid.NewGuid().ToString("N"));

    public ProtocolCommandTests() => Directory.CreateDirectory(_root);

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private string PathOf(string name) => Path.Combine(_root, name);

    private string WriteRecipe(string name = "cli-protocol", string dataset = "\"name\": \"fashion-mnist\", \"spec\": \"fashion-mnist\", \"num_classes\": 10",
        string requests = "{ \"id\": \"trouser\", \"forget\": \"classes:Trouser\", \"validation\": \"val-pullover\" }, { \"id\": \"val-pullover\", \"forget\": \"classes:Pullover\", \"role\": \"validation\" }",
        string methods = "{ \"label\": \"famr\", \"settings\": { \"epochs\": 2 }, \"grid\": { \"rho\": [0.5, 1, 2] } }, { \"label\": \"finetune\" }, { \"label\": \"ssd\" }",
        string seeds = "[1, 2, 3]", string validationSeeds = "[1, 2]", string training = "\"epochs\": 2", string extra = "")
    {
        string path = PathOf(name + ".json");
        File.WriteAllText(path, $$"""
        {
          "schema": "deepunlearn.protocol/1",
          "name": "{{name}}",
          "title": "CLI test protocol",
          "dataset": { {{dataset}} },
          "model": { "name": "smallcnn" },
          "training": { {{training}} },
          "original": { "seed": 0, "expected_test_accuracy": 50, "expected_source": "the test" },
          "requests": [ {{requests}} ],
          "methods": [ {{methods}} ],
          "seeds": {{seeds}},
          "validation_seeds": {{validationSeeds}}{{extra}}
        }
        """);
        return path;
    }

    /// <summary>How many times each artefact was trained, from the synthetic runner's training log.</summary>
    private static Dictionary<string, int> Trainings(string log) =>
        Directory.GetFiles(log).Select(f => Path.GetFileName(f)).GroupBy(f => string.Join('-', f.Split('-').Take(2))).ToDictionary(g => g.Key, g => g.Count());

    private static string Section(string leaderboardJson, string key) => JsonNode.Parse(leaderboardJson)![key]!.ToJsonString();

    [Fact]
    public async Task Sweep_ThreeParallelShardProcesses_MergeToTheSameTablesAsOneProcess()
    {
        string recipe = WriteRecipe();
        var (exit, _, error) = await CliProcess.Start("sweep", recipe, "--synthetic", "--out", PathOf("one")).WaitAsync(s_timeout);
        Assert.True(exit == Program.ExitOk, error);

        CliProcess.Running[] shards = Enumerable.Range(0, 3).Select(k => CliProcess.Start(
            "sweep", recipe, "--synthetic", "--out", PathOf("sharded"), "--shard", $"{k}/3", "--synthetic-delay-ms", "150",
            "--synthetic-training-log", PathOf("log"), "--poll-seconds", "0.05")).ToArray();
        foreach (CliProcess.Running shard in shards)
        {
            var (shardExit, output, shardError) = await shard.WaitAsync(s_timeout);
            Assert.True(shardExit == Program.ExitOk, shardError);
            Assert.Contains("0 failed", output, StringComparison.Ordinal);
        }

        // Every original and oracle was trained exactly once although three processes needed them.
        Dictionary<string, int> trainings = Trainings(PathOf("log"));
        Assert.Equal(1, trainings.Count(t => t.Key.StartsWith("original", StringComparison.Ordinal)));
        Assert.Equal(3 + 2, trainings.Count(t => t.Key.StartsWith("oracle", StringComparison.Ordinal)));
        Assert.All(trainings, t => Assert.Equal(1, t.Value));

        foreach (string name in new[] { "one", "sharded" })
        {
            var (mergeExit, _, mergeError) = CliRunner.RunWithErrors("merge", PathOf(name), "--out", PathOf(name + "-board"));
            Assert.True(mergeExit == Program.ExitOk, mergeError);
        }
        string one = File.ReadAllText(Path.Combine(PathOf("one-board"), "leaderboard.json"));
        string sharded = File.ReadAllText(Path.Combine(PathOf("sharded-board"), "leaderboard.json"));
        Assert.Equal(Section(one, "tables"), Section(sharded, "tables"));
        Assert.Equal(Section(one, "selections"), Section(sharded, "selections"));
        Assert.Equal(File.ReadAllText(Path.Combine(PathOf("one-board"), "leaderboard.csv")), File.ReadAllText(Path.Combine(PathOf("sharded-board"), "leaderboard.csv")));
        Assert.Contains("SYNTHETIC", File.ReadAllText(Path.Combine(PathOf("sharded-board"), "leaderboard.md")), StringComparison.Ordinal);
        Assert.Equal("[]", Section(sharded, "missing"));
    }

    [Fact]
    public async Task Sweep_TwoProcessesOnTheSameCells_WaitOnTheLocksInsteadOfTrainingTwice()
    {
        string recipe = WriteRecipe(methods: "{ \"label\": \"finetune\" }, { \"label\": \"ssd\" }", seeds: "[1, 2]");
        CliProcess.Running[] twins = Enumerable.Range(0, 2).Select(_ => CliProcess.Start(
            "sweep", recipe, "--synthetic", "--out", PathOf("twins"), "--synthetic-delay-ms", "400",
            "--synthetic-training-log", PathOf("log"), "--poll-seconds", "0.05")).ToArray();
        string errors = "";
        foreach (CliProcess.Running twin in twins)
        {
            var (exit, _, error) = await twin.WaitAsync(s_timeout);
            Assert.True(exit == Program.ExitOk, error);
            errors += error;
        }
        Dictionary<string, int> trainings = Trainings(PathOf("log"));
        Assert.Equal(3, trainings.Count);       // the original and two oracles (trouser × 2 seeds)
        Assert.All(trainings, t => Assert.Equal(1, t.Value));
        Assert.Contains("waiting for", errors, StringComparison.Ordinal);

        var (verifyExit, verifyOutput) = CliRunner.Run("oracles", "verify", PathOf("twins"));
        Assert.Equal(Program.ExitOk, verifyExit);
        Assert.Contains("3 artefacts, 0 broken", verifyOutput, StringComparison.Ordinal);
        var (listExit, listOutput) = CliRunner.Run("oracles", "list", PathOf("twins"));
        Assert.Equal(Program.ExitOk, listExit);
        Assert.Contains("| original |", listOutput, StringComparison.Ordinal);
        Assert.Contains("classes:Trouser", listOutput, StringComparison.Ordinal);
    }

    [Fact]
    public void OraclesVerify_TamperedModel_FailsAndNamesIt()
    {
        string recipe = WriteRecipe(methods: "{ \"label\": \"finetune\" }", seeds: "[1]");
        Assert.Equal(Program.ExitOk, CliRunner.RunWithErrors("sweep", recipe, "--synthetic", "--out", PathOf("s")).ExitCode);
        string oracle = Directory.GetDirectories(Path.Combine(PathOf("s"), "oracles"), "retrain-*").First();
        File.AppendAllText(Path.Combine(oracle, "model.txt"), "tampered");
        var (exit, output) = CliRunner.Run("oracles", "verify", PathOf("s"));
        Assert.Equal(Program.ExitFailure, exit);
        Assert.Contains($"BROKEN  {Path.GetFileName(oracle)}", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Reproduce_Synthetic_PrintsOursBesideThePublishedFigures()
    {
        string recipe = WriteRecipe(methods: "{ \"label\": \"finetune\" }", seeds: "[1, 2]", extra: """
            , "published": { "source": "A Paper (2024)", "tables": [ { "request": "trouser", "table": "Table 3", "rows": [
                { "method": "retrain", "paper_name": "Retrain", "ua": 100 }, { "method": "finetune", "paper_name": "FT" } ] } ] },
              "scales": { "small": { "description": "a smaller budget", "seeds": [1] } }
            """);
        var (exit, output, error) = CliRunner.RunWithErrors("reproduce", recipe, "--synthetic", "--scale", "small", "--out", PathOf("r"));
        Assert.True(exit == Program.ExitOk, error);
        Assert.Contains("SCALE SMALL: a smaller budget", output, StringComparison.Ordinal);
        Assert.Contains("UA ours | UA paper", output, StringComparison.Ordinal);
        Assert.Contains("| retrain (Retrain) | 100.00 | 100.00 (unverified) |", output, StringComparison.Ordinal);
        Assert.Contains("| finetune (FT) |", output, StringComparison.Ordinal);
        Assert.Contains("unknown", output, StringComparison.Ordinal);
        Assert.Contains("Table 3", output, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(PathOf("r"), "leaderboard", "leaderboard.tex")));
    }

    [Theory]
    [InlineData("--shard", "3/3", "i/n with 0 <= i < n")]
    [InlineData("--scale", "huge", "valid: full")]
    [InlineData("--amp", "int8", "auto, off, bf16, fp16")]
    [InlineData("--channels-last", "nhwc", "auto, on, off")]
    public void Sweep_BadOption_FailsBeforeAnyWork(string option, string value, string expected)
    {
        string recipe = WriteRecipe();
        var (exit, _, error) = CliRunner.RunWithErrors("sweep", recipe, "--synthetic", "--out", PathOf("bad"), option, value);
        Assert.NotEqual(Program.ExitOk, exit);
        Assert.Contains(expected, error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(PathOf("bad")));
    }

    [Fact]
    public void Sweep_RecipeError_NamesTheFileAndTheKey()
    {
        string recipe = WriteRecipe(training: "\"epochs\": 2, \"lr\": 0.1");
        var (exit, _, error) = CliRunner.RunWithErrors("sweep", recipe, "--synthetic", "--out", PathOf("bad"));
        Assert.Equal(Program.ExitFailure, exit);
        Assert.Contains("cli-protocol.json", error, StringComparison.Ordinal);
        Assert.Contains("learning_rate", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sweep_RealEngineOnTinyData_EndToEnd_ThenResumesWithoutWork()
    {
        TrainedIdxRun.WriteIdx(PathOf("data"), "train", 160, seed: 1);
        TrainedIdxRun.WriteIdx(PathOf("data"), "t10k", 40, seed: 2);
        string recipe = WriteRecipe(
            name: "tiny-engine",
            dataset: $"\"name\": \"idx\", \"spec\": \"idx:{PathOf("data")}\", \"num_classes\": 4",
            requests: "{ \"id\": \"class-1\", \"forget\": \"classes:1\", \"validation\": \"val-class-2\" }, { \"id\": \"val-class-2\", \"forget\": \"classes:2\", \"role\": \"validation\" }",
            methods: "{ \"label\": \"famr\", \"settings\": { \"epochs\": 3, \"batch_size\": 32, \"learning_rate\": 0.05 }, \"grid\": { \"rho\": [0.1, 10] } }",
            seeds: "[0]", validationSeeds: "[0]", training: "\"epochs\": 2, \"batch_size\": 32, \"learning_rate\": 0.05");
        var (exit, output, error) = await CliProcess.Start("sweep", recipe, "--out", PathOf("engine"), "--device", "cpu", "--workers", "0").WaitAsync(s_timeout);
        Assert.True(exit == Program.ExitOk, error);
        Assert.Contains("5 ran", output, StringComparison.Ordinal);

        var cells = Directory.GetDirectories(Path.Combine(PathOf("engine"), "cells")).Where(d => !Path.GetFileName(d).StartsWith('.')).ToArray();
        Assert.Equal(5, cells.Length);
        using JsonDocument manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(PathOf("engine"), "cells", "famr.class-1.s0", "manifest.json")));
        JsonElement engine = manifest.RootElement.GetProperty("engine");
        Assert.Equal("engine", engine.GetProperty("runner").GetString());
        Assert.Equal("cpu", engine.GetProperty("device").GetString());
        // The libtorch the sweep process ran on (TorchSharp's torch.__version__), not TorchSharp's own version.
        string libtorch = TorchRuntime.EnsureInitialized().LibTorchVersion;
        Assert.Equal(libtorch, engine.GetProperty("libtorch").GetString());
        Assert.Equal("ok", manifest.RootElement.GetProperty("original").GetProperty("verdict").GetString());

        using JsonDocument retrain = JsonDocument.Parse(File.ReadAllText(Path.Combine(PathOf("engine"), "cells", "retrain.class-1.s0", "metrics.json")));
        // The retrained model never saw class 1: on these separable quadrants it never predicts it.
        Assert.Equal(100, retrain.RootElement.GetProperty("unlearning_accuracy").GetDouble());
        Assert.True(retrain.RootElement.GetProperty("validation_accuracy").GetDouble() > 50);

        var (mergeExit, board, mergeError) = CliRunner.RunWithErrors("merge", PathOf("engine"));
        Assert.True(mergeExit == Program.ExitOk, mergeError);
        Assert.Contains("| famr | 1 |", board, StringComparison.Ordinal);
        Assert.Contains($"engine runner, libtorch {libtorch}, cpu,", board, StringComparison.Ordinal);
        Assert.Equal(Program.ExitOk, CliRunner.Run("oracles", "verify", PathOf("engine")).ExitCode);

        var (again, againOutput, againError) = await CliProcess.Start("sweep", recipe, "--out", PathOf("engine"), "--device", "cpu", "--workers", "0").WaitAsync(s_timeout);
        Assert.True(again == Program.ExitOk, againError);
        Assert.Contains("0 ran, 5 already done", againOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sweep_RealEngineAttacks_TwoShardTasksShareTheReferences_AndTheMergeCarriesTheAttackColumns()
    {
        TrainedIdxRun.WriteIdx(PathOf("data"), "train", 160, seed: 1);
        TrainedIdxRun.WriteIdx(PathOf("data"), "t10k", 40, seed: 2);
        string recipe = WriteRecipe(
            name: "tiny-attacks",
            dataset: $"\"name\": \"idx\", \"spec\": \"idx:{PathOf("data")}\", \"num_classes\": 4",
            requests: "{ \"id\": \"class-1\", \"forget\": \"classes:1\", \"validation\": \"val-class-2\" }, { \"id\": \"val-class-2\", \"forget\": \"classes:2\", \"role\": \"validation\" }",
            methods: "{ \"label\": \"ssd\" }",
            seeds: "[0, 1]", validationSeeds: "[0]", training: "\"epochs\": 2, \"batch_size\": 32, \"learning_rate\": 0.05");
        string store = Path.Combine(PathOf("attacks"), "oracles");
        int Retrains() => Directory.Exists(store) ? Directory.GetDirectories(store, "retrain-*").Length : 0;
        string[] Sweep(int shard) => ["sweep", recipe, "--out", PathOf("attacks"), "--shard", $"{shard}/2", "--attacks", "--attack-references", "2", "--device", "cpu", "--workers", "0"];

        // Cells by id: retrain.s0, retrain.s1, ssd.s0, ssd.s1; task 0/2 runs retrain.s0 and ssd.s0. K = 2 with two seeds
        // of one forget set: seed 1's oracle is one reference, one extra retrain (seed 1000) the other.
        var (exit, _, error) = await CliProcess.Start(Sweep(0)).WaitAsync(s_timeout);
        Assert.True(exit == Program.ExitOk, error);
        Assert.Equal(2, Retrains());
        Assert.Contains("attack reference 1/1 (oracle of 'classes:1' with seed 1000)", error, StringComparison.Ordinal);

        // Task 1/2 (retrain.s1, ssd.s1) finds the reference in the store: its one training is its own cells' oracle.
        var (second, _, secondError) = await CliProcess.Start(Sweep(1)).WaitAsync(s_timeout);
        Assert.True(second == Program.ExitOk, secondError);
        Assert.Contains("attack reference 1/1 (oracle of 'classes:1' with seed 1000)", secondError, StringComparison.Ordinal);
        Assert.Single(secondError.Split('\n'), l => l.Contains("training retrain", StringComparison.Ordinal));
        Assert.Equal(3, Retrains());

        var (mergeExit, board, mergeError) = CliRunner.RunWithErrors("merge", PathOf("attacks"));
        Assert.True(mergeExit == Program.ExitOk, mergeError);
        Assert.Contains("| U-LiRA AUC | TPR@0.1% | F | Pareto |", board, StringComparison.Ordinal);
        Assert.Contains("| do nothing |", board, StringComparison.Ordinal);
        string leaderboard = Directory.GetFiles(PathOf("attacks"), "leaderboard.json", SearchOption.AllDirectories).Single();
        using JsonDocument json = JsonDocument.Parse(File.ReadAllText(leaderboard));
        JsonElement table = json.RootElement.GetProperty("tables")[0];
        JsonElement ssd = table.GetProperty("rows").EnumerateArray().Single(r => r.GetProperty("method").GetString() == "ssd");
        Assert.InRange(ssd.GetProperty("u_lira_auc").GetDouble(), 0, 1);
        // Two unlearned models per side, pooled: 2 seeds × the forget set's examples; seeds 0, 1 and 1000 retrained.
        JsonElement attacks = table.GetProperty("attacks");
        Assert.Equal(3, attacks.GetProperty("retrained_models").GetInt32());
        JsonElement ulira = attacks.GetProperty("u_lira").EnumerateArray().Single(r => r.GetProperty("method").GetString() == "ssd");
        Assert.Equal(2 * attacks.GetProperty("examples").GetInt32(), ulira.GetProperty("positives").GetInt32());
    }
}
