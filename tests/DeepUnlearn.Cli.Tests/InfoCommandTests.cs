using System;
using System.IO;
using System.Text.Json;
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
        Assert.StartsWith("1.", root.GetProperty("libtorch_version").GetString() ?? string.Empty, StringComparison.Ordinal);
        Assert.Equal(Environment.ProcessorCount, root.GetProperty("threads").GetInt32());
        Assert.Equal(root.GetProperty("cuda_available").GetBoolean() ? "cuda:0" : "cpu", root.GetProperty("default_device").GetString());
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
