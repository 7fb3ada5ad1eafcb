using System;
using System.Buffers;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace DeepUnlearn.Data.Transforms;

/// <summary>
/// Antialiased bilinear resampling, the algorithm of PIL's <c>Image.resize(..., BILINEAR)</c> and of
/// torchvision's <c>resize(antialias=True)</c>: a separable triangle filter whose support widens with
/// the downscaling factor, weights normalised per output pixel (so a constant image stays constant).
/// The horizontal pass runs first (as in PIL), then the vertical, both in float32; the source may be a
/// float image or, to skip converting pixels outside the window, the uint8 image itself (x / 255 per pixel,
/// exactly as <see cref="FloatImage.LoadFrom(ImageBuffer)"/> converts it, so both give identical results).
/// The hot loops here (and in ByteScale, Normalize, RandomHorizontalFlip) are compiled fully optimised at once
/// (<see cref="MethodImplOptions.AggressiveOptimization"/>): under tiered compilation they first ran as unoptimised
/// tier-0 code, measured at 5 ms per 224² RandomResizedCrop for the first 600 images on a loaded 2-core machine
/// against 0.3 ms once optimised, which is most of a short benchmark and of a short epoch.
/// </summary>
internal static class Resampling
{
    [ThreadStatic]
    private static Coefficients? s_horizontal;

    [ThreadStatic]
    private static Coefficients? s_vertical;

    /// <summary>
    /// Resizes the <paramref name="regionHeight"/> × <paramref name="regionWidth"/> window at
    /// (<paramref name="top"/>, <paramref name="left"/>) of <paramref name="source"/> to
    /// <paramref name="height"/> × <paramref name="width"/> in <paramref name="destination"/>, as a crop
    /// followed by a resize (pixels outside the window are not used).
    /// </summary>
    public static void ResizeRegion(FloatImage source, int top, int left, int regionHeight, int regionWidth, FloatImage destination, int height, int width)
    {
        CheckRegion(source.Height, source.Width, top, left, regionHeight, regionWidth);
        Resize(new FloatRows(source), source.Channels, top, left, regionHeight, regionWidth, destination, height, width);
    }

    /// <summary>As <see cref="ResizeRegion(FloatImage, int, int, int, int, FloatImage, int, int)"/> from a uint8 image (values / 255).</summary>
    public static void ResizeRegion(ImageBuffer source, int top, int left, int regionHeight, int regionWidth, FloatImage destination, int height, int width)
    {
        CheckRegion(source.Height, source.Width, top, left, regionHeight, regionWidth);
        Resize(new ByteRows(source), source.Channels, top, left, regionHeight, regionWidth, destination, height, width);
    }

    private static void CheckRegion(int sourceHeight, int sourceWidth, int top, int left, int regionHeight, int regionWidth)
    {
        if (top < 0 || left < 0 || regionHeight <= 0 || regionWidth <= 0 || top + regionHeight > sourceHeight || left + regionWidth > sourceWidth)
        {
            throw new ArgumentOutOfRangeException(nameof(top), $"region {regionHeight}x{regionWidth} at ({top}, {left}) is not inside a {sourceHeight}x{sourceWidth} image");
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Resize<TRows>(TRows source, int channels, int top, int left, int regionHeight, int regionWidth, FloatImage destination, int height, int width)
        where TRows : struct, IRows
    {
        destination.Resize(channels, height, width);
        Coefficients horizontal = s_horizontal ??= new Coefficients();
        Coefficients vertical = s_vertical ??= new Coefficients();
        horizontal.Compute(regionWidth, width, blocks: true);
        vertical.Compute(regionHeight, height, blocks: false);
        float[] temp = ArrayPool<float>.Shared.Rent(channels * regionHeight * width);
        float[] rowBuffer = ArrayPool<float>.Shared.Rent(regionWidth);
        try
        {
            // Horizontal pass: every row of the window to `width` columns.
            for (int c = 0; c < channels; c++)
            {
                for (int y = 0; y < regionHeight; y++)
                {
                    ReadOnlySpan<float> row = source.Row(c, top + y, left, regionWidth, rowBuffer);
                    Span<float> output = temp.AsSpan(((c * regionHeight) + y) * width, width);
                    HorizontalRow(row, output, horizontal);
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
            ArrayPool<float>.Shared.Return(rowBuffer);
            ArrayPool<float>.Shared.Return(temp);
        }
    }

    /// <summary>
    /// As <see cref="ResizeRegion(ImageBuffer, int, int, int, int, FloatImage, int, int)"/> from uint8 CHW pixels
    /// anywhere (a packed store's mapping, without copying them out), handing each finished output row to
    /// <paramref name="sink"/> (channel, row, values) instead of writing an image: the batch loader's fused path, which
    /// normalises, mirrors or rounds the row and stores it straight into the batch tensor. The rows are those of
    /// <see cref="ResizeRegion(ImageBuffer, int, int, int, int, FloatImage, int, int)"/> bit for bit: the same
    /// horizontal pass, and a vertical pass that sums the same products in the same order from 0, in a register
    /// instead of in the output row.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void ResizeRegion<TSink>(ReadOnlySpan<byte> source, int channels, int sourceHeight, int sourceWidth, int top, int left, int regionHeight, int regionWidth,
        int height, int width, ref TSink sink)
        where TSink : struct, IRowSink
    {
        if (source.Length != channels * sourceHeight * sourceWidth)
        {
            throw new ArgumentException($"{source.Length} bytes do not make a {channels}x{sourceHeight}x{sourceWidth} image", nameof(source));
        }
        CheckRegion(sourceHeight, sourceWidth, top, left, regionHeight, regionWidth);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        Coefficients horizontal = s_horizontal ??= new Coefficients();
        Coefficients vertical = s_vertical ??= new Coefficients();
        horizontal.Compute(regionWidth, width, blocks: true);
        vertical.Compute(regionHeight, height, blocks: false);
        float[] temp = ArrayPool<float>.Shared.Rent(channels * regionHeight * width);
        float[] rowBuffer = ArrayPool<float>.Shared.Rent(regionWidth);
        float[] output = ArrayPool<float>.Shared.Rent(width);
        try
        {
            for (int c = 0; c < channels; c++)
            {
                for (int y = 0; y < regionHeight; y++)
                {
                    Span<float> row = rowBuffer.AsSpan(0, regionWidth);
                    ByteScale.Convert(source.Slice((((c * sourceHeight) + top + y) * sourceWidth) + left, regionWidth), row);
                    HorizontalRow(row, temp.AsSpan(((c * regionHeight) + y) * width, width), horizontal);
                }
            }
            Span<float> result = output.AsSpan(0, width);
            for (int c = 0; c < channels; c++)
            {
                ReadOnlySpan<float> plane = temp.AsSpan(c * regionHeight * width, regionHeight * width);
                for (int y = 0; y < height; y++)
                {
                    VerticalRow(plane, vertical.Start[y], vertical.Weights(y), result);
                    sink.Write(c, y, result);
                }
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(output);
            ArrayPool<float>.Shared.Return(rowBuffer);
            ArrayPool<float>.Shared.Return(temp);
        }
    }

    /// <summary>
    /// One row of the vertical pass: output[x] = Σ_k weights[k]·rows[start + k][x], summed k = 0, 1, ... from 0 in float
    /// (the products and sums of the clear-then-<see cref="AddScaled"/> loop of <c>Resize</c>, kept in a register).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void VerticalRow(ReadOnlySpan<float> rows, int start, ReadOnlySpan<float> weights, Span<float> output)
    {
        int width = output.Length;
        ref float first = ref MemoryMarshal.GetReference(rows[(start * width)..]);
        int x = 0;
        if (Vector.IsHardwareAccelerated)
        {
            ref float result = ref MemoryMarshal.GetReference(output);
            for (; x <= width - Vector<float>.Count; x += Vector<float>.Count)
            {
                Vector<float> sum = Vector<float>.Zero;
                for (int k = 0; k < weights.Length; k++)
                {
                    sum += new Vector<float>(weights[k]) * Vector.LoadUnsafe(ref first, (nuint)((k * width) + x));
                }
                sum.StoreUnsafe(ref result, (nuint)x);
            }
        }
        for (; x < width; x++)
        {
            float sum = 0;
            for (int k = 0; k < weights.Length; k++)
            {
                sum += weights[k] * Unsafe.Add(ref first, (k * width) + x);
            }
            output[x] = sum;
        }
    }

    /// <summary>Receives the finished rows of <see cref="ResizeRegion{TSink}"/>.</summary>
    internal interface IRowSink
    {
        /// <summary>Row <paramref name="y"/> of channel <paramref name="channel"/>; <paramref name="row"/> is scratch the sink may modify.</summary>
        void Write(int channel, int y, Span<float> row);
    }

    /// <summary>
    /// One row of the horizontal pass: output[x] = Σ_k w[x, k]·row[start[x] + k], summed k = 0, 1, ... from 0 in
    /// float. With AVX2, eight outputs at a time fetch their k-th taps together (permuted out of two registers when
    /// the block's taps span at most 16 inputs, as they do for any scale up to about 1.5, else gathered); the lanes
    /// of an output with fewer taps than the block's longest add 0·(a pixel), which leaves the sum unchanged, so both
    /// paths give the scalar loop's bits (<see cref="HorizontalRowScalar"/>).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static unsafe void HorizontalRow(ReadOnlySpan<float> row, Span<float> output, Coefficients horizontal)
    {
        int width = output.Length;
        int x = 0;
        fixed (float* input = row)
        fixed (float* result = output)
        {
            if (Avx2.IsSupported && horizontal.Blocks > 0)
            {
                fixed (int* indices = horizontal.BlockIndices)
                fixed (float* masks = horizontal.BlockMasks)
                fixed (float* weights = horizontal.BlockWeights)
                {
                    for (int b = 0; b < horizontal.Blocks; b++)
                    {
                        int offset = horizontal.BlockOffsets[b];
                        int taps = horizontal.BlockTaps[b];
                        int origin = horizontal.BlockOrigins[b];
                        Vector256<float> sum = Vector256<float>.Zero;
                        if (origin >= 0)
                        {
                            // Every tap of the block lies in the 16 inputs from `origin`: pick them from two registers.
                            Vector256<float> low = Avx.LoadVector256(input + origin);
                            Vector256<float> high = Avx.LoadVector256(input + origin + 8);
                            for (int k = 0; k < taps; k++)
                            {
                                int at = offset + (k * 8);
                                Vector256<int> index = Avx.LoadVector256(indices + at);
                                Vector256<float> pixels = Avx.BlendVariable(Avx2.PermuteVar8x32(low, index), Avx2.PermuteVar8x32(high, index), Avx.LoadVector256(masks + at));
                                sum = Avx.Add(sum, Avx.Multiply(Avx.LoadVector256(weights + at), pixels));
                            }
                        }
                        else
                        {
                            for (int k = 0; k < taps; k++)
                            {
                                int at = offset + (k * 8);
                                Vector256<float> pixels = Avx2.GatherVector256(input, Avx.LoadVector256(indices + at), 4);
                                sum = Avx.Add(sum, Avx.Multiply(Avx.LoadVector256(weights + at), pixels));
                            }
                        }
                        Avx.Store(result + (b * 8), sum);
                    }
                    x = horizontal.Blocks * 8;
                }
            }
            for (; x < width; x++)
            {
                ReadOnlySpan<float> w = horizontal.Weights(x);
                float* taps = input + horizontal.Start[x];
                float sum = 0;
                for (int k = 0; k < w.Length; k++)
                {
                    sum += w[k] * taps[k];
                }
                result[x] = sum;
            }
        }
    }

    /// <summary>The reference horizontal row (scalar, no intrinsics): what <see cref="HorizontalRow"/> must equal bit for bit.</summary>
    internal static void HorizontalRowScalar(ReadOnlySpan<float> row, Span<float> output, Coefficients horizontal)
    {
        for (int x = 0; x < output.Length; x++)
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

    // output += weight * input, elementwise.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
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

    /// <summary>Where the horizontal pass reads a window row from.</summary>
    private interface IRows
    {
        /// <summary>Row <paramref name="y"/> of channel <paramref name="channel"/>, columns left .. left + width - 1, as floats in [0, 1].</summary>
        ReadOnlySpan<float> Row(int channel, int y, int left, int width, float[] buffer);
    }

    private readonly struct FloatRows(FloatImage image) : IRows
    {
        public ReadOnlySpan<float> Row(int channel, int y, int left, int width, float[] buffer) => image.Row(channel, y).Slice(left, width);
    }

    private readonly struct ByteRows(ImageBuffer image) : IRows
    {
        public ReadOnlySpan<float> Row(int channel, int y, int left, int width, float[] buffer)
        {
            int start = (((channel * image.Height) + y) * image.Width) + left;
            Span<float> row = buffer.AsSpan(0, width);
            ByteScale.Convert(image.Pixels.Slice(start, width), row);
            return row;
        }
    }

    /// <summary>
    /// Filter taps for one axis: for output i, weights over inputs Start[i] .. Start[i] + Count[i] - 1. For the AVX2
    /// horizontal pass, also per block of eight outputs its longest tap count, the origin of the 16 inputs that hold
    /// all its taps (-1 when they span more), and per tap k the eight input indices (relative to the origin, with a
    /// mask selecting the upper eight, or absolute for a gather; clamped into the input, with weight 0 where an
    /// output has fewer than k + 1 taps) and weights. Reused from call to call (one pair per thread); the arrays
    /// only grow.
    /// </summary>
    internal sealed class Coefficients
    {
        private float[] _weights = [];
        private double[] _scratch = [];
        private int _stride;

        public int Outputs { get; private set; }

        public int[] Start { get; private set; } = [];

        public int[] Count { get; private set; } = [];

        public int Blocks { get; private set; }

        public int[] BlockTaps { get; private set; } = [];

        public int[] BlockOffsets { get; private set; } = [];

        public int[] BlockOrigins { get; private set; } = [];

        public int[] BlockIndices { get; private set; } = [];

        public float[] BlockMasks { get; private set; } = [];

        public float[] BlockWeights { get; private set; } = [];

        public ReadOnlySpan<float> Weights(int output) => _weights.AsSpan(output * _stride, Count[output]);

        /// <summary>New coefficients for resizing <paramref name="inputSize"/> to <paramref name="outputSize"/>, with the AVX2 blocks.</summary>
        public static Coefficients For(int inputSize, int outputSize)
        {
            var coefficients = new Coefficients();
            coefficients.Compute(inputSize, outputSize, blocks: true);
            return coefficients;
        }

        // PIL's precompute_coeffs (libImaging/Resample.c) with the bilinear (triangle) filter, support 1.
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void Compute(int inputSize, int outputSize, bool blocks)
        {
            double scale = (double)inputSize / outputSize;
            double filterScale = Math.Max(scale, 1.0);
            double support = filterScale;
            int stride = ((int)Math.Ceiling(support) * 2) + 1;
            Outputs = outputSize;
            _stride = stride;
            _weights = Grow(_weights, outputSize * stride);
            _scratch = Grow(_scratch, stride);
            Start = Grow(Start, outputSize);
            Count = Grow(Count, outputSize);
            Span<double> w = _scratch;
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
                    _weights[(i * stride) + k] = (float)(total != 0 ? w[k] / total : 0);
                }
                Start[i] = min;
                Count[i] = count;
            }
            Blocks = 0;
            if (blocks && Avx2.IsSupported)
            {
                BuildBlocks(inputSize);
            }
        }

        private static T[] Grow<T>(T[] array, int length) => array.Length >= length ? array : new T[Math.Max(length, array.Length * 2)];

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private void BuildBlocks(int inputSize)
        {
            Blocks = Outputs / 8;
            BlockTaps = Grow(BlockTaps, Blocks);
            BlockOffsets = Grow(BlockOffsets, Blocks);
            BlockOrigins = Grow(BlockOrigins, Blocks);
            int total = 0;
            for (int b = 0; b < Blocks; b++)
            {
                int taps = 0;
                for (int lane = 0; lane < 8; lane++)
                {
                    taps = Math.Max(taps, Count[(b * 8) + lane]);
                }
                BlockTaps[b] = taps;
                BlockOffsets[b] = total;
                total += taps * 8;
            }
            BlockIndices = Grow(BlockIndices, total);
            BlockMasks = Grow(BlockMasks, total);
            BlockWeights = Grow(BlockWeights, total);
            for (int b = 0; b < Blocks; b++)
            {
                // Starts never decrease with the output index, so the block's taps lie in [Start[first], last tap].
                int first = Start[b * 8];
                int last = Math.Min(Start[(b * 8) + 7] + BlockTaps[b] - 1, inputSize - 1);
                int origin = inputSize >= 16 && last - first < 16 ? Math.Min(first, inputSize - 16) : -1;
                BlockOrigins[b] = origin;
                for (int k = 0; k < BlockTaps[b]; k++)
                {
                    for (int lane = 0; lane < 8; lane++)
                    {
                        int output = (b * 8) + lane;
                        int at = BlockOffsets[b] + (k * 8) + lane;
                        int input = Math.Min(Start[output] + k, inputSize - 1);
                        BlockWeights[at] = k < Count[output] ? _weights[(output * _stride) + k] : 0f;
                        if (origin >= 0)
                        {
                            int local = input - origin;
                            BlockIndices[at] = local & 7;
                            BlockMasks[at] = local >= 8 ? BitConverter.Int32BitsToSingle(-1) : 0f;
                        }
                        else
                        {
                            BlockIndices[at] = input;
                        }
                    }
                }
            }
        }
    }
}
