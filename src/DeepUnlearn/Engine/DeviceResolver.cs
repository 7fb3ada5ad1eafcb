using System;
using System.Globalization;
using TorchSharp;

namespace DeepUnlearn.Engine;

/// <summary>
/// Turns the <c>--device</c> option into a libtorch device: <c>auto</c> (CUDA device 0 when libtorch reports CUDA,
/// else the CPU), <c>cpu</c>, <c>cuda</c> (device 0) or <c>cuda:N</c>. Case and surrounding blanks are ignored.
/// A device that is asked for but absent is an error before any work starts, never a silent fallback.
/// </summary>
public static class DeviceResolver
{
    /// <summary>The accepted spellings, for help texts and error messages.</summary>
    public const string ValidSpecs = "auto, cpu, cuda, cuda:N (N a device index)";

    /// <summary>Resolves <paramref name="spec"/> against the devices libtorch reports in this process.</summary>
    /// <exception cref="ArgumentException">An unknown spelling, CUDA asked for where libtorch has none, or an index out of range.</exception>
    public static torch.Device Resolve(string spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        bool cuda = torch.cuda.is_available();
        return Resolve(spec, cuda, cuda ? torch.cuda.device_count() : 0);
    }

    /// <summary>Resolves <paramref name="spec"/> given what CUDA offers (the testable core of <see cref="Resolve(string)"/>).</summary>
    internal static torch.Device Resolve(string spec, bool cudaAvailable, int cudaDeviceCount)
    {
        ArgumentNullException.ThrowIfNull(spec);
        string text = spec.Trim().ToLowerInvariant();
        switch (text)
        {
            case "auto":
                return cudaAvailable && cudaDeviceCount > 0 ? new torch.Device(DeviceType.CUDA, 0) : new torch.Device(DeviceType.CPU);
            case "cpu":
                return new torch.Device(DeviceType.CPU);
            case "cuda":
                RequireCuda(spec, cudaAvailable, cudaDeviceCount);
                return new torch.Device(DeviceType.CUDA, 0);
        }
        if (text.StartsWith("cuda:", StringComparison.Ordinal))
        {
            string index = text["cuda:".Length..];
            if (!int.TryParse(index, NumberStyles.None, CultureInfo.InvariantCulture, out int n))
            {
                throw new ArgumentException($"device '{spec}': '{index}' is not a device index (a whole number from 0); valid devices: {ValidSpecs}", nameof(spec));
            }
            RequireCuda(spec, cudaAvailable, cudaDeviceCount);
            if (n >= cudaDeviceCount)
            {
                throw new ArgumentException(
                    string.Create(CultureInfo.InvariantCulture, $"device '{spec}': this machine has {cudaDeviceCount} CUDA device(s), so valid indices are 0 to {cudaDeviceCount - 1}"),
                    nameof(spec));
            }
            return new torch.Device(DeviceType.CUDA, n);
        }
        throw new ArgumentException($"unknown device '{spec}'; valid devices: {ValidSpecs}", nameof(spec));
    }

    private static void RequireCuda(string spec, bool cudaAvailable, int cudaDeviceCount)
    {
        if (!cudaAvailable || cudaDeviceCount < 1)
        {
            throw new ArgumentException(
                $"device '{spec}': CUDA is not available (this build's libtorch reports no CUDA device); use --device cpu or auto, or build with -p:TorchBackend=cuda on a machine with an NVIDIA GPU and driver",
                nameof(spec));
        }
    }
}
