using System.Text.Json;
using Xunit;

namespace DeepUnlearn.Cli.Tests;

public class BenchCommandTests
{
    [Fact]
    public void BenchEngine_Json_RunsBothLoopsAndReportsTheRatio()
    {
        var (exit, output) = CliRunner.Run("bench", "engine", "--model", "smallcnn", "--batch", "4", "--steps", "2", "--warmup", "1", "--rounds", "1", "--json");
        Assert.Equal(Program.ExitOk, exit);
        using var doc = JsonDocument.Parse(output);
        JsonElement root = doc.RootElement;
        Assert.Equal("smallcnn", root.GetProperty("model").GetString());
        Assert.Equal(4, root.GetProperty("batch").GetInt32());
        JsonElement cs = root.GetProperty("c_sharp").GetProperty("runs")[0];
        JsonElement cpp = root.GetProperty("cpp").GetProperty("runs")[0];
        Assert.True(cs.GetProperty("images_per_second").GetDouble() > 0);
        Assert.True(cpp.GetProperty("images_per_second").GetDouble() > 0);
        // The steps run inside scopes: the C# loop leaves no tensor behind.
        Assert.Equal(cs.GetProperty("live_tensors_before").GetInt64(), cs.GetProperty("live_tensors_after").GetInt64());
        double ratio = root.GetProperty("ratio").GetDouble();
        Assert.Equal(cs.GetProperty("images_per_second").GetDouble() / cpp.GetProperty("images_per_second").GetDouble(), ratio, 9);
    }

    [Fact]
    public void BenchEngine_UnknownModel_IsUsageError()
    {
        var (exit, _) = CliRunner.Run("bench", "engine", "--model", "vgg16_bn");
        Assert.Equal(Program.ExitUsage, exit);
    }
}
