using System;
using System.Buffers;
using System.Numerics;
using System.Runtime.InteropServices;

namespace DeepUnlearn.Data.Transforms;

/// <summary>
/// Antialiased bilinear resampling, the algorithm of PIL's <c>Image.resize(..., BILINEAR)</c> and of
/// torchvision's <c>resize(antialias=True)</c>: a separable triangle filter whose support widens with
/// the downscaling factor, weights normalised per output pixel (so a constant image stays constant).
/// </summary>
internal static class Resampling
{
    /// <summary>
    /// Resizes the <paramref name="regionHeight"/> × <paramref name="regionWidth"/> window at
    /// (<paramref name="top"/>, <paramref name="left"/>) of <paramref name="source"/> to
    /// <paramref name="height"/> × <paramref name="width"/> in <paramref name="destination"/>, as a crop
    /// followed by a resize (pixels outside the window are not used).
    /// </summary>
    public static void ResizeRegion(FloatImage source, int top, int left, int regionHeight, int regionWidth, FloatImage destination, int height, int width)
    {
        if (top < 0 || left < 0 || regionHeight <= 0 || regionWidth <= 0 || top + regionHeight > source.Height || left + regionWidth > source.Width)
        {
            throw new ArgumentOutOfRangeException(nameof(top), $"region {regionHeight}x{regionWidth} at ({top}, {left}) is not inside a {source.Height}x{source.Width} image");
        }
        destination.Resize(source.Channels, height, width);
        Coefficients horizontal = Coefficients.Compute(regionWidth, width);
        Coefficients vertical = Coefficients.Compute(regionHeight, height);
        int channels = source.Channels;
        float[] temp = ArrayPool<float>.Shared.Rent(channels * regionHeight * width);
        try
        {
            // Horizontal pass: every row of the window to `width` columns.
            for (int c = 0; c < channels; c++)
            {
                for (int y = 0; y < regionHeight; y++)
                {
                    ReadOnlySpan<float> row = source.Row(c, top + y).Slice(left, regionWidth);
                    Span<float> output = temp.AsSpan(((c * regionHeight) + y) * width, width);
                    for (int x = 0; x < width; x++)
                    {
                        ReadOnlySpan<float> weights = horizontal.Weights(x);
                        ReadOnlySpan<float> taps = row.Slice(horizontal.Start[x], weights.Length);
                        float sum = 0;
                        for (int k = 0; k < weights.Length; k++)
                        {
                            sum += weights[k] * taps[k];
                        }
                        output[x] = sum;
                    }
                }
            }
            // Vertical pass: weighted sums of whole rows (vectorisable).
            for (int c = 0; c < channels; c++)
            {
                for (int y = 0; y < height; y++)
                {
                    Span<float> output = destination.Row(c, y);
                    output.Clear();
                    ReadOnlySpan<float> weights = vertical.Weights(y);
                    for (int k = 0; k < weights.Length; k++)
                    {
                        AddScaled(output, temp.AsSpan(((c * regionHeight) + vertical.Start[y] + k) * width, width), weights[k]);
                    }
                }
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(temp);
        }
    }

    // output += weight * input, elementwise.
    private static void AddScaled(Span<float> output, ReadOnlySpan<float> input, float weight)
    {
        int x = 0;
        if (Vector.IsHardwareAccelerated)
        {
            Span<Vector<float>> o = MemoryMarshal.Cast<float, Vector<float>>(output);
            ReadOnlySpan<Vector<float>> i = MemoryMarshal.Cast<float, Vector<float>>(input);
            var w = new Vector<float>(weight);
            for (int v = 0; v < o.Length; v++)
            {
                o[v] += w * i[v];
            }
            x = o.Length * Vector<float>.Count;
        }
        for (; x < output.Length; x++)
        {
            output[x] += weight * input[x];
        }
    }

    /// <summary>Filter taps for one axis: for output i, weights over inputs Start[i] .. Start[i] + Count[i] - 1.</summary>
    private sealed class Coefficients
    {
        private float[] _weights = [];
        private int _stride;

        public int[] Start { get; private set; } = [];

        public int[] Count { get; private set; } = [];

        public ReadOnlySpan<float> Weights(int output) => _weights.AsSpan(output * _stride, Count[output]);

        // PIL's precompute_coeffs (libImaging/Resample.c) with the bilinear (triangle) filter, support 1.
        public static Coefficients Compute(int inputSize, int outputSize)
        {
            double scale = (double)inputSize / outputSize;
            double filterScale = Math.Max(scale, 1.0);
            double support = filterScale;
            int stride = ((int)Math.Ceiling(support) * 2) + 1;
            var result = new Coefficients
            {
                _weights = new float[outputSize * stride],
                _stride = stride,
                Start = new int[outputSize],
                Count = new int[outputSize],
            };
            Span<double> w = stackalloc double[stride];
            for (int i = 0; i < outputSize; i++)
            {
                double center = (i + 0.5) * scale;
                int min = Math.Max((int)(center - support + 0.5), 0);
                int max = Math.Min((int)(center + support + 0.5), inputSize);
                int count = max - min;
                double total = 0;
                for (int k = 0; k < count; k++)
                {
                    double t = Math.Abs((k + min - center + 0.5) / filterScale);
                    w[k] = t < 1 ? 1 - t : 0;
                    total += w[k];
                }
                for (int k = 0; k < count; k++)
                {
                    result._weights[(i * stride) + k] = (float)(total != 0 ? w[k] / total : 0);
                }
                result.Start[i] = min;
                result.Count[i] = count;
            }
            return result;
        }
    }
}
