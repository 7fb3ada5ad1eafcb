using System;
using System.IO;
using System.Linq;
using DeepUnlearn.Reporting;
using DeepUnlearn.Tests.Data;
using Xunit;

namespace DeepUnlearn.Tests.Reporting;

public class RunDirectoryTests
{
    [Fact]
    public void Claim_MissingDirectory_CreatesIt_AndTheLockGoesWithTheRun()
    {
        using var root = new TempDirectory();
        string path = Path.Combine(root.Path, "run");
        using (RunDirectory run = RunDirectory.Claim(path, RunDirectoryMode.New))
        {
            Assert.True(File.Exists(Path.Combine(path, RunDirectory.LockFileName)));
        }
        Assert.False(File.Exists(Path.Combine(path, RunDirectory.LockFileName)));
        // The released directory is empty again, so a new run may take it.
        using RunDirectory again = RunDirectory.Claim(path, RunDirectoryMode.New);
    }

    [Fact]
    public void Claim_HeldByAnotherRun_IsRefusedWhateverTheMode()
    {
        using var dir = new TempDirectory();
        using RunDirectory first = RunDirectory.Claim(dir.Path, RunDirectoryMode.New);
        foreach (RunDirectoryMode mode in new[] { RunDirectoryMode.New, RunDirectoryMode.Resume, RunDirectoryMode.Overwrite })
        {
            var error = Assert.Throws<IOException>(() => RunDirectory.Claim(dir.Path, mode));
            Assert.Contains("another deepunlearn run is writing", error.Message);
        }
    }

    [Fact]
    public void Claim_DirectoryWithARun_NewIsRefusedNamingWhatIsThere_ResumeAndOverwriteAreAllowed()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(Path.Combine(dir.Path, "run.json"), "{}");
        File.WriteAllText(Path.Combine(dir.Path, "best.safetensors"), "x");
        var error = Assert.Throws<IOException>(() => RunDirectory.Claim(dir.Path, RunDirectoryMode.New));
        Assert.Contains("best.safetensors, run.json", error.Message);
        Assert.Contains("--resume", error.Message);
        Assert.Contains("--overwrite", error.Message);
        Assert.False(File.Exists(Path.Combine(dir.Path, RunDirectory.LockFileName)));
        using (RunDirectory.Claim(dir.Path, RunDirectoryMode.Resume))
        {
        }
        using (RunDirectory.Claim(dir.Path, RunDirectoryMode.Overwrite))
        {
        }
        Assert.True(File.Exists(Path.Combine(dir.Path, "best.safetensors")));
    }

    [Fact]
    public void Claim_RemovesTheTemporariesOfInterruptedAtomicWrites_AndNothingElse()
    {
        using var dir = new TempDirectory();
        Directory.CreateDirectory(Path.Combine(dir.Path, "models"));
        string leftover = Path.Combine(dir.Path, ".last.safetensors.0123456789abcdef0123456789abcdef.tmp");
        string nested = Path.Combine(dir.Path, "models", ".retrain.safetensors.fedcba9876543210fedcba9876543210.tmp");
        string userFile = Path.Combine(dir.Path, ".notes.tmp");
        File.WriteAllText(leftover, "partial");
        File.WriteAllText(nested, "partial");
        File.WriteAllText(userFile, "mine");
        using RunDirectory run = RunDirectory.Claim(dir.Path, RunDirectoryMode.Resume);
        Assert.Equal(2, run.RemovedTemporaries);
        Assert.False(File.Exists(leftover));
        Assert.False(File.Exists(nested));
        Assert.True(File.Exists(userFile));
    }

    [Fact]
    public void Claim_PathIsAFile_SaysToGiveADirectory()
    {
        using var dir = new TempDirectory();
        string file = Path.Combine(dir.Path, "out");
        File.WriteAllText(file, "x");
        var error = Assert.Throws<IOException>(() => RunDirectory.Claim(file, RunDirectoryMode.Overwrite));
        Assert.Contains("is a file", error.Message);
    }

    [Fact]
    public void Publish_MovesEveryStagedFileIn_RunJsonLast_AndRemovesTheStaging()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(Path.Combine(dir.Path, "run.json"), "old run");
        File.WriteAllText(Path.Combine(dir.Path, "metrics.json"), "old metrics");
        using RunDirectory run = RunDirectory.Claim(dir.Path, RunDirectoryMode.Overwrite);
        File.WriteAllText(run.Staged("run.json"), "new run");
        File.WriteAllText(run.Staged("metrics.json"), "new metrics");
        File.WriteAllText(run.Staged(Path.Combine("model", "arrays.bin")), "new model");
        Assert.Equal("old run", File.ReadAllText(Path.Combine(dir.Path, "run.json")));
        Assert.Equal(Path.Combine(dir.Path, "model", "arrays.bin"), run.Final(Path.Combine("model", "arrays.bin")));

        var published = run.Publish();

        Assert.Equal([Path.Combine("metrics.json"), Path.Combine("model", "arrays.bin"), "run.json"], published);
        Assert.Equal("new run", File.ReadAllText(Path.Combine(dir.Path, "run.json")));
        Assert.Equal("new metrics", File.ReadAllText(Path.Combine(dir.Path, "metrics.json")));
        Assert.Equal("new model", File.ReadAllText(Path.Combine(dir.Path, "model", "arrays.bin")));
        Assert.False(Directory.Exists(run.StagingPath));
        Assert.Throws<InvalidOperationException>(() => run.Publish());
    }

    [Fact]
    public void Publish_OptionalFilesThisRunDidNotWrite_AreRemoved_OthersStay()
    {
        using var dir = new TempDirectory();
        foreach (string name in new[] { "run.json", "head.json", "finetuned.json", "notes.txt" })
        {
            File.WriteAllText(Path.Combine(dir.Path, name), "old");
        }
        using RunDirectory run = RunDirectory.Claim(dir.Path, RunDirectoryMode.Overwrite);
        File.WriteAllText(run.Staged("run.json"), "new");
        File.WriteAllText(run.Staged("head.json"), "new");
        run.Publish(["head.json", "finetuned.json"]);
        Assert.Equal(["head.json", "notes.txt", "run.json"], Directory.GetFileSystemEntries(dir.Path)
            .Select(Path.GetFileName).Where(n => n != RunDirectory.LockFileName).Order(StringComparer.Ordinal));
        Assert.Equal("new", File.ReadAllText(Path.Combine(dir.Path, "head.json")));
        Assert.Equal("old", File.ReadAllText(Path.Combine(dir.Path, "notes.txt")));
    }

    [Fact]
    public void Dispose_WithoutPublish_LeavesTheEarlierRunAsItWas()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(Path.Combine(dir.Path, "run.json"), "old run");
        string staging;
        using (RunDirectory run = RunDirectory.Claim(dir.Path, RunDirectoryMode.Overwrite))
        {
            File.WriteAllText(run.Staged("run.json"), "new run");
            staging = run.StagingPath;
        }
        Assert.False(Directory.Exists(staging));
        Assert.Equal(["run.json"], Directory.GetFileSystemEntries(dir.Path).Select(Path.GetFileName));
        Assert.Equal("old run", File.ReadAllText(Path.Combine(dir.Path, "run.json")));
    }

    [Fact]
    public void Dispose_RunThatWroteNothing_RemovesTheFolderItsClaimCreated_ButNotOneThatExisted()
    {
        using var dir = new TempDirectory();
        string created = Path.Combine(dir.Path, "new-out");
        using (RunDirectory.Claim(created, RunDirectoryMode.New))
        {
            Assert.True(Directory.Exists(created));
        }
        Assert.False(Directory.Exists(created));
        using (RunDirectory.Claim(dir.Path, RunDirectoryMode.New))
        {
        }
        Assert.True(Directory.Exists(dir.Path));
    }

    [Fact]
    public void Claim_RemovesAKilledRunsStagingFolder_SoANewRunMayStart()
    {
        using var dir = new TempDirectory();
        string killed = Path.Combine(dir.Path, RunDirectory.StagingPrefix + "0123456789abcdef0123456789abcdef");
        Directory.CreateDirectory(killed);
        File.WriteAllText(Path.Combine(killed, "unlearned.safetensors"), "half a run");
        using RunDirectory run = RunDirectory.Claim(dir.Path, RunDirectoryMode.New);
        Assert.Equal(1, run.RemovedTemporaries);
        Assert.False(Directory.Exists(killed));
    }

    [Fact]
    public void Publish_TargetIsASymlink_ReplacesTheLink_AndALinkedOutputFolderIsRefused()
    {
        using var dir = new TempDirectory();
        string victims = Path.Combine(dir.Path, "victims");
        Directory.CreateDirectory(victims);
        File.WriteAllText(Path.Combine(victims, "metrics.json"), "precious");
        string output = Path.Combine(dir.Path, "out");
        Directory.CreateDirectory(output);
        File.CreateSymbolicLink(Path.Combine(output, "metrics.json"), Path.Combine(victims, "metrics.json"));
        using (RunDirectory run = RunDirectory.Claim(output, RunDirectoryMode.Overwrite))
        {
            File.WriteAllText(run.Staged("metrics.json"), "new");
            run.Publish();
        }
        Assert.Equal("precious", File.ReadAllText(Path.Combine(victims, "metrics.json")));
        Assert.Null(new FileInfo(Path.Combine(output, "metrics.json")).LinkTarget);

        Directory.CreateSymbolicLink(Path.Combine(output, "models"), victims);
        using RunDirectory again = RunDirectory.Claim(output, RunDirectoryMode.Overwrite);
        File.WriteAllText(again.Staged(Path.Combine("models", "metrics.json")), "new");
        var error = Assert.Throws<IOException>(() => again.Publish());
        Assert.Contains("is a symbolic link", error.Message);
        Assert.Equal("precious", File.ReadAllText(Path.Combine(victims, "metrics.json")));
    }
}
