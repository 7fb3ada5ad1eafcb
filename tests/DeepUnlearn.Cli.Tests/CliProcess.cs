using System;
using System.Diagnostics;
using System.IO;
using System.Threading.Tasks;

namespace DeepUnlearn.Cli.Tests;

/// <summary>Runs the built <c>deepunlearn</c> as a separate process (for tests that need several processes at once).</summary>
internal static class CliProcess
{
    /// <summary>The CLI assembly of the same configuration as these tests.</summary>
    public static string CliAssembly
    {
        get
        {
            // .../tests/DeepUnlearn.Cli.Tests/bin/<Configuration>/net10.0/ → .../src/DeepUnlearn.Cli/bin/<Configuration>/net10.0/
            string testBin = AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar);
            string framework = Path.GetFileName(testBin);
            string configuration = Path.GetFileName(Path.GetDirectoryName(testBin)!);
            for (string? dir = testBin; dir is not null; dir = Path.GetDirectoryName(dir))
            {
                if (File.Exists(Path.Combine(dir, "DeepUnlearn.sln")))
                {
                    string dll = Path.Combine(dir, "src", "DeepUnlearn.Cli", "bin", configuration, framework, "DeepUnlearn.Cli.dll");
                    return File.Exists(dll) ? dll : throw new FileNotFoundException($"build the CLI first: {dll} is missing", dll);
                }
            }
            throw new DirectoryNotFoundException("DeepUnlearn.sln not found above the test binaries");
        }
    }

    /// <summary>Starts the CLI with <paramref name="args"/>; standard output and error are collected.</summary>
    public static Running Start(params string[] args)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(CliAssembly);
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        Process process = Process.Start(start) ?? throw new InvalidOperationException("could not start dotnet");
        return new Running(process, process.StandardOutput.ReadToEndAsync(), process.StandardError.ReadToEndAsync());
    }

    /// <summary>A running CLI process.</summary>
    internal sealed class Running(Process process, Task<string> output, Task<string> error)
    {
        /// <summary>Kills the process at once (SIGKILL), as a preempted job or an out-of-memory kill would.</summary>
        public void Kill() => process.Kill(entireProcessTree: true);

        /// <summary>Waits for the exit (killing the process after <paramref name="timeout"/>).</summary>
        public async Task<(int ExitCode, string Output, string Error)> WaitAsync(TimeSpan timeout)
        {
            using (process)
            {
                Task exited = process.WaitForExitAsync();
                if (await Task.WhenAny(exited, Task.Delay(timeout)) != exited)
                {
                    process.Kill(entireProcessTree: true);
                    throw new TimeoutException($"deepunlearn did not finish within {timeout}: {await error}");
                }
                await exited;
                return (process.ExitCode, await output, await error);
            }
        }
    }
}
