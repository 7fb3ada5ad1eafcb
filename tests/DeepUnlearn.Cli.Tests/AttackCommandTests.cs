using System;
using System.IO;
using System.Linq;
using System.Text.Json;
using Xunit;

namespace DeepUnlearn.Cli.Tests;

/// <summary>
/// <c>--attacks</c> in <c>compare</c> and <c>unlearn</c> on the tiny IDX dataset: the extra reference retrains it
/// costs, the report's section and files, and the references reused by <c>unlearn</c>.
/// </summary>
[Collection(TrainedIdxCollection.Name)]
public class AttackCommandTests(TrainedIdxRun run)
{
    [Fact]
    public void CompareThenUnlearn_Attacks_TrainKReferencesOnceReportThemAndReuseThem()
    {
        string dir = run.Out("compare-attacks");
        var (exit, output, error) = CliRunner.RunWithErrors(
            "compare", "--checkpoint", run.Checkpoint, "--methods", "ssd", "--forget-class", "1", "--seeds", "0",
            "--attacks", "--attack-references", "2", "--save-models", "--set", "retrain.epochs=1", "--workers", "0", "--device", "cpu", "--out", dir);
        Assert.True(exit == Program.ExitOk, error);
        Assert.Contains("U-LiRA AUC", output, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(dir, "attacks.json")));
        Assert.StartsWith("<svg", File.ReadAllText(Path.Combine(dir, "attack-roc.svg")), StringComparison.Ordinal);
        // One seed: its retrain is the negative, so K = 2 references cost two extra training runs, seeds 1000 and 1001.
        using (JsonDocument compare = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "compare.json"))))
        {
            JsonElement attacks = compare.RootElement.GetProperty("report").GetProperty("attacks");
            Assert.Equal(2, attacks.GetProperty("extra_training_runs").GetInt32());
            Assert.Equal(3, attacks.GetProperty("retrained_models").GetInt32());
            string[] methods = attacks.GetProperty("u_lira").EnumerateArray().Select(r => r.GetProperty("method").GetString()!).ToArray();
            Assert.Equal(["do nothing", "ssd"], methods);
            foreach (JsonElement row in attacks.GetProperty("u_lira").EnumerateArray())
            {
                Assert.InRange(row.GetProperty("auc").GetDouble(), 0, 1);
            }
        }
        using (JsonDocument scores = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "attacks.json"))))
        {
            JsonElement first = scores.RootElement.GetProperty("scores")[0];
            Assert.Equal(first.GetProperty("positive_scores").GetArrayLength(), first.GetProperty("negative_scores").GetArrayLength());
        }
        string[] references = [Path.Combine(dir, "models", "reference-seed1000.safetensors"), Path.Combine(dir, "models", "reference-seed1001.safetensors")];
        Assert.All(references, r => Assert.True(File.Exists(r), $"{r} was not written"));

        string unlearnDir = run.Out("unlearn-attacks");
        var (unlearnExit, unlearnOutput, unlearnError) = CliRunner.RunWithErrors(
            "unlearn", "--checkpoint", run.Checkpoint, "--method", "ssd", "--forget-class", "1", "--attacks",
            "--retrained", Path.Combine(dir, "models", "retrain-seed0.safetensors"), "--reference-models", string.Join(',', references),
            "--workers", "0", "--device", "cpu", "--out", unlearnDir);
        Assert.True(unlearnExit == Program.ExitOk, unlearnError);
        Assert.Contains("U-LiRA AUC", unlearnOutput, StringComparison.Ordinal);
        using JsonDocument metrics = JsonDocument.Parse(File.ReadAllText(Path.Combine(unlearnDir, "metrics.json")));
        JsonElement unlearnAttacks = metrics.RootElement.GetProperty("attacks");
        Assert.Equal(0, unlearnAttacks.GetProperty("extra_training_runs").GetInt32());
        // The same models and the same seed give the same scores as in compare.
        using JsonDocument compareAgain = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "compare.json")));
        double compareAuc = compareAgain.RootElement.GetProperty("report").GetProperty("attacks").GetProperty("u_lira")[0].GetProperty("auc").GetDouble();
        Assert.Equal(compareAuc, unlearnAttacks.GetProperty("u_lira")[0].GetProperty("auc").GetDouble(), 9);
    }

    [Fact]
    public void Unlearn_AttacksWithoutReferences_IsRefusedBeforeAnyWork()
    {
        string dir = run.Out("unlearn-attacks-refused");
        var (exit, _, error) = CliRunner.RunWithErrors(
            "unlearn", "--checkpoint", run.Checkpoint, "--method", "ssd", "--forget-class", "1", "--attacks",
            "--workers", "0", "--device", "cpu", "--out", dir);
        Assert.Equal(Program.ExitFailure, exit);
        Assert.Contains("--attacks needs --retrained", error, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(dir, "unlearned.safetensors")));
    }
}
