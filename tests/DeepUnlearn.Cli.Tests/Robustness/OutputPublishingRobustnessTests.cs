using System;
using System.IO;
using System.Linq;
using Xunit;

namespace DeepUnlearn.Cli.Tests.Robustness;

/// <summary>
/// #13 item 5: a run's outputs are published together or not at all. A re-run with --overwrite that fails leaves the
/// earlier run byte for byte (before the fix, unlearn wrote the new run.json first and the model next, then failed
/// beside the old report and metrics); a re-run that succeeds replaces every file. Training, which writes as it goes,
/// keeps the old run whole when the new one fails on its input.
/// </summary>
[Collection(TrainedIdxCollection.Name)]
public sealed class OutputPublishingRobustnessTests(TrainedIdxRun run)
{
    private static readonly string[] s_unlearnFiles = ["metrics.json", "report.md", "run.json", "unlearned.safetensors"];

    /// <summary>Everything a class request publishes: the files above and the evidence charts (ssd's, without a retrained model).</summary>
    private static readonly string[] s_unlearnOutputs = [.. s_unlearnFiles.Concat(["forget-confidence-ssd.svg", "forget-entropy-ssd.svg", "mia-roc.svg", "per-class.svg"]).Order(StringComparer.Ordinal)];

    private string[] Unlearn(string output, params string[] extra) =>
        ["unlearn", "--checkpoint", run.Checkpoint, "--method", "ssd", "--workers", "0", "--device", "cpu", "--out", output, .. extra];

    [Fact]
    public void Unlearn_FailedRerunWithOverwrite_LeavesTheEarlierRunWhole_AndASuccessfulOneReplacesIt()
    {
        string dir = run.Out("publish-unlearn");
        var (first, _, firstError) = CliRunner.RunWithErrors(Unlearn(dir, "--forget-class", "1"));
        Assert.True(first == Program.ExitOk, firstError);
        Assert.Equal(s_unlearnOutputs, Directory.GetFiles(dir).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        var before = FileTreeSnapshot.Take(dir);

        // Fails late: after the unlearning and the model's save, when the --retrained model is loaded for evaluation.
        var (failed, _, error) = CliRunner.RunWithErrors(Unlearn(dir, "--forget-class", "2", "--retrained", run.Out("no-such-retrained.safetensors"), "--overwrite"));
        Assert.True(failed == Program.ExitFailure, $"exit {failed}: {error}");
        Assert.Contains("no-such-retrained.safetensors", error, StringComparison.Ordinal);
        var after = FileTreeSnapshot.Take(dir);
        Assert.True(before.SequenceEqual(after), FileTreeSnapshot.Difference(before, after));

        var (replaced, _, replacedError) = CliRunner.RunWithErrors(Unlearn(dir, "--forget-class", "2", "--overwrite"));
        Assert.True(replaced == Program.ExitOk, replacedError);
        var now = FileTreeSnapshot.Take(dir);
        Assert.Equal(s_unlearnOutputs, now.Keys);
        Assert.All(s_unlearnFiles, f => Assert.NotEqual(before[f], now[f]));
        Assert.Contains("classes:2", File.ReadAllText(Path.Combine(dir, "run.json")), StringComparison.Ordinal);
    }

    [Fact]
    public void Train_OverwriteFailingOnItsInput_LeavesTheEarlierRunWhole()
    {
        string dir = run.Out("publish-train");
        Directory.CreateDirectory(dir);
        foreach (string file in Directory.GetFiles(run.TrainDir))
        {
            File.Copy(file, Path.Combine(dir, Path.GetFileName(file)));
        }
        var before = FileTreeSnapshot.Take(dir);
        var (exit, _, error) = CliRunner.RunWithErrors("train", "--data", "idx:" + run.Out("no-such-data"), "--epochs", "1", "--workers", "0", "--device", "cpu", "--out", dir, "--overwrite");
        Assert.True(exit == Program.ExitFailure, $"exit {exit}: {error}");
        var after = FileTreeSnapshot.Take(dir);
        Assert.True(before.SequenceEqual(after), FileTreeSnapshot.Difference(before, after));
    }
}
