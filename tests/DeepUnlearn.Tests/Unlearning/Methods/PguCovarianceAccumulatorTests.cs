using System;
using System.Collections;
using System.Linq;
using System.Reflection;
using DeepUnlearn.Engine;
using DeepUnlearn.Unlearning.Methods.Pgu;
using TorchSharp;
using TorchSharp.Modules;
using TorchSharp.Utils;
using Xunit;
using static TorchSharp.torch;

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
        using Conv2d conv = nn.Conv2d(channels, outChannels, kernel, stride: stride, padding: padding, dilation: dilation, bias: false);
        SeededInitializer.Initialize(conv, 1, InitRules.PyTorchDefault);
        conv.to(ScalarType.Float64);
        double[] pixels = Enumerable.Range(0, n * channels * size * size).Select(i => Math.Sin(i * 0.7) + (0.01 * i)).ToArray();
        Tensor input = torch.tensor(pixels, [n, channels, size, size]);

        int outSize = ((size + (2 * padding) - (dilation * (kernel - 1)) - 1) / stride) + 1;
        int d = channels * kernel * kernel;
        var expected = new double[d, d];
        double[] w = conv.weight.detach().reshape(outChannels, -1).data<double>().ToArray();
        double[] output;
        using (torch.no_grad())
        {
            output = conv.call(input).data<double>().ToArray();
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
        using var accumulator = new PguCovarianceAccumulator(conv, layers, torch.CPU);
        accumulator.Run(input.narrow(0, 0, 1));   // two batches: the sum must not depend on the split
        accumulator.Run(input.narrow(0, 1, 1));
        Assert.Equal(n, accumulator.Samples);
        double[] actualSums = accumulator.Sums[0].data<double>().ToArray();
        for (int a = 0; a < d; a++)
        {
            for (int b = 0; b < d; b++)
            {
                Assert.True(Math.Abs(expected[a, b] - actualSums[(a * d) + b]) < 1e-9 * (1 + Math.Abs(expected[a, b])), $"R[{a},{b}] = {actualSums[(a * d) + b]}, explicit unfold gives {expected[a, b]}");
            }
        }
    }

    [Theory]
    [InlineData(3, 2, 2, 1, 1, 0, 1, 2, PaddingModes.Zeros)]     // rectangular kernel, stride, padding and dilation
    [InlineData(3, 3, 1, 1, 1, 1, 1, 1, PaddingModes.Reflect)]   // padding mode: reflect
    [InlineData(3, 3, 2, 2, 2, 1, 1, 1, PaddingModes.Circular)]  // circular, strided
    [InlineData(2, 3, 1, 1, -1, -1, 1, 2, PaddingModes.Zeros)]   // padding "same" (−1): odd total in height (the extra row at the bottom), even in width
    public void InputColumns_AnyConvolution_WeightTimesColumnsIsTheConvolutionsOutput(int kh, int kw, int sh, int sw, int ph, int pw, int dh, int dw, PaddingModes mode)
    {
        // The convolution itself is the judge: W·[patches] must reproduce its output position by position, so the
        // patches use its padding (amount and mode), stride and dilation, in the weight's (c, i, j) order.
        using var scope = torch.NewDisposeScope();
        using Conv2d conv = ph < 0
            ? nn.Conv2d(2, 3, (kh, kw), TorchSharp.Padding.Same, dilation: (dh, dw), padding_mode: mode, bias: false)
            : nn.Conv2d(2, 3, (kh, kw), stride: (sh, sw), padding: (ph, pw), dilation: (dh, dw), padding_mode: mode, bias: false);
        SeededInitializer.Initialize(conv, 4, InitRules.PyTorchDefault);
        conv.to(ScalarType.Float64);
        using var generator = new Generator(9);
        Tensor input = torch.randn([2, 2, 6, 7], ScalarType.Float64, generator: generator);
        PguLayer layer = PguLayer.Find(conv).Single();
        Assert.Equal(2 * kh * kw, layer.Inputs);
        using (torch.no_grad())
        {
            Tensor output = conv.call(input); // [N, out, H', W']
            Tensor columns = layer.InputColumns(input); // [d, N·H'·W'], sample-major
            Tensor product = conv.weight.reshape(3, -1).mm(columns).reshape(3, output.size(0), output.size(2), output.size(3)).permute(1, 0, 2, 3);
            double worst = product.sub(output).abs().max().ToDouble();
            Assert.True(worst < 1e-12, $"W·columns differs from the convolution's output by {worst}");
        }
    }

    [Fact]
    public void Run_ChannelsLastModel_SameSumsAsTheContiguousModel()
    {
        // Under --channels-last the hooks see NHWC-strided layer inputs; the patches (and so R_l) must not change.
        // float64 and an integer-valued input keep both sums exact up to the last bits of the convolutions' own
        // reordered sums (1e-9 relative).
        using var scope = torch.NewDisposeScope();
        using var generator = new Generator(3);
        var contiguous = new DeepUnlearn.Tests.Engine.EngineSmallCnn(3, 4, 8);
        SeededInitializer.Initialize(contiguous, 2, InitRules.PyTorchDefault);
        contiguous.to(ScalarType.Float64).eval();
        var channelsLast = new DeepUnlearn.Tests.Engine.EngineSmallCnn(3, 4, 8);
        channelsLast.to(ScalarType.Float64).eval();
        StrictStateLoader.Load(channelsLast, contiguous.state_dict());
        MemoryLayout.ToChannelsLast(channelsLast);
        Tensor input = torch.randint(-3, 4, [6, 3, 8, 8], generator: generator).to(ScalarType.Float64);

        Tensor[] Sums(nn.Module<Tensor, Tensor> model, Tensor x)
        {
            using var accumulator = new PguCovarianceAccumulator(model, PguLayer.Find(model), torch.CPU);
            accumulator.Run(x);
            return accumulator.Take();
        }
        Tensor[] expected = Sums(contiguous, input);
        Tensor[] actual = Sums(channelsLast, MemoryLayout.ToChannelsLast(input));

        Assert.Equal(expected.Length, actual.Length);
        for (int l = 0; l < expected.Length; l++)
        {
            double difference = actual[l].sub(expected[l]).abs().max().item<double>();
            double scale = expected[l].abs().max().item<double>();
            Assert.True(difference <= 1e-9 * scale, $"layer {l}: R differs by {difference:G3} (scale {scale:G3})");
        }
    }

    [Fact]
    public void Run_Linear_EqualsXTransposeX_AndHooksAreRemovedOnDispose()
    {
        using var scope = torch.NewDisposeScope();
        using Linear linear = nn.Linear(3, 2);
        SeededInitializer.Initialize(linear, 2, InitRules.PyTorchDefault);
        linear.to(ScalarType.Float64);
        double[][] rows = [[1, 2, 3], [-1, 0, 4], [0.5, -2, 1], [2, 2, -1]];
        Tensor x = torch.tensor(rows.SelectMany(r => r).ToArray(), [4, 3]);
        using (var accumulator = new PguCovarianceAccumulator(linear, PguLayer.Find(linear), torch.CPU))
        {
            Assert.Equal(1, Hooks(linear));
            accumulator.Run(x);
            double[] sums = accumulator.Sums[0].data<double>().ToArray();
            for (int a = 0; a < 3; a++)
            {
                for (int b = 0; b < 3; b++)
                {
                    Assert.Equal(rows.Sum(r => r[a] * r[b]), sums[(a * 3) + b], 12);
                }
            }
        }
        Assert.Equal(0, Hooks(linear));
    }

    [Fact]
    public void Run_ModelCallingItsLayerWithForward_ThrowsNamingTheLayer()
    {
        // TorchSharp fires hooks only through call(): a model whose forward() calls fc.forward(x) would leave R = 0
        // for fc (and PGU would move its weights freely) unless the accumulator notices the silent hook.
        using var scope = torch.NewDisposeScope();
        using var model = new BypassingModel();
        using var accumulator = new PguCovarianceAccumulator(model, PguLayer.Find(model), torch.CPU);
        var e = Assert.Throws<InvalidOperationException>(() => accumulator.Run(torch.ones(2, 3)));
        Assert.Contains("fc", e.Message, StringComparison.Ordinal);
    }

    /// <summary>The forward hooks registered on <paramref name="module"/>, read from TorchSharp's hook tables (protected).</summary>
    private static int Hooks(nn.Module module)
    {
        int count = 0;
        bool found = false;
        for (Type? type = module.GetType(); type is not null; type = type.BaseType)
        {
            foreach (string name in (string[])["pre_hooks", "post_hooks"])
            {
                if (type.GetField(name, BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.DeclaredOnly)?.GetValue(module) is ICollection hooks)
                {
                    found = true;
                    count += hooks.Count;
                }
            }
        }
        Assert.True(found, "TorchSharp's hook tables (pre_hooks, post_hooks) were not found: this check needs updating");
        return count;
    }

    /// <summary>relu(fc(x)) with fc run through forward(), which skips its hooks.</summary>
    private sealed class BypassingModel : nn.Module<Tensor, Tensor>
    {
        [ComponentName(Name = "fc")]
        private readonly Linear _fc = nn.Linear(3, 2);

        public BypassingModel()
            : base(nameof(BypassingModel)) => RegisterComponents();

        public override Tensor forward(Tensor input) => _fc.forward(input).relu();
    }
}
