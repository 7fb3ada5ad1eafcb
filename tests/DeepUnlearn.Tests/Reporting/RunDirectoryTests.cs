using System.IO;
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
}
