using System;
using System.IO;
using System.Text.Json;
using DeepUnlearn.Engine;
using TorchSharp;
using Xunit;

namespace DeepUnlearn.Cli.Tests;

public class InfoCommandTests
{
    [Fact]
    public void Info_Json_ReportsVersionsThreadsAndDevices()
    {
        var (exit, output) = CliRunner.Run("info", "--json");
        Assert.Equal(Program.ExitOk, exit);
        using var doc = JsonDocument.Parse(output);
        JsonElement root = doc.RootElement;
        RuntimeInfo runtime = TorchRuntime.EnsureInitialized();
        Assert.StartsWith("0.107.", root.GetProperty("torch_sharp_version").GetString() ?? string.Empty, StringComparison.Ordinal);
        Assert.StartsWith("2.10.", root.GetProperty("libtorch_version").GetString() ?? string.Empty, StringComparison.Ordinal);
        Assert.Equal(runtime.Threads, root.GetProperty("threads").GetInt32());
        Assert.Equal(torch.get_num_threads(), runtime.Threads);
        Assert.Equal(Environment.ProcessorCount, root.GetProperty("processor_count").GetInt32());
        Assert.Equal(runtime.OmpWaitPolicy, root.GetProperty("omp_wait_policy").GetString());
        Assert.False(string.IsNullOrEmpty(root.GetProperty("malloc").GetString()));
        Assert.Equal("CPU build, libtorch-cpu-linux-x64", root.GetProperty("backend").GetString());
        Assert.Equal(root.GetProperty("cuda_available").GetBoolean() ? "cuda:0" : "cpu", root.GetProperty("default_device").GetString());
    }

    [Fact]
    public void Info_Text_NamesTorchSharpAndLibtorch()
    {
        var (exit, output) = CliRunner.Run("info");
        Assert.Equal(Program.ExitOk, exit);
        Assert.Contains("TorchSharp 0.107.", output, StringComparison.Ordinal);
        Assert.Contains("libtorch 2.10.", output, StringComparison.Ordinal);
        Assert.Contains("OpenMP wait", output, StringComparison.Ordinal);
    }

    [Fact]
    public void UnknownVerb_IsUsageError()
    {
        var (exit, _) = CliRunner.Run("no-such-verb");
        Assert.Equal(Program.ExitUsage, exit);
    }
}

/// <summary>Runs the CLI in-process with captured standard output.</summary>
internal static class CliRunner
{
    /// <summary>Runs the CLI in-process and returns its exit code, standard output and standard error.</summary>
    public static (int ExitCode, string Output, string Error) RunWithErrors(params string[] args)
    {
        TextWriter original = Console.Error;
        using var writer = new StringWriter();
        Console.SetError(writer);
        try
        {
            var (exit, output) = Run(args);
            return (exit, output, writer.ToString());
        }
        finally
        {
            Console.SetError(original);
        }
    }

    public static (int ExitCode, string Output) Run(params string[] args)
    {
        TextWriter original = Console.Out;
        using var writer = new StringWriter();
        Console.SetOut(writer);
        try
        {
            int exit = Program.Main(args);
            return (exit, writer.ToString());
        }
        finally
        {
            Console.SetOut(original);
        }
    }
}
