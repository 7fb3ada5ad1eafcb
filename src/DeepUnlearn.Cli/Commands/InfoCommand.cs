using System;
using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using DeepUnlearn.Reporting;
using TorchSharp;
using static TorchSharp.torch;

namespace DeepUnlearn.Cli.Commands;

/// <summary><c>deepunlearn info</c>: versions, threads and devices.</summary>
internal static class InfoCommand
{
    public static Command Create()
    {
        var json = new Option<bool>("--json") { Description = "Print the facts as one JSON object." };
        var command = new Command("info", "Show the DeepUnlearn and libtorch versions, thread count and devices.") { json };
        command.SetAction(parse =>
        {
            var facts = Collect();
            if (parse.GetValue(json))
            {
                Console.WriteLine(JsonSerializer.Serialize(facts, JsonFile.Options));
            }
            else
            {
                Console.WriteLine($"DeepUnlearn  {facts.DeepUnlearnVersion}");
                Console.WriteLine($"libtorch     {facts.LibtorchVersion}");
                Console.WriteLine($"threads      {facts.Threads.ToString(CultureInfo.InvariantCulture)} (intra-op; machine has {facts.ProcessorCount.ToString(CultureInfo.InvariantCulture)} cores)");
                Console.WriteLine($"CUDA         {(facts.CudaAvailable ? $"available, {facts.CudaDevices.Length.ToString(CultureInfo.InvariantCulture)} device(s)" : "not available")}");
                foreach (string device in facts.CudaDevices)
                {
                    Console.WriteLine($"  device     {device}");
                }
                Console.WriteLine($"default      {facts.DefaultDevice}");
            }
            return Program.ExitOk;
        });
        return command;
    }

    internal static InfoFacts Collect()
    {
        int count = LibTorch.CudaDeviceCount;
        var devices = new string[LibTorch.CudaIsAvailable ? count : 0];
        for (int i = 0; i < devices.Length; i++)
        {
            devices[i] = Device.Cuda(i).ToString();
        }
        return new InfoFacts(
            ToolkitInfo.Version,
            LibTorch.Version,
            LibTorch.NumThreads,
            Environment.ProcessorCount,
            LibTorch.CudaIsAvailable,
            devices,
            Device.Auto.ToString());
    }
}

/// <summary>What <c>deepunlearn info</c> reports.</summary>
internal sealed record InfoFacts(
    string DeepUnlearnVersion,
    string LibtorchVersion,
    int Threads,
    int ProcessorCount,
    bool CudaAvailable,
    string[] CudaDevices,
    string DefaultDevice);
