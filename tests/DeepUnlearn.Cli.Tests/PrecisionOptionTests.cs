using System;
using System.IO;
using System.Text.Json;
using Xunit;

namespace DeepUnlearn.Cli.Tests;

/// <summary>
/// <c>--amp</c> and <c>--channels-last</c> on <c>train</c>, <c>unlearn</c> and <c>compare</c>: parsed before any work
/// (bad values are usage errors listing the valid ones), resolved per device, recorded in run.json and followed.
/// </summary>
[Collection(TrainedIdxCollection.Name)]
public class PrecisionOptionTests(TrainedIdxRun run)
{
    [Fact]
    public void Train_Bf16ChannelsLastOnCpu_TrainsAndRecordsThePolicy()
    {
        string dir = run.Out("train-bf16");
        var (exit, _, error) = CliRunner.RunWithErrors("train", "--data", run.Data, "--epochs", "1", "--batch-size", "32", "--device", "cpu", "--workers", "0",
            "--amp", "bf16", "--channels-last", "on", "--out", dir);

        Assert.True(exit == Program.ExitOk, error);
        Assert.Contains("amp bf16, channels-last", error, StringComparison.Ordinal);
        JsonElement precision = Precision(dir);
        Assert.Equal("bf16", precision.GetProperty("amp").GetString());
        Assert.False(precision.GetProperty("loss_scaling").GetBoolean());
        Assert.True(precision.GetProperty("channels_last").GetBoolean());
    }

    [Fact]
    public void Unlearn_DefaultsOnCpu_AreFloat32Contiguous()
    {
        string dir = run.Out("unlearn-auto");
        var (exit, _, error) = CliRunner.RunWithErrors("unlearn", "--checkpoint", run.Checkpoint, "--method", "gradient-ascent", "--forget-class", "1",
            "--set", "gradient-ascent.epochs=1", "--no-probe", "--device", "cpu", "--workers", "0", "--out", dir);

        Assert.True(exit == Program.ExitOk, error);
        JsonElement precision = Precision(dir);
        Assert.Equal("off", precision.GetProperty("amp").GetString());
        Assert.False(precision.GetProperty("channels_last").GetBoolean());
        Assert.StartsWith("auto", precision.GetProperty("reason").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Unlearn_Fp16OnCpu_ScalesLossesAndRecordsIt()
    {
        string dir = run.Out("unlearn-fp16");
        var (exit, _, error) = CliRunner.RunWithErrors("unlearn", "--checkpoint", run.Checkpoint, "--method", "gradient-ascent", "--forget-class", "1",
            "--set", "gradient-ascent.epochs=1", "--no-probe", "--device", "cpu", "--workers", "0", "--amp", "fp16", "--out", dir);

        Assert.True(exit == Program.ExitOk, error);
        JsonElement precision = Precision(dir);
        Assert.Equal("fp16", precision.GetProperty("amp").GetString());
        Assert.True(precision.GetProperty("loss_scaling").GetBoolean());
    }

    [Theory]
    [InlineData("train", "--amp", "int8", "auto, off, bf16, fp16")]
    [InlineData("unlearn", "--amp", "half-ish", "auto, off, bf16, fp16")]
    [InlineData("compare", "--channels-last", "nhwc", "auto, on, off")]
    public void BadValue_IsAUsageErrorListingTheValidValues(string verb, string option, string value, string valid)
    {
        string[] args = verb switch
        {
            "train" => ["train", "--data", run.Data, "--out", run.Out("never-" + verb), option, value],
            "unlearn" => ["unlearn", "--checkpoint", run.Checkpoint, "--method", "famr", "--forget-class", "1", "--out", run.Out("never-" + verb), option, value],
            _ => ["compare", "--checkpoint", run.Checkpoint, "--methods", "famr", "--forget-class", "1", "--out", run.Out("never-" + verb), option, value],
        };
        var (exit, _, error) = CliRunner.RunWithErrors(args);

        Assert.Equal(Program.ExitUsage, exit);
        Assert.Contains($"{option} '{value}'", error, StringComparison.Ordinal);
        Assert.Contains(valid, error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(run.Out("never-" + verb)), "nothing may be written before the options are checked");
    }

    private static JsonElement Precision(string dir)
    {
        using JsonDocument manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "run.json")));
        return manifest.RootElement.GetProperty("config").GetProperty("precision").Clone();
    }
}
