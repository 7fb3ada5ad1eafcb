using System;
using System.IO;
using System.Text.Json;
using Xunit;

namespace DeepUnlearn.Cli.Tests;

/// <summary><c>train --augment-on</c>: parsed before any work, resolved for the device, recorded in run.json and followed.</summary>
[Collection(TrainedIdxCollection.Name)]
public class AugmentOnOptionTests(TrainedIdxRun run)
{
    [Theory]
    [InlineData("device", "device")]
    [InlineData("auto", "host")]
    public void Train_OnCpu_TrainsAndRecordsWhereBatchesWereFinished(string option, string resolved)
    {
        string dir = run.Out("augment-" + option);
        var (exit, _, error) = CliRunner.RunWithErrors("train", "--data", run.Data, "--epochs", "1", "--batch-size", "32", "--device", "cpu", "--workers", "1",
            "--augment-on", option, "--out", dir);

        Assert.True(exit == Program.ExitOk, error);
        using JsonDocument manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "run.json")));
        Assert.Equal(resolved, manifest.RootElement.GetProperty("config").GetProperty("augmentation").GetString());
        Assert.True(File.Exists(Path.Combine(dir, "last.safetensors")));
    }

    [Fact]
    public void Train_BadValue_IsAUsageErrorListingTheValidValues()
    {
        string dir = run.Out("augment-bad");
        var (exit, _, error) = CliRunner.RunWithErrors("train", "--data", run.Data, "--out", dir, "--augment-on", "gpu");

        Assert.Equal(Program.ExitUsage, exit);
        Assert.Contains("--augment-on 'gpu'", error, StringComparison.Ordinal);
        Assert.Contains("auto, host, device", error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(dir), "nothing may be written before the options are checked");
    }
}
