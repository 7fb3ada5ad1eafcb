using System;
using System.Globalization;

namespace DeepUnlearn.Torch;

/// <summary>Kinds of device; the values are libtorch's <c>c10::DeviceType</c> codes.</summary>
public enum DeviceType
{
    /// <summary>The host CPU.</summary>
    Cpu = 0,

    /// <summary>An NVIDIA GPU through CUDA.</summary>
    Cuda = 1,
}

/// <summary>Where a tensor lives: the CPU or a CUDA device.</summary>
/// <param name="Type">CPU or CUDA.</param>
/// <param name="Index">The device ordinal (-1 for the current CUDA device, always -1 for the CPU).</param>
public readonly record struct Device(DeviceType Type, int Index)
{
    /// <summary>The host CPU.</summary>
    public static Device Cpu { get; } = new(DeviceType.Cpu, -1);

    /// <summary>CUDA when libtorch reports a usable GPU, the CPU otherwise.</summary>
    public static Device Auto => LibTorch.CudaIsAvailable ? Cuda(0) : Cpu;

    /// <summary>True for CUDA devices.</summary>
    public bool IsCuda => Type == DeviceType.Cuda;

    /// <summary>CUDA device number <paramref name="index"/>.</summary>
    public static Device Cuda(int index = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        return new Device(DeviceType.Cuda, index);
    }

    /// <summary>Parses <c>cpu</c>, <c>cuda</c>, <c>cuda:N</c> or <c>auto</c> (case-insensitive).</summary>
    public static Device Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        string value = text.Trim().ToLowerInvariant();
        if (value == "cpu")
        {
            return Cpu;
        }
        if (value == "auto")
        {
            return Auto;
        }
        if (value == "cuda")
        {
            return Cuda(0);
        }
        if (value.StartsWith("cuda:", StringComparison.Ordinal) &&
            int.TryParse(value.AsSpan(5), NumberStyles.None, CultureInfo.InvariantCulture, out int index))
        {
            return Cuda(index);
        }
        throw new FormatException($"unknown device '{text}'; valid: cpu, cuda, cuda:N, auto");
    }

    /// <inheritdoc />
    public override string ToString() => Type switch
    {
        DeviceType.Cpu => "cpu",
        _ => Index < 0 ? "cuda" : $"cuda:{Index.ToString(CultureInfo.InvariantCulture)}",
    };
}
