using System;
using DeepUnlearn.Torch.Tests.Support;
using Xunit;
using F = DeepUnlearn.Torch.Nn.Functional;

namespace DeepUnlearn.Torch.Tests.FunctionalOps;

/// <summary>max_pool2d, avg_pool2d and adaptive_avg_pool2d against direct loops and finite differences.</summary>
public class PoolingTests
{
    [Fact]
    public void MaxPool2d_Arange4x4_TakesBlockMaxima()
    {
        using var scope = TensorScope.Begin();
        Tensor x = Tensor.Arange(0, 16, 1, DType.Float64).Reshape(1, 1, 4, 4);
        TensorAssert.Close([5, 7, 13, 15], [1, 1, 2, 2], F.MaxPool2d(x, 2));
        // Kernel 3, stride 2, padding 1: windows rows {0,1}, {1,2,3} x the same columns.
        TensorAssert.Close([5, 7, 13, 15], [1, 1, 2, 2], F.MaxPool2d(x, 3, 2, 1));
    }

    [Theory]
    [InlineData(2, 2, 0, 1, false)]
    [InlineData(3, 2, 1, 1, false)]
    [InlineData(2, 1, 0, 2, false)]
    [InlineData(3, 2, 0, 1, true)]
    public void MaxPool2d_Options_MatchDirectLoopsAndFiniteDifferences(int kernel, int stride, int padding, int dilation, bool ceilMode)
    {
        using var scope = TensorScope.Begin();
        Tensor x = TestData.Distinct(20, [2, 2, 5, 6]);
        Tensor y = F.MaxPool2d(x, kernel, stride, padding, dilation, ceilMode);
        (double[] expected, long[] shape) = Pool(x, kernel, stride, padding, dilation, ceilMode, max: true, countIncludePad: false);
        TensorAssert.Close(expected, shape, y, 0, 0, "max_pool2d");
        GradCheck.Check(t => F.MaxPool2d(t, kernel, stride, padding, dilation, ceilMode), x);
    }

    [Theory]
    [InlineData(2, 2, 0, false, true)]
    [InlineData(3, 2, 1, false, true)]
    [InlineData(3, 2, 1, false, false)]
    [InlineData(3, 2, 1, true, false)]
    [InlineData(2, 1, 1, true, true)]
    public void AvgPool2d_Options_MatchDirectLoopsAndFiniteDifferences(int kernel, int stride, int padding, bool ceilMode, bool countIncludePad)
    {
        using var scope = TensorScope.Begin();
        Tensor x = TestData.Normal(21, [1, 2, 5, 6]);
        Tensor y = F.AvgPool2d(x, kernel, stride, padding, ceilMode, countIncludePad);
        (double[] expected, long[] shape) = Pool(x, kernel, stride, padding, 1, ceilMode, max: false, countIncludePad);
        TensorAssert.Close(expected, shape, y, 1e-14, 1e-14, "avg_pool2d");
        GradCheck.Check(t => F.AvgPool2d(t, kernel, stride, padding, ceilMode, countIncludePad), x);
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(2, 3)]
    [InlineData(3, 2)]
    [InlineData(5, 7)]
    public void AdaptiveAvgPool2d_OutputSizes_MatchBinMeansAndFiniteDifferences(int oh, int ow)
    {
        using var scope = TensorScope.Begin();
        Tensor x = TestData.Normal(22, [2, 2, 5, 7]);
        Tensor y = F.AdaptiveAvgPool2d(x, oh, ow);
        double[] v = x.ToArray<double>();
        var expected = new double[2 * 2 * oh * ow];
        int o = 0;
        for (int nc = 0; nc < 4; nc++)
        {
            for (int i = 0; i < oh; i++)
            {
                // PyTorch's bins: [floor(i·H/oh), ceil((i+1)·H/oh)).
                int h0 = i * 5 / oh, h1 = ((i + 1) * 5 + oh - 1) / oh;
                for (int j = 0; j < ow; j++)
                {
                    int w0 = j * 7 / ow, w1 = ((j + 1) * 7 + ow - 1) / ow;
                    double sum = 0;
                    for (int h = h0; h < h1; h++)
                    {
                        for (int w = w0; w < w1; w++)
                        {
                            sum += v[(nc * 5 + h) * 7 + w];
                        }
                    }
                    expected[o++] = sum / ((h1 - h0) * (w1 - w0));
                }
            }
        }
        TensorAssert.Close(expected, [2, 2, oh, ow], y, 1e-14, 1e-14, "adaptive_avg_pool2d");
        GradCheck.Check(t => F.AdaptiveAvgPool2d(t, oh, ow), x);
    }

    /// <summary>Reference pooling over [N, C, H, W] by direct loops, with PyTorch's output-size rules.</summary>
    private static (double[] Values, long[] Shape) Pool(Tensor input, int k, int s, int p, int d, bool ceilMode, bool max, bool countIncludePad)
    {
        long[] shape = input.ShapeArray();
        int nc = (int)(shape[0] * shape[1]), h = (int)shape[2], w = (int)shape[3];
        int oh = OutputSize(h, k, s, p, d, ceilMode), ow = OutputSize(w, k, s, p, d, ceilMode);
        double[] v = input.ToArray<double>();
        var result = new double[nc * oh * ow];
        for (int c = 0; c < nc; c++)
        {
            for (int i = 0; i < oh; i++)
            {
                for (int j = 0; j < ow; j++)
                {
                    double acc = max ? double.NegativeInfinity : 0;
                    int count = 0;
                    for (int a = 0; a < k; a++)
                    {
                        for (int b = 0; b < k; b++)
                        {
                            int r = i * s - p + a * d, q = j * s - p + b * d;
                            bool inside = r >= 0 && r < h && q >= 0 && q < w;
                            if (inside)
                            {
                                double value = v[(c * h + r) * w + q];
                                acc = max ? Math.Max(acc, value) : acc + value;
                                count++;
                            }
                        }
                    }
                    if (!max)
                    {
                        // count_include_pad counts the padded window clipped to the padded input.
                        int rows = Math.Min(i * s - p + k, h + p) - (i * s - p);
                        int cols = Math.Min(j * s - p + k, w + p) - (j * s - p);
                        acc /= countIncludePad ? rows * cols : count;
                    }
                    result[(c * oh + i) * ow + j] = acc;
                }
            }
        }
        return (result, [shape[0], shape[1], oh, ow]);
    }

    private static int OutputSize(int size, int k, int s, int p, int d, bool ceilMode)
    {
        int span = size + 2 * p - d * (k - 1) - 1;
        int o = (ceilMode ? (span + s - 1) / s : span / s) + 1;
        // With ceil mode the last window must start inside the input or left padding.
        if (ceilMode && (o - 1) * s >= size + p)
        {
            o--;
        }
        return o;
    }
}
