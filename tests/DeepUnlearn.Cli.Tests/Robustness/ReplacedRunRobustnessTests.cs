using System;
using System.IO;
using System.Linq;
using Xunit;

namespace DeepUnlearn.Cli.Tests.Robustness;

/// <summary>
/// #13 item 5, the other half of "published together": a run that replaces another with --overwrite takes the files
/// the other run wrote and it does not (the optional parts of the command's output) with it, so that no old file sits
/// beside the new run as if it were part of it. A vbu fit over a vbu unlearn output used to keep erased_ids.txt and
/// full_posterior.safetensors, and vbu evaluate then took the fit for an unlearned model.
/// </summary>
public sealed class ReplacedRunRobustnessTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "du-replaced-" + Guid.NewGuid().ToString("N"));

    public ReplacedRunRobustnessTests() => Directory.CreateDirectory(_root);

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private string PathOf(string name) => Path.Combine(_root, name);

    private void Run(params string[] args)
    {
        var (exit, _, error) = CliRunner.RunWithErrors(args);
        Assert.True(exit == Program.ExitOk, $"{string.Join(' ', args)}: exit {exit}: {error}");
    }

    [Fact]
    public void VbuFit_OverAnUnlearnedModel_RemovesItsErasedIdsAndFullPosterior_AndKeepsTheUsersFiles()
    {
        Run("vbu", "fit", "--data", "moons", "--moons-count", "30", "--steps", "10", "--out", PathOf("fit"));
        string dir = PathOf("unlearned");
        Run("vbu", "unlearn", "--model", PathOf("fit"), "--erase-count", "3", "--steps", "10", "--out", dir);
        File.WriteAllText(Path.Combine(dir, "my-notes.txt"), "mine");
        Assert.True(File.Exists(Path.Combine(dir, "erased_ids.txt")) && File.Exists(Path.Combine(dir, "full_posterior.safetensors")));

        Run("vbu", "fit", "--data", "moons", "--moons-count", "30", "--steps", "10", "--out", dir, "--overwrite");

        Assert.Equal(["excluded_ids.txt", "metrics.json", "my-notes.txt", "posterior.safetensors", "run.json"],
            Directory.GetFileSystemEntries(dir).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Contains("\"vbu fit\"", File.ReadAllText(Path.Combine(dir, "run.json")), StringComparison.Ordinal);
        var (exit, _, error) = CliRunner.RunWithErrors("vbu", "evaluate", "--model", dir, "--retrained", PathOf("fit"));
        Assert.Equal(Program.ExitFailure, exit);
        Assert.Contains("is not a 'vbu unlearn' output", error, StringComparison.Ordinal);
    }
}
