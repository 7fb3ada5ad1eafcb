using System;
using System.Linq;
using TorchSharp;
using TorchSharp.Modules;

namespace DeepUnlearn.Engine;

/// <summary>
/// What the user asked for about precision and layout (<c>--amp</c>, <c>--channels-last</c>), resolved against a device
/// and a model into the <see cref="PrecisionPolicy"/> that training, retraining and every unlearning method follow.
/// </summary>
public sealed record PrecisionOptions
{
    /// <summary>The accepted spellings of <c>--amp</c>.</summary>
    public const string AmpValues = "auto, off, bf16, fp16";

    /// <summary>The accepted spellings of <c>--channels-last</c>.</summary>
    public const string ChannelsLastValues = "auto, on, off";

    /// <summary>Mixed precision.</summary>
    public MixedPrecisionMode Amp { get; init; } = MixedPrecisionMode.Auto;

    /// <summary>Channels-last layout.</summary>
    public ChannelsLastMode ChannelsLast { get; init; } = ChannelsLastMode.Auto;

    /// <summary>Parses <c>--amp</c>: auto, off, bf16 (or bfloat16), fp16 (or float16, half); case and blanks ignored.</summary>
    /// <exception cref="ArgumentException">Any other value; the message lists the valid ones.</exception>
    public static MixedPrecisionMode ParseAmp(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return text.Trim().ToLowerInvariant() switch
        {
            "auto" => MixedPrecisionMode.Auto,
            "off" or "fp32" or "float32" => MixedPrecisionMode.Off,
            "bf16" or "bfloat16" => MixedPrecisionMode.BFloat16,
            "fp16" or "float16" or "half" => MixedPrecisionMode.Float16,
            _ => throw new ArgumentException($"--amp '{text}' is not a precision; valid: {AmpValues}"),
        };
    }

    /// <summary>Parses <c>--channels-last</c>: auto, on (or true), off (or false); case and blanks ignored.</summary>
    /// <exception cref="ArgumentException">Any other value; the message lists the valid ones.</exception>
    public static ChannelsLastMode ParseChannelsLast(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return text.Trim().ToLowerInvariant() switch
        {
            "auto" => ChannelsLastMode.Auto,
            "on" or "true" => ChannelsLastMode.On,
            "off" or "false" => ChannelsLastMode.Off,
            _ => throw new ArgumentException($"--channels-last '{text}' is not a layout choice; valid: {ChannelsLastValues}"),
        };
    }

    /// <summary>
    /// The policy for <paramref name="model"/> on <paramref name="device"/>: <see cref="Resolve(torch.Device, bool)"/>
    /// with whether the model has a 2-D convolution.
    /// </summary>
    public PrecisionPolicy Resolve(torch.Device device, torch.nn.Module model)
    {
        ArgumentNullException.ThrowIfNull(model);
        return Resolve(device, HasConvolutions(model));
    }

    /// <summary>
    /// The policy on <paramref name="device"/> for a model with (or without) 2-D convolutions: see
    /// <see cref="MixedPrecisionMode"/> and <see cref="ChannelsLastMode"/>. On CUDA the device's compute capability is
    /// read (<see cref="CudaCapability"/>) only when it matters (auto or bf16).
    /// </summary>
    /// <exception cref="ArgumentException">bf16 asked for on a CUDA device that does not run it (compute capability below 8.0), or a device other than CPU and CUDA with AMP or channels-last on.</exception>
    public PrecisionPolicy Resolve(torch.Device device, bool hasConvolutions)
    {
        ArgumentNullException.ThrowIfNull(device);
        bool cuda = device.type == DeviceType.CUDA;
        Func<(int Major, int Minor)?> capability = () => CudaCapability.Of(Math.Max(device.index, 0));
        return Resolve(device.type, device.ToString(), hasConvolutions, cuda ? capability : () => null);
    }

    /// <summary>The testable core of <see cref="Resolve(torch.Device, bool)"/>: <paramref name="capability"/> stands for the CUDA driver's answer.</summary>
    internal PrecisionPolicy Resolve(DeviceType device, string deviceName, bool hasConvolutions, Func<(int Major, int Minor)?> capability)
    {
        bool cuda = device == DeviceType.CUDA;
        if (!cuda && device != DeviceType.CPU && (Amp is MixedPrecisionMode.BFloat16 or MixedPrecisionMode.Float16 || ChannelsLast == ChannelsLastMode.On))
        {
            throw new ArgumentException($"--amp/--channels-last: {deviceName} is neither a CPU nor a CUDA device; use --amp off --channels-last off");
        }
        torch.ScalarType? dtype;
        string reason;
        switch (Amp)
        {
            case MixedPrecisionMode.Off:
                (dtype, reason) = (null, "--amp off");
                break;
            case MixedPrecisionMode.BFloat16:
                if (cuda && capability() is { } cc && !CudaCapability.SupportsBFloat16(cc))
                {
                    throw new ArgumentException(
                        $"--amp bf16: {deviceName} has compute capability {cc.Major}.{cc.Minor}, and bfloat16 needs {CudaCapability.BFloat16MinimumMajor}.0 or newer (Ampere); use --amp fp16 or auto (float16 with loss scaling)");
                }
                (dtype, reason) = (torch.ScalarType.BFloat16, "--amp bf16");
                break;
            case MixedPrecisionMode.Float16:
                (dtype, reason) = (torch.ScalarType.Float16, "--amp fp16");
                break;
            default:
                if (!cuda)
                {
                    (dtype, reason) = (null, "auto: off on the CPU (bfloat16 autocast measured 12-26x slower than float32 on an AVX2 CPU)");
                }
                else if (capability() is { } found)
                {
                    (dtype, reason) = CudaCapability.SupportsBFloat16(found)
                        ? (torch.ScalarType.BFloat16, $"auto: bf16, compute capability {found.Major}.{found.Minor} ≥ {CudaCapability.BFloat16MinimumMajor}.0")
                        : (torch.ScalarType.Float16, $"auto: fp16 with loss scaling, compute capability {found.Major}.{found.Minor} < {CudaCapability.BFloat16MinimumMajor}.0");
                }
                else
                {
                    (dtype, reason) = (torch.ScalarType.Float16, "auto: fp16 with loss scaling (the CUDA driver did not report the compute capability)");
                }
                break;
        }
        bool channelsLast = ChannelsLast switch
        {
            ChannelsLastMode.On => true,
            ChannelsLastMode.Off => false,
            _ => cuda && hasConvolutions,
        };
        return new PrecisionPolicy(dtype, dtype == torch.ScalarType.Float16, channelsLast, reason);
    }

    /// <summary>Whether <paramref name="model"/> has a 2-D convolution (what channels-last speeds up).</summary>
    public static bool HasConvolutions(torch.nn.Module model)
    {
        ArgumentNullException.ThrowIfNull(model);
        return model.modules().Any(m => m is Conv2d);
    }
}
