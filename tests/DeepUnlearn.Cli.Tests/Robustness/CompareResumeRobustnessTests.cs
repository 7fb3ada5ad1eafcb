using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using Xunit;

namespace DeepUnlearn.Cli.Tests.Robustness;

/// <summary>
/// #13 item 0, second half: a failure late in <c>compare</c> keeps the rows it finished (the original, the retrain, "do
/// nothing" and every method done so far, with their models) and <c>compare --resume</c> runs only the missing ones,
/// giving the rows an uninterrupted comparison gives; rows made with other settings are refused. And compare's outputs
/// are published together: a failed <c>--overwrite</c> leaves the earlier comparison whole. The failure is a real one
/// late in the run: deltagrad-head, the second of three methods, cannot record its trajectory because a folder stands
/// where the file goes; removing the folder is the fix a user would make before resuming.
/// </summary>
[Collection(TrainedIdxCollection.Name)]
public sealed class CompareResumeRobustnessTests(TrainedIdxRun run)
{
    private const string Methods = "ssd,deltagrad-head,famr";

    private string[] Compare(string output, string trajectory, params string[] extra) => CompareWith(output, trajectory, "0", "1", extra);

    private string[] CompareWith(string output, string trajectory, string seeds, string forgetClass, params string[] extra) =>
    [
        "compare", "--checkpoint", run.Checkpoint, "--methods", Methods, "--forget-class", forgetClass, "--seeds", seeds,
        "--set", "retrain.epochs=1", "--set", "famr.epochs=2", "--set", $"deltagrad-head.trajectory={trajectory}",
        "--workers", "0", "--device", "cpu", "--out", output, .. extra,
    ];

    [Fact]
    public void Compare_FailingLateThenResumed_GivesTheUninterruptedRows_WithoutRunningTheFinishedOnesAgain()
    {
        string whole = run.Out("resume-whole");
        var (wholeExit, _, wholeError) = CliRunner.RunWithErrors(Compare(whole, run.Out("resume-whole.traj"), "--save-models"));
        Assert.True(wholeExit == Program.ExitOk, wholeError);

        string dir = run.Out("resume-cut");
        string trajectory = run.Out("resume-cut.traj");
        Directory.CreateDirectory(trajectory);
        var (failed, _, failure) = CliRunner.RunWithErrors(Compare(dir, trajectory, "--save-models"));
        Assert.True(failed == Program.ExitFailure, $"exit {failed}: {failure}");
        // Nothing published, every row finished before the failure kept with its model.
        Assert.False(File.Exists(Path.Combine(dir, "run.json")));
        Assert.False(File.Exists(Path.Combine(dir, "compare.md")));
        string progress = Path.Combine(dir, "progress");
        Assert.Equal(["do-nothing-seed0.json", "original.json", "retrain-seed0.json", "retrain-seed0.safetensors", "settings.json", "ssd-seed0.json", "ssd-seed0.safetensors"],
            Directory.GetFiles(progress).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        byte[] retrained = File.ReadAllBytes(Path.Combine(progress, "retrain-seed0.safetensors"));
        byte[] ssd = File.ReadAllBytes(Path.Combine(progress, "ssd-seed0.safetensors"));

        // Without --resume the unfinished comparison is not silently replaced.
        var (fresh, _, freshError) = CliRunner.RunWithErrors(Compare(dir, trajectory, "--save-models"));
        Assert.Equal(Program.ExitFailure, fresh);
        Assert.Contains("--resume", freshError, StringComparison.Ordinal);

        Directory.Delete(trajectory);
        var (resumed, _, resumeError) = CliRunner.RunWithErrors(Compare(dir, trajectory, "--save-models", "--resume"));
        Assert.True(resumed == Program.ExitOk, resumeError);
        Assert.Contains("resuming: 4 finished rows", resumeError, StringComparison.Ordinal);

        // Not retrained, ssd not run again: their saved models (which carry their creation time) are the published ones.
        Assert.Equal(retrained, File.ReadAllBytes(Path.Combine(dir, "models", "retrain-seed0.safetensors")));
        Assert.Equal(ssd, File.ReadAllBytes(Path.Combine(dir, "models", "ssd-seed0.safetensors")));
        Assert.False(Directory.Exists(progress));
        Assert.Equal(Files(whole), Files(dir));
        Assert.Equal(Rows(whole), Rows(dir));
    }

    [Fact]
    public void Compare_ResumeWithOtherSettings_IsRefusedSayingWhich_AndKeepsTheRows()
    {
        string dir = run.Out("resume-other");
        string trajectory = run.Out("resume-other.traj");
        Directory.CreateDirectory(trajectory);
        var (failed, _, failure) = CliRunner.RunWithErrors(Compare(dir, trajectory));
        Assert.True(failed == Program.ExitFailure, $"exit {failed}: {failure}");
        Directory.Delete(trajectory);
        var before = FileTreeSnapshot.Take(dir);

        var (seeds, _, seedsError) = CliRunner.RunWithErrors(CompareWith(dir, trajectory, "0,1", "1", "--resume"));
        Assert.Equal(Program.ExitFailure, seeds);
        Assert.Contains("seeds: the rows have 0, this run 0,1", seedsError, StringComparison.Ordinal);

        var (epochs, _, epochsError) = CliRunner.RunWithErrors(Compare(dir, trajectory, "--resume", "--set", "retrain.epochs=2"));
        Assert.Equal(Program.ExitFailure, epochs);
        Assert.Contains("retrain settings: epochs was 1, now 2", epochsError, StringComparison.Ordinal);

        var (request, _, requestError) = CliRunner.RunWithErrors(CompareWith(dir, trajectory, "0", "2", "--resume"));
        Assert.Equal(Program.ExitFailure, request);
        Assert.Contains("request: the rows have classes:1, this run classes:2", requestError, StringComparison.Ordinal);

        var after = FileTreeSnapshot.Take(dir);
        Assert.True(before.SequenceEqual(after), FileTreeSnapshot.Difference(before, after));
    }

    [Fact]
    public void Compare_FailedOverwrite_LeavesTheEarlierComparisonWhole_AndASuccessfulOneTakesItsModelsAway()
    {
        string dir = run.Out("compare-overwrite");
        var (first, _, firstError) = CliRunner.RunWithErrors(
            "compare", "--checkpoint", run.Checkpoint, "--methods", "ssd", "--forget-class", "1", "--set", "retrain.epochs=1", "--save-models",
            "--workers", "0", "--device", "cpu", "--out", dir);
        Assert.True(first == Program.ExitOk, firstError);
        Assert.True(File.Exists(Path.Combine(dir, "models", "ssd-seed0.safetensors")));
        var before = FileTreeSnapshot.Take(dir);

        string trajectory = run.Out("compare-overwrite.traj");
        Directory.CreateDirectory(trajectory);
        var (failed, _, failure) = CliRunner.RunWithErrors(Compare(dir, trajectory, "--overwrite"));
        Assert.True(failed == Program.ExitFailure, $"exit {failed}: {failure}");
        // The published comparison is byte for byte the first one; only the new run's unfinished rows sit beside it.
        var after = FileTreeSnapshot.Take(dir);
        var published = new SortedDictionary<string, string>(after.Where(kv => !kv.Key.StartsWith("progress", StringComparison.Ordinal)).ToDictionary(), StringComparer.Ordinal);
        Assert.True(before.SequenceEqual(published), FileTreeSnapshot.Difference(before, published));

        // A finished run has nothing to resume once published; a successful overwrite leaves none of the first run's files.
        Directory.Delete(trajectory);
        var (resumed, _, resumeError) = CliRunner.RunWithErrors(Compare(dir, trajectory, "--resume"));
        Assert.True(resumed == Program.ExitOk, resumeError);
        Assert.False(Directory.Exists(Path.Combine(dir, "models")), "the first run's models stayed beside the new report");
        Assert.Contains("deltagrad-head", File.ReadAllText(Path.Combine(dir, "run.json")), StringComparison.Ordinal);
        var (again, _, againError) = CliRunner.RunWithErrors(Compare(dir, trajectory, "--resume"));
        Assert.Equal(Program.ExitFailure, again);
        Assert.Contains("holds a finished run", againError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Compare_KilledAfterSomeRows_ResumesFromThem()
    {
        string dir = run.Out("resume-killed");
        string[] args =
        [
            "compare", "--checkpoint", run.Checkpoint, "--methods", "ssd,famr", "--forget-class", "1", "--set", "retrain.epochs=1",
            "--set", "famr.epochs=300", "--workers", "0", "--device", "cpu", "--out", dir,
        ];
        CliProcess.Running running = CliProcess.Start(args);
        string progress = Path.Combine(dir, "progress");
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (!File.Exists(Path.Combine(progress, "ssd-seed0.json")) && clock.Elapsed < TimeSpan.FromMinutes(3))
        {
            await Task.Delay(10);
        }
        // SIGKILL while famr runs: no finally, no clean-up, the lock released by the kernel.
        running.Kill();
        var (killed, _, _) = await running.WaitAsync(TimeSpan.FromMinutes(1));
        Assert.NotEqual(Program.ExitOk, killed);
        Assert.Equal(["do-nothing-seed0.json", "original.json", "retrain-seed0.json", "ssd-seed0.json"],
            Directory.GetFiles(progress, "*-*.json").Concat(Directory.GetFiles(progress, "original.json")).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.False(File.Exists(Path.Combine(dir, "run.json")));

        var (resumed, _, error) = CliRunner.RunWithErrors([.. args, "--resume"]);
        Assert.True(resumed == Program.ExitOk, error);
        Assert.Contains("resuming: 4 finished rows", error, StringComparison.Ordinal);
        var rows = (JsonArray)JsonNode.Parse(File.ReadAllText(Path.Combine(dir, "metrics.json")))!;
        Assert.Equal(["retrain", "do nothing", "ssd", "famr"], rows.Select(r => r!["method"]!.GetValue<string>()));
        Assert.False(Directory.Exists(progress));
    }

    private static string[] Files(string dir) =>
        Directory.GetFiles(dir, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(dir, f)).Order(StringComparer.Ordinal).ToArray();

    // metrics.json's rows without the wall times (two runs never take the same time).
    private static string[] Rows(string dir)
    {
        var rows = (JsonArray)JsonNode.Parse(File.ReadAllText(Path.Combine(dir, "metrics.json")))!;
        return rows.Select(r => WithoutTimes(r!).ToJsonString()).ToArray();
    }

    private static JsonNode WithoutTimes(JsonNode node)
    {
        if (node is JsonObject o)
        {
            foreach (string key in o.Select(p => p.Key).Where(k => k.Contains("seconds", StringComparison.Ordinal) || k == "speed_up").ToList())
            {
                o.Remove(key);
            }
            foreach (var (_, value) in o.ToList())
            {
                if (value is not null)
                {
                    WithoutTimes(value);
                }
            }
        }
        else if (node is JsonArray a)
        {
            foreach (JsonNode? item in a)
            {
                if (item is not null)
                {
                    WithoutTimes(item);
                }
            }
        }
        return node;
    }
}
