using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text.Json;
using Xunit;

namespace DeepUnlearn.Tests.Engine;

/// <summary>
/// The one build switch between libtorch builds (issue 12): MSBuild evaluates which package the library references for
/// each <c>TorchBackend</c>, without restoring anything, so CI (which cannot fetch the CUDA package) still checks that
/// <c>-p:TorchBackend=cuda</c> selects libtorch-cuda-12.8 and drops the CPU package, and that a wrong value is refused.
/// </summary>
public class TorchBackendSwitchTests
{
    [Theory]
    [InlineData(null, "libtorch-cpu-linux-x64", "libtorch-cuda-12.8-linux-x64")]
    [InlineData("cpu", "libtorch-cpu-linux-x64", "libtorch-cuda-12.8-linux-x64")]
    [InlineData("cuda", "libtorch-cuda-12.8-linux-x64", "libtorch-cpu-linux-x64")]
    public void PackageReferences_ForEachBackend_NameExactlyItsLibTorch(string? backend, string expected, string absent)
    {
        var (exit, output) = Msbuild("-getItem:PackageReference", backend);
        Assert.True(exit == 0, output);
        using JsonDocument json = JsonDocument.Parse(output);
        string[] packages = json.RootElement.GetProperty("Items").GetProperty("PackageReference").EnumerateArray()
            .Select(item => item.GetProperty("Identity").GetString()!).ToArray();
        Assert.Contains("TorchSharp", packages);
        Assert.Contains(expected, packages);
        Assert.DoesNotContain(absent, packages);
    }

    [Fact]
    public void Build_UnknownBackend_IsRefusedNamingTheValidOnes()
    {
        var (exit, output) = Msbuild("-t:DuCheckTorchBackend", "rocm");
        Assert.NotEqual(0, exit);
        Assert.Contains("TorchBackend='rocm'", output, StringComparison.Ordinal);
        Assert.Contains("cuda", output, StringComparison.Ordinal);
    }

    private static (int Exit, string Output) Msbuild(string what, string? backend)
    {
        string project = Path.Combine(RepositoryRoot(), "src", "DeepUnlearn", "DeepUnlearn.csproj");
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in new[] { "msbuild", project, what, "-nologo" })
        {
            start.ArgumentList.Add(argument);
        }
        if (backend is not null)
        {
            start.ArgumentList.Add($"-p:TorchBackend={backend}");
        }
        using Process process = Process.Start(start)!;
        string stdout = process.StandardOutput.ReadToEnd();
        string stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, stdout + stderr);
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "DeepUnlearn.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException($"no DeepUnlearn.sln above {AppContext.BaseDirectory}");
    }
}
