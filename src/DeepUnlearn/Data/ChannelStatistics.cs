using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace DeepUnlearn.Data;

/// <summary>
/// Per-channel mean and standard deviation of pixel values scaled to [0, 1], for normalisation
/// (<c>(x - mean) / std</c>, as torchvision's Normalize).
/// </summary>
public sealed class ChannelStatistics
{
    /// <summary>Creates statistics; <paramref name="mean"/> and <paramref name="std"/> have one value per channel.</summary>
    public ChannelStatistics(IReadOnlyList<float> mean, IReadOnlyList<float> std)
    {
        ArgumentNullException.ThrowIfNull(mean);
        ArgumentNullException.ThrowIfNull(std);
        if (mean.Count == 0 || mean.Count != std.Count)
        {
            throw new ArgumentException($"mean and std need the same, non-zero number of channels (got {mean.Count} and {std.Count})", nameof(std));
        }
        if (std.Any(s => !(s > 0) || !float.IsFinite(s)))
        {
            throw new ArgumentException($"every std must be positive and finite, got ({Format(std)})", nameof(std));
        }
        Mean = mean.ToArray();
        Std = std.ToArray();
    }

    /// <summary>CIFAR-10 training set: mean (0.4914, 0.4822, 0.4465), std (0.2470, 0.2435, 0.2616).</summary>
    public static ChannelStatistics Cifar10 { get; } = new([0.4914f, 0.4822f, 0.4465f], [0.2470f, 0.2435f, 0.2616f]);

    /// <summary>CIFAR-100 training set: mean (0.5071, 0.4865, 0.4409), std (0.2673, 0.2564, 0.2762).</summary>
    public static ChannelStatistics Cifar100 { get; } = new([0.5071f, 0.4865f, 0.4409f], [0.2673f, 0.2564f, 0.2762f]);

    /// <summary>Fashion-MNIST training set: mean 0.2860, std 0.3530.</summary>
    public static ChannelStatistics FashionMnist { get; } = new([0.2860f], [0.3530f]);

    /// <summary>MNIST training set: mean 0.1307, std 0.3081.</summary>
    public static ChannelStatistics Mnist { get; } = new([0.1307f], [0.3081f]);

    /// <summary>ImageNet: mean (0.485, 0.456, 0.406), std (0.229, 0.224, 0.225).</summary>
    public static ChannelStatistics ImageNet { get; } = new([0.485f, 0.456f, 0.406f], [0.229f, 0.224f, 0.225f]);

    /// <summary>Identity normalisation for <paramref name="channels"/> channels (mean 0, std 1).</summary>
    public static ChannelStatistics Identity(int channels) =>
        new(Enumerable.Repeat(0f, channels).ToArray(), Enumerable.Repeat(1f, channels).ToArray());

    /// <summary>The mean of each channel.</summary>
    public IReadOnlyList<float> Mean { get; }

    /// <summary>The standard deviation of each channel.</summary>
    public IReadOnlyList<float> Std { get; }

    /// <summary>The number of channels.</summary>
    public int Channels => Mean.Count;

    /// <summary>
    /// Computes the statistics of uint8 CHW samples stored back to back (population std over all pixels
    /// of each channel, as the published dataset constants are computed).
    /// </summary>
    public static ChannelStatistics Compute(ReadOnlySpan<byte> pixels, int channels, int height, int width)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(channels);
        int plane = height * width;
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(plane);
        int sampleLength = channels * plane;
        if (pixels.Length == 0 || pixels.Length % sampleLength != 0)
        {
            throw new ArgumentException($"{pixels.Length} bytes is not a positive multiple of one {channels}x{height}x{width} sample", nameof(pixels));
        }
        var sums = new long[channels];
        var squares = new long[channels];
        for (int offset = 0; offset < pixels.Length; offset += sampleLength)
        {
            for (int c = 0; c < channels; c++)
            {
                ReadOnlySpan<byte> p = pixels.Slice(offset + (c * plane), plane);
                long s = 0, q = 0;
                foreach (byte v in p)
                {
                    s += v;
                    q += v * v;
                }
                sums[c] += s;
                squares[c] += q;
            }
        }
        double n = (double)pixels.Length / channels;
        var mean = new float[channels];
        var std = new float[channels];
        for (int c = 0; c < channels; c++)
        {
            double m = sums[c] / n;
            double variance = Math.Max((squares[c] / n) - (m * m), 0);
            mean[c] = (float)(m / 255.0);
            std[c] = (float)Math.Max(Math.Sqrt(variance) / 255.0, 1e-6);
        }
        return new ChannelStatistics(mean, std);
    }

    /// <inheritdoc />
    public override string ToString() => $"mean=({Format(Mean)}) std=({Format(Std)})";

    private static string Format(IReadOnlyList<float> values) =>
        string.Join(", ", values.Select(v => v.ToString("0.####", CultureInfo.InvariantCulture)));
}
