using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace DeepUnlearn.Data.Transforms;

/// <summary>Per-channel normalisation, x ← (x − mean_c) / std_c (torchvision's Normalize).</summary>
public sealed class Normalize : IImageTransform
{
    private readonly float[] _mean;
    private readonly float[] _inverseStd;

    /// <summary>Normalises with <paramref name="statistics"/> (see <see cref="ChannelStatistics"/> for the dataset defaults).</summary>
    public Normalize(ChannelStatistics statistics)
    {
        ArgumentNullException.ThrowIfNull(statistics);
        Statistics = statistics;
        _mean = new float[statistics.Channels];
        _inverseStd = new float[statistics.Channels];
        for (int c = 0; c < statistics.Channels; c++)
        {
            _mean[c] = statistics.Mean[c];
            _inverseStd[c] = 1f / statistics.Std[c];
        }
    }

    /// <summary>The statistics applied.</summary>
    public ChannelStatistics Statistics { get; }

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Apply(TransformContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        FloatImage image = context.Image;
        if (image.Channels != _mean.Length)
        {
            throw new InvalidOperationException(
                $"Normalize has statistics for {_mean.Length} channel(s), but sample {context.SampleId} has {image.Channels}");
        }
        for (int c = 0; c < image.Channels; c++)
        {
            Apply(image.Plane(c), _mean[c], _inverseStd[c]);
        }
    }

    /// <summary>The per-channel means, in float.</summary>
    internal ReadOnlySpan<float> Means => _mean;

    /// <summary>The per-channel 1 / std, in float (normalising multiplies by them).</summary>
    internal ReadOnlySpan<float> InverseStds => _inverseStd;

    /// <summary>values ← (values − mean) · scale, elementwise: the one definition the transform and the batch loader's fused path share.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void Apply(Span<float> values, float mean, float scale)
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            // The same two IEEE operations per value as the scalar loop, so the result is identical.
            Span<Vector<float>> vectors = MemoryMarshal.Cast<float, Vector<float>>(values);
            var means = new Vector<float>(mean);
            var scales = new Vector<float>(scale);
            for (int v = 0; v < vectors.Length; v++)
            {
                vectors[v] = (vectors[v] - means) * scales;
            }
            i = vectors.Length * Vector<float>.Count;
        }
        for (; i < values.Length; i++)
        {
            values[i] = (values[i] - mean) * scale;
        }
    }

    /// <inheritdoc />
    public override string ToString() => $"Normalize({Statistics})";
}
