using System.IO;
using System.Text.Json;
using Xunit;

namespace DeepUnlearn.Cli.Tests;

/// <summary>
/// PGU's retain space through the CLI: stored beside the trained checkpoint (by <c>train --pgu-retain-space</c> or by
/// the first request), written beside every unlearned checkpoint, and enough for a sequential request that reads
/// no retain data (<c>retain_space=stored</c>).
/// </summary>
public class PguCommandTests(TrainedIdxRun run) : IClassFixture<TrainedIdxRun>
{
    private static readonly string[] s_short = ["--set", "pgu.epochs=2", "--set", "pgu.eval_samples=50", "--workers", "0", "--device", "cpu"];

    [Fact]
    public void Unlearn_Pgu_StoresTheOriginalsRetainSpace_AndASecondRequestOnTheResultNeedsOnlyItsForgetSet()
    {
        string first = run.Out("pgu-first");
        var (exit, _, error) = CliRunner.RunWithErrors(["unlearn", "--checkpoint", run.Checkpoint, "--method", "pgu", "--forget-class", "1", "--out", first, .. s_short]);
        Assert.True(exit == Program.ExitOk, error);
        Assert.True(File.Exists(Path.Combine(run.TrainDir, "last.pgu.safetensors")), "the original's retain space was not stored beside it");
        Assert.True(File.Exists(Path.Combine(first, "unlearned.pgu.safetensors")), "the unlearned model's retain space was not written");
        Assert.Equal(0, Diagnostic(first, "retain_space_loaded"));

        string second = run.Out("pgu-second");
        (exit, _, error) = CliRunner.RunWithErrors(["unlearn", "--checkpoint", Path.Combine(first, "unlearned.safetensors"), "--method", "pgu", "--forget-class", "2",
            "--set", "pgu.retain_space=stored", "--out", second, .. s_short]);
        Assert.True(exit == Program.ExitOk, error);
        Assert.Equal(1, Diagnostic(second, "retain_space_loaded"));
        Assert.True(File.Exists(Path.Combine(second, "unlearned.pgu.safetensors")));
    }

    [Fact]
    public void Train_PguRetainSpace_WritesTheSidecar_ThatAStoredModeRequestUses()
    {
        string trained = run.Out("pgu-train");
        var (exit, output, error) = CliRunner.RunWithErrors("train", "--data", run.Data, "--model", "smallcnn", "--epochs", "1", "--batch-size", "32",
            "--workers", "0", "--device", "cpu", "--pgu-retain-space", "--out", trained);
        Assert.True(exit == Program.ExitOk, error);
        Assert.Contains("last.pgu.safetensors", output, System.StringComparison.Ordinal);
        string unlearned = run.Out("pgu-stored");
        (exit, _, error) = CliRunner.RunWithErrors(["unlearn", "--checkpoint", Path.Combine(trained, "last.safetensors"), "--method", "pgu", "--forget-class", "0",
            "--set", "pgu.retain_space=stored", "--out", unlearned, .. s_short]);
        Assert.True(exit == Program.ExitOk, error);
        Assert.Equal(1, Diagnostic(unlearned, "retain_space_loaded"));
    }

    private static double Diagnostic(string runDirectory, string key)
    {
        using JsonDocument metrics = JsonDocument.Parse(File.ReadAllText(Path.Combine(runDirectory, "metrics.json")));
        return metrics.RootElement.GetProperty("unlearned").GetProperty("diagnostics").GetProperty(key).GetDouble();
    }
}
