using System;
using System.IO;
using System.Linq;
using DeepUnlearn.Reporting;
using Xunit;

namespace DeepUnlearn.Cli.Tests.Robustness;

/// <summary>
/// #13 item 4: a run directory is owned by one run. Every command that writes an --out refuses a folder holding
/// another run (unless --overwrite), before any work and with exit code 2, and leaves its files byte for byte; a
/// folder another run is writing to is refused whatever the flags. Before the fix these commands wrote their
/// run.json and metrics.json over the other run's.
/// </summary>
public sealed class OutputDirectoryRobustnessTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "du-output-dir-" + Guid.NewGuid().ToString("N"));

    public OutputDirectoryRobustnessTests() => Directory.CreateDirectory(_root);

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private string PathOf(string name) => Path.Combine(_root, name);

    // Another run's folder: a manifest, metrics and a model file.
    private string ForeignRun()
    {
        string dir = PathOf("other-run");
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, "run.json"), "{\"command\": \"train\", \"seed\": 7}\n");
        File.WriteAllText(Path.Combine(dir, "metrics.json"), "{\"test_accuracy\": 91.5}\n");
        File.WriteAllBytes(Path.Combine(dir, "best.safetensors"), Enumerable.Range(0, 256).Select(i => (byte)i).ToArray());
        return dir;
    }

    private string Inputs()
    {
        string corpus = PathOf("corpus.txt");
        File.WriteAllLines(corpus, Enumerable.Range(0, 40).Select(i => i % 2 == 0 ? "apple banana cherry apple" : "river mountain valley river"));
        File.WriteAllLines(PathOf("Packages"), ["Package: a", "Description: a game", "Section: games", string.Empty, "Package: b", "Description: a science tool", "Section: science", string.Empty]);
        File.WriteAllText(PathOf("ids.txt"), "1\n2\n");
        return corpus;
    }

    public static TheoryData<string> Commands() =>
    [
        "vbu fit", "vbu unlearn", "vbu evaluate", "vbu sweep", "topics train", "topics unlearn", "topics evaluate", "topics corpus",
        "deltagrad", "bench deltagrad", "evaluate",
    ];

    private string[] Arguments(string command, string output) => command switch
    {
        "vbu fit" => ["vbu", "fit", "--data", "moons", "--moons-count", "30", "--steps", "10", "--out", output],
        "vbu unlearn" => ["vbu", "unlearn", "--model", PathOf("no-model"), "--erase-count", "3", "--out", output],
        "vbu evaluate" => ["vbu", "evaluate", "--model", PathOf("no-model"), "--retrained", PathOf("no-model"), "--out", output],
        "vbu sweep" => ["vbu", "sweep", "--data", "moons", "--out", output],
        "topics train" => ["topics", "train", "--corpus", PathOf("corpus.txt"), "--topics", "2", "--min-count", "1", "--device", "cpu", "--out", output],
        "topics unlearn" => ["topics", "unlearn", "--model", PathOf("no-model"), "--forget-ids", PathOf("ids.txt"), "--out", output],
        "topics evaluate" => ["topics", "evaluate", "--model", PathOf("no-model"), "--out", output],
        "topics corpus" => ["topics", "corpus", "--lists", PathOf("Packages"), "--sections", "games,science", "--out", output],
        "deltagrad" => ["deltagrad", "--dataset", "synthetic", "--train-size", "100", "--device", "cpu", "--out", output],
        "bench deltagrad" => ["bench", "deltagrad", "--dataset", "synthetic", "--train-size", "100", "--rates", "0.01", "--device", "cpu", "--out", output],
        "evaluate" => ["evaluate", "--checkpoint", PathOf("no-model.safetensors"), "--device", "cpu", "--out", output],
        _ => throw new ArgumentOutOfRangeException(nameof(command), command, null),
    };

    [Theory]
    [MemberData(nameof(Commands))]
    public void Command_OutHoldingAnotherRun_IsRefusedBeforeAnyWork_AndLeavesItsFiles(string command)
    {
        Inputs();
        string other = ForeignRun();
        var before = FileTreeSnapshot.Take(_root);
        var (exit, _, error) = CliRunner.RunWithErrors(Arguments(command, other));
        Assert.True(exit == Program.ExitFailure, $"exit {exit}: {error}");
        Assert.Contains("already holds a run (best.safetensors, metrics.json, run.json)", error, StringComparison.Ordinal);
        Assert.Contains("--overwrite", error, StringComparison.Ordinal);
        var after = FileTreeSnapshot.Take(_root);
        Assert.True(before.SequenceEqual(after), FileTreeSnapshot.Difference(before, after));
    }

    [Theory]
    [MemberData(nameof(Commands))]
    public void Command_OutLockedByARunningRun_IsRefusedEvenWithOverwrite(string command)
    {
        Inputs();
        string busy = PathOf("busy");
        using RunDirectory running = RunDirectory.Claim(busy, RunDirectoryMode.New);
        var (exit, _, error) = CliRunner.RunWithErrors([.. Arguments(command, busy), "--overwrite"]);
        Assert.True(exit == Program.ExitFailure, $"exit {exit}: {error}");
        Assert.Contains("another deepunlearn run is writing to", error, StringComparison.Ordinal);
        Assert.Equal([RunDirectory.LockFileName], Directory.GetFileSystemEntries(busy).Select(Path.GetFileName));
    }

    [Fact]
    public void Sweep_OutHoldingAnotherRun_IsRefused_AndLeavesItsFiles()
    {
        string recipe = PathOf("recipe.json");
        File.WriteAllText(recipe, """
        {
          "schema": "deepunlearn.protocol/1", "name": "robustness", "title": "t",
          "dataset": { "name": "fashion-mnist", "spec": "fashion-mnist", "num_classes": 10 },
          "model": { "name": "smallcnn" }, "training": { "epochs": 1 },
          "original": { "seed": 0, "expected_test_accuracy": 50, "expected_source": "the test" },
          "requests": [ { "id": "trouser", "forget": "classes:Trouser" } ],
          "methods": [ { "label": "finetune" } ], "seeds": [1]
        }
        """);
        string other = ForeignRun();
        var before = FileTreeSnapshot.Take(_root);
        var (exit, _, error) = CliRunner.RunWithErrors("sweep", recipe, "--synthetic", "--out", other);
        Assert.True(exit == Program.ExitFailure, $"exit {exit}: {error}");
        Assert.Contains("holds files that are not a sweep's (best.safetensors, metrics.json, run.json)", error, StringComparison.Ordinal);
        var after = FileTreeSnapshot.Take(_root);
        Assert.True(before.SequenceEqual(after), FileTreeSnapshot.Difference(before, after));

        // merge: its default target (the sweep's leaderboard/) is replaced on every merge, another run's folder is not.
        string sweep = PathOf("sweep");
        Assert.Equal(Program.ExitOk, CliRunner.RunWithErrors("sweep", recipe, "--synthetic", "--out", sweep).ExitCode);
        Assert.Equal(Program.ExitOk, CliRunner.RunWithErrors("merge", sweep).ExitCode);
        var (again, _, againError) = CliRunner.RunWithErrors("merge", sweep);
        Assert.True(again == Program.ExitOk, againError);
        before = FileTreeSnapshot.Take(_root);
        var (merge, _, mergeError) = CliRunner.RunWithErrors("merge", sweep, "--out", other);
        Assert.True(merge == Program.ExitFailure, $"exit {merge}: {mergeError}");
        Assert.Contains("already holds a run", mergeError, StringComparison.Ordinal);
        after = FileTreeSnapshot.Take(_root);
        Assert.True(before.SequenceEqual(after), FileTreeSnapshot.Difference(before, after));
    }
}
