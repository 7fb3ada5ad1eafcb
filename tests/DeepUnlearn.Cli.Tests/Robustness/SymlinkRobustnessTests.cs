using System;
using System.IO;
using System.Linq;
using Xunit;

namespace DeepUnlearn.Cli.Tests.Robustness;

/// <summary>
/// #13 item 6: symlinks planted in --out (under the names a run writes) never redirect a write. vbu fit and vbu unlearn
/// followed them before the fix (excluded_ids.txt, erased_ids.txt and full_posterior.safetensors overwrote files
/// outside --out); every output now goes through the atomic writer, whose rename replaces the link itself.
/// </summary>
public sealed class SymlinkRobustnessTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "du-symlink-" + Guid.NewGuid().ToString("N"));

    public SymlinkRobustnessTests() => Directory.CreateDirectory(_root);

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private string PathOf(string name) => Path.Combine(_root, name);

    // --out with each name a link to its own victim file outside --out.
    private string PlantLinks(string name, string[] files)
    {
        string output = PathOf(name);
        string victims = PathOf(name + "-victims");
        Directory.CreateDirectory(output);
        Directory.CreateDirectory(victims);
        foreach (string file in files)
        {
            string victim = Path.Combine(victims, file);
            File.WriteAllText(victim, "precious: " + file + "\n");
            File.CreateSymbolicLink(Path.Combine(output, file), victim);
        }
        return output;
    }

    private static void AssertOutputsAreFilesAndVictimsUnchanged(string output, string[] files, System.Collections.Generic.SortedDictionary<string, string> victims)
    {
        foreach (string file in files)
        {
            var info = new FileInfo(Path.Combine(output, file));
            Assert.True(info.Exists && info.LinkTarget is null, $"{file} should now be a regular file written by the run");
        }
        var after = FileTreeSnapshot.Take(output + "-victims");
        Assert.True(victims.SequenceEqual(after), FileTreeSnapshot.Difference(victims, after));
    }

    [Theory]
    [InlineData("t.dutraj", false)]
    [InlineData("t.dutraj.ids", true)]
    public void Deltagrad_TrajectoryNameIsALink_IsRefusedAndNothingIsWrittenThroughIt(string linked, bool victimExists)
    {
        // #13: the trajectory and its .ids were opened with FileMode.Create, which follows a planted link (and creates or
        // truncates the file it names).
        string victims = PathOf("trajectory-victims");
        Directory.CreateDirectory(victims);
        string victim = Path.Combine(victims, "victim.bin");
        if (victimExists)
        {
            File.WriteAllText(victim, "precious");
        }
        string trajectory = PathOf("t.dutraj");
        File.CreateSymbolicLink(PathOf(linked), victim);

        var (exit, _, error) = CliRunner.RunWithErrors(
            "deltagrad", "--dataset", "synthetic", "--train-size", "300", "--epochs", "2", "--trajectory", trajectory, "--json", "--device", "cpu");

        Assert.True(exit == Program.ExitFailure, $"exit {exit}: {error}");
        Assert.Contains("symbolic link", error, StringComparison.Ordinal);
        Assert.Equal(victimExists ? ["victim.bin"] : [], Directory.GetFiles(victims).Select(Path.GetFileName));
        Assert.Equal(victimExists ? "precious" : null, victimExists ? File.ReadAllText(victim) : null);
        Assert.Equal([linked], Directory.GetFileSystemEntries(_root).Select(Path.GetFileName).Where(n => n!.StartsWith("t.", StringComparison.Ordinal) || n.StartsWith(".t.", StringComparison.Ordinal)));
    }

    [Fact]
    public void VbuFitAndUnlearn_LinksPlantedInOut_AreReplaced_TheirTargetsUntouched()
    {
        string[] fitFiles = ["posterior.safetensors", "excluded_ids.txt", "run.json", "metrics.json"];
        string fit = PlantLinks("fit", fitFiles);
        var fitVictims = FileTreeSnapshot.Take(fit + "-victims");
        var (exit, _, error) = CliRunner.RunWithErrors("vbu", "fit", "--data", "moons", "--moons-count", "30", "--steps", "10", "--out", fit, "--overwrite");
        Assert.True(exit == Program.ExitOk, error);
        AssertOutputsAreFilesAndVictimsUnchanged(fit, fitFiles, fitVictims);

        string[] unlearnFiles = ["posterior.safetensors", "full_posterior.safetensors", "erased_ids.txt", "excluded_ids.txt", "run.json", "metrics.json"];
        string unlearned = PlantLinks("unlearned", unlearnFiles);
        var unlearnVictims = FileTreeSnapshot.Take(unlearned + "-victims");
        (exit, _, error) = CliRunner.RunWithErrors("vbu", "unlearn", "--model", fit, "--erase-count", "3", "--steps", "10", "--out", unlearned, "--overwrite");
        Assert.True(exit == Program.ExitOk, error);
        AssertOutputsAreFilesAndVictimsUnchanged(unlearned, unlearnFiles, unlearnVictims);
        Assert.Equal(3, File.ReadAllLines(Path.Combine(unlearned, "erased_ids.txt")).Length);
        Assert.Equal(File.ReadAllBytes(Path.Combine(fit, "posterior.safetensors")), File.ReadAllBytes(Path.Combine(unlearned, "full_posterior.safetensors")));
    }

    [Fact]
    public void TopicsTrain_LinksPlantedInOut_AreReplaced_TheirTargetsUntouched()
    {
        string corpus = PathOf("corpus.txt");
        File.WriteAllLines(corpus, Enumerable.Range(0, 60).Select(i => (i % 3) switch
        {
            0 => "apple banana cherry apple banana grape",
            1 => "river mountain valley river stone lake",
            _ => "engine wheel brake engine gear road",
        }));
        string[] files = ["arrays.bin", "model.json", "documents.json", "run.json", "metrics.json"];
        string output = PlantLinks("topics", files);
        var victims = FileTreeSnapshot.Take(output + "-victims");
        var (exit, _, error) = CliRunner.RunWithErrors("topics", "train", "--corpus", corpus, "--topics", "2", "--min-count", "1", "--anchor-min-docs", "5", "--device", "cpu", "--out", output, "--overwrite");
        Assert.True(exit == Program.ExitOk, error);
        AssertOutputsAreFilesAndVictimsUnchanged(output, files, victims);
    }
}
