using System;
using System.Linq;
using System.Text.Json;
using System.Threading.Tasks;
using Xunit;

namespace DeepUnlearn.Cli.Tests;

public class BenchCommandTests
{
    [Theory]
    [InlineData("smallcnn", 4, 2)]
    [InlineData("resnet18", 2, 1)]
    public void BenchEngine_Json_RunsBothLoopsOnTheSameNetworkAndReportsTheRatio(string model, int batch, int steps)
    {
        var (exit, output) = CliRunner.Run(
            "bench", "engine", "--model", model, "--batch", batch.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--steps", steps.ToString(System.Globalization.CultureInfo.InvariantCulture), "--warmup", "1", "--rounds", "1", "--json");
        Assert.Equal(Program.ExitOk, exit);
        using var doc = JsonDocument.Parse(output);
        JsonElement root = doc.RootElement;
        Assert.Equal(model, root.GetProperty("model").GetString());
        Assert.Equal(batch, root.GetProperty("batch").GetInt32());
        JsonElement toolkit = root.GetProperty("toolkit").GetProperty("runs")[0];
        JsonElement bare = root.GetProperty("bare").GetProperty("runs")[0];
        foreach (JsonElement run in new[] { toolkit, bare })
        {
            Assert.True(run.GetProperty("images_per_second").GetDouble() > 0);
            // Each step runs in a dispose scope: neither loop leaves a tensor behind.
            Assert.Equal(run.GetProperty("live_tensors_before").GetInt64(), run.GetProperty("live_tensors_after").GetInt64());
        }
        // The bare twin has the zoo model's weights: the first step's loss on the same batch is the same number.
        double loss = toolkit.GetProperty("first_loss").GetDouble();
        Assert.True(double.IsFinite(loss) && loss > 0);
        Assert.True(root.GetProperty("first_loss_difference").GetDouble() <= 1e-5 * loss, $"toolkit {loss} vs bare {bare.GetProperty("first_loss").GetDouble()}");
        double ratio = root.GetProperty("ratio").GetDouble();
        Assert.Equal(toolkit.GetProperty("images_per_second").GetDouble() / bare.GetProperty("images_per_second").GetDouble(), ratio, 9);
    }

    [Fact]
    public async Task BenchMalloc_Json_RunsEachSettingInItsOwnChildProcess()
    {
        // Out of process: bench malloc starts children of the program it runs in, which must be deepunlearn itself.
        var (exit, output, error) = await CliProcess.Start(
            "bench", "malloc", "--batch", "4", "--steps", "1", "--warmup", "1", "--rounds", "1", "--json").WaitAsync(TimeSpan.FromMinutes(5));
        Assert.True(exit == Program.ExitOk, error);
        using var doc = JsonDocument.Parse(output);
        JsonElement[] runs = doc.RootElement.EnumerateArray().ToArray();
        Assert.Equal(3, runs.Length);
        // Round 1 runs the settings in order; each child reports the setting it actually ran under.
        Assert.Equal("tuned", runs[0].GetProperty("setting").GetString());
        Assert.Equal("Applied", runs[0].GetProperty("report").GetProperty("malloc").GetString());
        Assert.Equal(30, runs[0].GetProperty("report").GetProperty("malloc_trim_seconds").GetInt32());
        Assert.Equal("tuned, never trimmed", runs[1].GetProperty("setting").GetString());
        Assert.Equal("Applied", runs[1].GetProperty("report").GetProperty("malloc").GetString());
        Assert.Equal(0, runs[1].GetProperty("report").GetProperty("malloc_trim_seconds").GetInt32());
        Assert.Equal("glibc default", runs[2].GetProperty("setting").GetString());
        Assert.Equal("DisabledByVariable", runs[2].GetProperty("report").GetProperty("malloc").GetString());
        Assert.Equal(0, runs[2].GetProperty("report").GetProperty("malloc_trim_seconds").GetInt32());
        foreach (JsonElement run in runs)
        {
            JsonElement loop = run.GetProperty("report").GetProperty("toolkit").GetProperty("runs")[0];
            Assert.True(loop.GetProperty("minor_faults").GetInt64() >= 0);
            double cpu = loop.GetProperty("cpu_seconds").GetDouble();
            double system = loop.GetProperty("system_cpu_seconds").GetDouble();
            Assert.InRange(system, 0, cpu);
        }
    }

    [Theory]
    [InlineData("--model", "vgg16_bn")]
    [InlineData("--threads", "0")]
    [InlineData("--warmup", "0")]
    public void BenchEngine_BadOption_IsUsageError(string option, string value)
    {
        var (exit, _) = CliRunner.Run("bench", "engine", option, value);
        Assert.Equal(Program.ExitUsage, exit);
    }
}
