using System;
using System.IO;
using System.Linq;
using DeepUnlearn.Data;
using Xunit;

namespace DeepUnlearn.Cli.Tests.Robustness;

/// <summary>
/// #13 item 1: every file the user names is read with a size limit. Each case hands a real command an input far
/// larger than its kind of file can be (a sparse file one byte over the limit, refused before reading, or
/// <c>/dev/zero</c>, refused while reading) and expects exit code 2, a message naming the file, the limit and
/// <see cref="InputFile.LimitVariable"/>, and nothing changed on disk. Before the fix these read the whole file into
/// memory (the 8.4 GB of <c>--forget-ids /dev/zero</c>) or, for sparse files, gigabytes of zeros.
/// </summary>
public sealed class InputSizeRobustnessTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "du-input-size-" + Guid.NewGuid().ToString("N"));

    public InputSizeRobustnessTests() => Directory.CreateDirectory(_root);

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private string PathOf(string name) => Path.Combine(_root, name);

    // One byte over the limit without writing it: a sparse file has the size, not the blocks.
    private string Oversized(string name, long limit)
    {
        string path = PathOf(name);
        using var file = new FileStream(path, FileMode.CreateNew);
        file.SetLength(limit + 1);
        return path;
    }

    private string SmallCorpus()
    {
        string path = PathOf("corpus.txt");
        File.WriteAllLines(path, Enumerable.Range(0, 40).Select(i => i % 2 == 0 ? "apple banana cherry apple banana" : "river mountain valley river stone"));
        return path;
    }

    private void AssertRefused(string file, long limit, string[] args)
    {
        var before = FileTreeSnapshot.Take(_root);
        var (exit, _, error) = CliRunner.RunWithErrors(args);
        Assert.True(exit == Program.ExitFailure, $"exit {exit}: {error}");
        Assert.Contains($"'{file}' is larger than the limit of {limit:N0} bytes", error, StringComparison.Ordinal);
        Assert.Contains(InputFile.LimitVariable, error, StringComparison.Ordinal);
        var after = FileTreeSnapshot.Take(_root);
        Assert.True(before.SequenceEqual(after), FileTreeSnapshot.Difference(before, after));
        // Not even the --out folder: the run's claim removes the folder it created when the run wrote nothing.
        Assert.False(Directory.Exists(PathOf("out")), "the failed run left its --out folder");
    }

    [Fact]
    public void VbuFit_CsvLargerThanItsLimit_IsRefusedUnread()
    {
        string csv = Oversized("data.csv", 256L << 20);
        AssertRefused(csv, 256L << 20, ["vbu", "fit", "--data", "csv:" + csv, "--steps", "10", "--out", PathOf("out")]);
    }

    [Fact]
    public void VbuFit_ExcludeIdsFromADevice_IsRefusedAtTheLimit()
    {
        AssertRefused("/dev/zero", InputFile.DefaultLimit, ["vbu", "fit", "--data", "moons", "--moons-count", "30", "--steps", "10", "--exclude-ids", "/dev/zero", "--out", PathOf("out")]);
    }

    [Fact]
    public void VbuUnlearn_EraseIdsLargerThanTheLimit_IsRefused_AndTheFitIsUntouched()
    {
        var (fit, _, fitError) = CliRunner.RunWithErrors("vbu", "fit", "--data", "moons", "--moons-count", "30", "--steps", "10", "--out", PathOf("fit"));
        Assert.True(fit == Program.ExitOk, fitError);
        string ids = Oversized("erase.txt", InputFile.DefaultLimit);
        AssertRefused(ids, InputFile.DefaultLimit, ["vbu", "unlearn", "--model", PathOf("fit"), "--erase-ids", ids, "--steps", "10", "--out", PathOf("out")]);
    }

    [Fact]
    public void TopicsTrain_CorpusLargerThanItsLimit_IsRefused()
    {
        string corpus = Oversized("huge.txt", 1L << 30);
        AssertRefused(corpus, 1L << 30, ["topics", "train", "--corpus", corpus, "--topics", "2", "--device", "cpu", "--out", PathOf("out")]);
    }

    [Fact]
    public void TopicsTrain_LabelsLargerThanTheLimit_IsRefused()
    {
        string labels = Oversized("labels.csv", InputFile.DefaultLimit);
        AssertRefused(labels, InputFile.DefaultLimit, ["topics", "train", "--corpus", SmallCorpus(), "--topics", "2", "--min-count", "1", "--labels", labels, "--device", "cpu", "--out", PathOf("out")]);
    }

    [Fact]
    public void TopicsCorpus_PackagesIndexLargerThanItsLimit_IsRefused()
    {
        string packages = Oversized("Packages", 512L << 20);
        AssertRefused(packages, 512L << 20, ["topics", "corpus", "--lists", packages, "--sections", "games,science", "--out", PathOf("out")]);
    }

    [Fact]
    public void DeltaGrad_DeleteIdsLargerThanTheLimit_IsRefused()
    {
        string ids = Oversized("delete.txt", InputFile.DefaultLimit);
        AssertRefused(ids, InputFile.DefaultLimit, ["deltagrad", "--dataset", "synthetic", "--train-size", "100", "--delete-ids", ids, "--device", "cpu", "--out", PathOf("out")]);
    }

    [Fact]
    public void Sweep_RecipeLargerThanItsLimit_IsRefused()
    {
        string recipe = Oversized("recipe.json", 16L << 20);
        AssertRefused(recipe, 16L << 20, ["sweep", recipe, "--synthetic", "--out", PathOf("out")]);
    }

    [Fact]
    public void Train_ConfigFromADevice_IsRefusedAtTheLimit()
    {
        AssertRefused("/dev/zero", 16L << 20, ["train", "--config", "/dev/zero", "--epochs", "1", "--device", "cpu", "--out", PathOf("out")]);
    }
}
