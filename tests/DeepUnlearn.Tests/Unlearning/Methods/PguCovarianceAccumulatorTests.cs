using System;
using System.Linq;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using DeepUnlearn.Unlearning.Methods.Pgu;
using Xunit;

namespace DeepUnlearn.Tests.Unlearning.Methods;

/// <summary>
/// The hook-built XᵀX of PGU against an explicit unfold: patches cut out of a known input by index arithmetic
/// (zero padding, stride, dilation, channel-major order), and the convolution itself as the judge of the order.
/// </summary>
public class PguCovarianceAccumulatorTests
{
    [Theory]
    [InlineData(3, 2, 1, 1)]   // stride 2 (the patches the weights multiply, not the authors' stride-1 unfold)
    [InlineData(3, 1, 2, 2)]   // dilation 2, padding 2
    [InlineData(1, 1, 0, 1)]   // a 1×1 convolution (ResNet's downsample)
    public void Run_Conv_EqualsTheSumOfExplicitlyUnfoldedPatches(int kernel, int stride, int padding, int dilation)
    {
        using var scope = torch.NewDisposeScope();
        const int n = 2, channels = 2, size = 5, outChannels = 3;
        using var conv = new Conv2d(channels, outChannels, kernel, stride, padding, dilation, bias: false, generator: new Generator(1));
        conv.to(ScalarType.Float64);
        double[] pixels = Enumerable.Range(0, n * channels * size * size).Select(i => Math.Sin(i * 0.7) + (0.01 * i)).ToArray();
        Tensor input = Tensor.From<double>(pixels, [n, channels, size, size]);

        int outSize = ((size + (2 * padding) - (dilation * (kernel - 1)) - 1) / stride) + 1;
        int d = channels * kernel * kernel;
        var expected = new double[d, d];
        double[] w = conv.Weight.detach().reshape(outChannels, -1).ToArray<double>();
        double[] output;
        using (torch.no_grad())
        {
            output = conv.call(input).ToArray<double>();
        }
        var patch = new double[d];
        for (int s = 0; s < n; s++)
        {
            for (int oy = 0; oy < outSize; oy++)
            {
                for (int ox = 0; ox < outSize; ox++)
                {
                    for (int c = 0; c < channels; c++)
                    {
                        for (int i = 0; i < kernel; i++)
                        {
                            for (int j = 0; j < kernel; j++)
                            {
                                int y = (oy * stride) - padding + (i * dilation);
                                int x = (ox * stride) - padding + (j * dilation);
                                bool inside = y >= 0 && y < size && x >= 0 && x < size;
                                patch[(c * kernel * kernel) + (i * kernel) + j] = inside ? pixels[(((s * channels) + c) * size * size) + (y * size) + x] : 0;
                            }
                        }
                    }
                    // The order is the weight's: W.reshape(out, −1)·patch is the convolution's output here.
                    for (int o = 0; o < outChannels; o++)
                    {
                        double dot = Enumerable.Range(0, d).Sum(q => w[(o * d) + q] * patch[q]);
                        double actual = output[(((s * outChannels) + o) * outSize * outSize) + (oy * outSize) + ox];
                        Assert.True(Math.Abs(dot - actual) < 1e-9, $"patch order: W·patch {dot} but the convolution gives {actual}");
                    }
                    for (int a = 0; a < d; a++)
                    {
                        for (int b = 0; b < d; b++)
                        {
                            expected[a, b] += patch[a] * patch[b];
                        }
                    }
                }
            }
        }

        var layers = PguLayer.Find(conv);
        Assert.Equal(d, layers.Single().Inputs);
        using var accumulator = new PguCovarianceAccumulator(layers, torch.CPU);
        accumulator.Run(conv, input.narrow(0, 0, 1));   // two batches: the sum must not depend on the split
        accumulator.Run(conv, input.narrow(0, 1, 1));
        Assert.Equal(n, accumulator.Samples);
        double[] actualSums = accumulator.Sums[0].ToArray<double>();
        for (int a = 0; a < d; a++)
        {
            for (int b = 0; b < d; b++)
            {
                Assert.True(Math.Abs(expected[a, b] - actualSums[(a * d) + b]) < 1e-9 * (1 + Math.Abs(expected[a, b])), $"R[{a},{b}] = {actualSums[(a * d) + b]}, explicit unfold gives {expected[a, b]}");
            }
        }
    }

    [Fact]
    public void Run_Linear_EqualsXTransposeX_AndHooksAreRemovedOnDispose()
    {
        using var scope = torch.NewDisposeScope();
        using var linear = new Linear(3, 2, generator: new Generator(2));
        linear.to(ScalarType.Float64);
        double[][] rows = [[1, 2, 3], [-1, 0, 4], [0.5, -2, 1], [2, 2, -1]];
        Tensor x = Tensor.From<double>(rows.SelectMany(r => r).ToArray(), [4, 3]);
        using (var accumulator = new PguCovarianceAccumulator(PguLayer.Find(linear), torch.CPU))
        {
            accumulator.Run(linear, x);
            double[] sums = accumulator.Sums[0].ToArray<double>();
            for (int a = 0; a < 3; a++)
            {
                for (int b = 0; b < 3; b++)
                {
                    Assert.Equal(rows.Sum(r => r[a] * r[b]), sums[(a * 3) + b], 12);
                }
            }
        }
        Assert.Null(linear.ForwardPreHook);
    }
}
