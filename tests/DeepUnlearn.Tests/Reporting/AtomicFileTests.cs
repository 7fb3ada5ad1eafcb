using System;
using System.IO;
using DeepUnlearn.Reporting;
using DeepUnlearn.Tests.Data;
using Xunit;

namespace DeepUnlearn.Tests.Reporting;

/// <summary>
/// <see cref="AtomicFile"/>: a symlink at the target is replaced, not written through (#13 item 6); a failed write
/// leaves the old file and no temporary; and its temporary names are the ones <see cref="RunDirectory"/> removes
/// (one definition for AtomicFile, SafeTensors.Save and the clean-up).
/// </summary>
public class AtomicFileTests
{
    [Fact]
    public void WriteAllText_TargetIsASymlink_ReplacesTheLink_TheLinkedFileIsUntouched()
    {
        using var dir = new TempDirectory();
        string victim = dir.Combine("victim.txt");
        File.WriteAllText(victim, "precious");
        string target = dir.Combine("run.json");
        File.CreateSymbolicLink(target, victim);
        AtomicFile.WriteAllText(target, "{}");
        Assert.Equal("precious", File.ReadAllText(victim));
        Assert.Null(new FileInfo(target).LinkTarget);
        Assert.Equal("{}", File.ReadAllText(target));
    }

    [Fact]
    public void Write_WriterThrows_OldFileStays_AndNoTemporaryIsLeft()
    {
        using var dir = new TempDirectory();
        string target = dir.Combine("metrics.json");
        File.WriteAllText(target, "old");
        Assert.Throws<InvalidOperationException>(() => AtomicFile.Write(target, stream =>
        {
            stream.WriteByte(1);
            throw new InvalidOperationException("disk full");
        }));
        Assert.Equal("old", File.ReadAllText(target));
        Assert.Equal([target], Directory.GetFiles(dir.Path));
    }

    [Fact]
    public void TemporaryPathFor_IsRecognised_AndAKilledWritersTemporaryIsRemovedByTheNextClaim()
    {
        using var dir = new TempDirectory();
        string temporary = AtomicFile.TemporaryPathFor(dir.Combine("last.safetensors"));
        Assert.Equal(dir.Path, Path.GetDirectoryName(temporary));
        Assert.True(AtomicFile.IsTemporaryName(Path.GetFileName(temporary)));
        Assert.False(AtomicFile.IsTemporaryName("last.safetensors"));
        Assert.False(AtomicFile.IsTemporaryName(".notes.tmp"));
        File.WriteAllText(temporary, "partial");
        using RunDirectory run = RunDirectory.Claim(dir.Path, RunDirectoryMode.New);
        Assert.Equal(1, run.RemovedTemporaries);
        Assert.False(File.Exists(temporary));
    }
}
