using System;
using System.CommandLine;
using System.Globalization;
using System.Linq;
using System.Reflection;
using System.Text.Json;
using DeepUnlearn.Engine;
using DeepUnlearn.Reporting;
using TorchSharp;

namespace DeepUnlearn.Cli.Commands;

/// <summary><c>deepunlearn info</c>: versions of the toolkit and its engine, threads, malloc and OpenMP settings, devices.</summary>
internal static class InfoCommand
{
    public static Command Create()
    {
        var json = new Option<bool>("--json") { Description = "Print the facts as one JSON object." };
        var command = new Command("info", "Show the DeepUnlearn, TorchSharp and libtorch versions, threads, malloc and OpenMP settings, and devices.") { json };
        command.SetAction(parse =>
        {
            InfoFacts facts = Collect();
            if (parse.GetValue(json))
            {
                Console.WriteLine(JsonSerializer.Serialize(facts, JsonFile.Options));
                return Program.ExitOk;
            }
            string threadsFrom = facts.ThreadsFromVariable ? TorchRuntime.ThreadsVariable : "the cores";
            Console.WriteLine($"DeepUnlearn  {facts.DeepUnlearnVersion}");
            Console.WriteLine($"engine       TorchSharp {facts.TorchSharpVersion} on libtorch {facts.LibtorchVersion} ({facts.Backend})");
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"threads      {facts.Threads} intra-op (from {threadsFrom}; this machine has {facts.ProcessorCount} cores)"));
            Console.WriteLine($"malloc       {facts.Malloc}");
            Console.WriteLine($"OpenMP wait  {facts.OmpWaitPolicy}");
            Console.WriteLine($"CUDA         {(facts.CudaAvailable ? string.Create(CultureInfo.InvariantCulture, $"available, {facts.CudaDevices.Length} device(s)") : "not available")}");
            foreach (string device in facts.CudaDevices)
            {
                Console.WriteLine($"  device     {device}");
            }
            Console.WriteLine($"default      {facts.DefaultDevice} (--device auto)");
            return Program.ExitOk;
        });
        return command;
    }

    internal static InfoFacts Collect()
    {
        RuntimeInfo runtime = TorchRuntime.EnsureInitialized();
        var devices = new string[runtime.CudaAvailable ? runtime.CudaDeviceCount : 0];
        for (int i = 0; i < devices.Length; i++)
        {
            devices[i] = new torch.Device(DeviceType.CUDA, i).ToString();
        }
        return new InfoFacts(
            ToolkitInfo.Version,
            runtime.TorchSharpVersion,
            runtime.LibTorchVersion,
            Backend(),
            runtime.Threads,
            runtime.ThreadsFromVariable,
            runtime.Cores,
            DescribeMalloc(runtime.Malloc, runtime.MallocTrimSeconds),
            runtime.OmpWaitPolicy,
            runtime.CudaAvailable,
            devices,
            DeviceResolver.Resolve("auto").ToString());
    }

    private static string DescribeMalloc(MallocTuning malloc, int trimSeconds) => malloc switch
    {
        MallocTuning.Applied => string.Create(CultureInfo.InvariantCulture,
            $"tuned: mmap threshold {TorchRuntime.MmapThresholdBytes >> 20} MiB, trim threshold {TorchRuntime.TrimThresholdBytes >> 20} MiB, ")
            + (trimSeconds > 0
                ? string.Create(CultureInfo.InvariantCulture, $"freed heap memory returned to the kernel every {trimSeconds} s ({MallocTrimmer.PeriodVariable})")
                : $"freed heap memory kept ({MallocTrimmer.PeriodVariable}=0)")
            + $"; {TorchRuntime.MallocTuningVariable}=0 keeps glibc's defaults",
        MallocTuning.DisabledByVariable => $"glibc defaults ({TorchRuntime.MallocTuningVariable} turned the tuning off)",
        MallocTuning.LeftToUserSettings => "the user's settings (GLIBC_TUNABLES or MALLOC_*_ variables)",
        _ => "glibc defaults (not tunable here: not glibc, or mallopt refused)",
    };

    // The libtorch package the toolkit was built with (-p:TorchBackend=cpu|cuda), recorded in its assembly.
    private static string Backend()
    {
        string? backend = typeof(ToolkitInfo).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == "DeepUnlearn.TorchBackend")?.Value;
        return backend switch
        {
            "cpu" => "CPU build, libtorch-cpu-linux-x64",
            "cuda" => "CUDA build, libtorch-cuda-12.8-linux-x64",
            _ => "unknown build",
        };
    }
}

/// <summary>What <c>deepunlearn info</c> reports.</summary>
internal sealed record InfoFacts(
    string DeepUnlearnVersion,
    string TorchSharpVersion,
    string LibtorchVersion,
    string Backend,
    int Threads,
    bool ThreadsFromVariable,
    int ProcessorCount,
    string Malloc,
    string OmpWaitPolicy,
    bool CudaAvailable,
    string[] CudaDevices,
    string DefaultDevice);
