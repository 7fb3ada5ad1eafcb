using System;
using System.Linq;
using DeepUnlearn.Engine;
using DeepUnlearn.Models;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using Xunit;

namespace DeepUnlearn.Tests.Engine;

/// <summary>
/// <see cref="MemoryLayout"/>: channels-last strides, libtorch's convolutions recognising them, forward passes equal to
/// the contiguous ones, and the in-place module conversion keeping Parameter objects (and so optimizer state).
/// </summary>
public sealed class MemoryLayoutTests
{
    public MemoryLayoutTests() => TorchRuntime.EnsureInitialized();

    [Fact]
    public void ToChannelsLast_Nchw_HasNhwcStridesAndTheSameValues()
    {
        using var scope = torch.NewDisposeScope();
        Tensor x = torch.arange(2 * 3 * 4 * 5, ScalarType.Float32).reshape(2, 3, 4, 5);

        Tensor y = MemoryLayout.ToChannelsLast(x);

        Assert.Equal(x.shape, y.shape);
        Assert.Equal(new long[] { 60, 1, 15, 3 }, y.stride()); // (H·W·C, 1, W·C, C)
        Assert.True(MemoryLayout.IsChannelsLast(y));
        Assert.False(MemoryLayout.IsChannelsLast(x));
        Assert.True(y.equal(x).all().item<bool>());
    }

    [Fact]
    public void Conv2d_ChannelsLastInput_LibtorchKeepsChannelsLastOutput()
    {
        // oneDNN's (and cuDNN's) NHWC kernels were picked: their output is channels-last, a contiguous kernel's is not.
        using var scope = torch.NewDisposeScope();
        var conv = nn.Conv2d(8, 16, 3, padding: 1);
        MemoryLayout.ToChannelsLast(conv);
        Tensor x = MemoryLayout.ToChannelsLast(torch.randn(2, 8, 10, 10));

        Assert.True(MemoryLayout.IsChannelsLast(conv.call(x)));
    }

    [Theory]
    [InlineData("smallcnn")]
    [InlineData("resnet18")]
    public void Forward_ChannelsLastModel_EqualsTheContiguousForward(string name)
    {
        // Same weights, same input; only the order of the float32 sums inside the convolution kernels differs (NHWC
        // vs NCHW blocking). Each output sums ~10^3 products in float32 (relative rounding ~6e-8 each, random signs):
        // ~1e-6 relative per layer, a few times that through ResNet-18's 20 layers, so 1e-4 of the logits' scale holds
        // with a wide margin and still fails on any indexing error (which would change outputs by O(1)).
        using var scope = torch.NewDisposeScope();
        using ClassifierModel contiguous = ModelRegistry.Create(name, new ModelOptions { NumClasses = 10, InChannels = 3, ImageSize = 16, Stem = ModelStem.Cifar, Seed = 3 });
        using ClassifierModel channelsLast = contiguous.DeepCopy();
        contiguous.eval();
        channelsLast.eval();
        int converted = MemoryLayout.ToChannelsLast(channelsLast);
        using var generator = new Generator(4);
        Tensor x = torch.randn([4, 3, 16, 16], generator: generator);

        Tensor expected = contiguous.call(x);
        Tensor actual = channelsLast.call(MemoryLayout.ToChannelsLast(x));

        // Every convolution weight is channels-last now; 1×1 kernels ([O, I, 1, 1]) already were, so only the others changed.
        Assert.All(channelsLast.modules().OfType<Conv2d>(), conv => Assert.True(MemoryLayout.IsChannelsLast(conv.weight!)));
        Assert.Equal(channelsLast.modules().OfType<Conv2d>().Count(conv => conv.weight!.size(2) * conv.weight!.size(3) > 1), converted);
        double scale = Math.Max(expected.abs().max().item<float>(), 1.0);
        double difference = actual.sub(expected).abs().max().item<float>();
        Assert.True(difference <= 1e-4 * scale, $"{name}: channels-last logits differ by {difference:G3} (scale {scale:G3})");
    }

    [Fact]
    public void ToChannelsLast_Module_KeepsParametersSoOptimizerStateCarriesOn()
    {
        // Two SGD-with-momentum steps on twin models; one is converted between the steps. The converted model keeps
        // its Parameter objects (TorchSharp's to() would replace them and break the optimizer), its momentum buffers
        // carry on, and both end at the same weights (float32 rounding of the reordered convolution sums only).
        using var scope = torch.NewDisposeScope();
        torch.manual_seed(5).Dispose();
        var a = new EngineSmallCnn(3, 4, 8);
        var b = new EngineSmallCnn(3, 4, 8);
        StrictStateLoader.Load(b, a.state_dict());
        using var sgdA = torch.optim.SGD(a.parameters().ToList(), 0.1, momentum: 0.9);
        using var sgdB = torch.optim.SGD(b.parameters().ToList(), 0.1, momentum: 0.9);
        using var generator = new Generator(6);
        Tensor x = torch.randn([5, 3, 8, 8], generator: generator);
        Tensor y = torch.randint(0, 4, [5], generator: generator);
        void Step(nn.Module<Tensor, Tensor> net, optim.Optimizer sgd)
        {
            using var inner = torch.NewDisposeScope();
            sgd.zero_grad();
            nn.functional.cross_entropy(net.call(x), y).backward();
            sgd.step();
        }

        Step(a, sgdA);
        Step(b, sgdB);
        Parameter[] before = b.parameters().ToArray();
        MemoryLayout.ToChannelsLast(b);
        Step(a, sgdA);
        Step(b, sgdB);

        Assert.All(b.parameters().Zip(before), pair => Assert.Same(pair.Second, pair.First));
        ModelPlacement.EnsureOptimizerTracks(sgdB, b);
        Assert.True(MemoryLayout.IsChannelsLast(b.get_parameter("conv2.weight")!), "the optimizer's in-place update keeps the layout");
        foreach (var ((name, pa), (_, pb)) in a.named_parameters().Zip(b.named_parameters()))
        {
            double difference = pa.sub(pb).abs().max().item<float>();
            Assert.True(difference < 1e-5, $"{name} differs by {difference:G3} after the layout change");
        }
    }

    [Fact]
    public void IsChannelsLast_SizeOneDimensions_AcceptsBothLayouts()
    {
        // One channel: NCHW and NHWC are the same array (as c10 treats it).
        using var scope = torch.NewDisposeScope();
        Assert.True(MemoryLayout.IsChannelsLast(torch.zeros(2, 1, 4, 4)));
        Assert.False(MemoryLayout.IsChannelsLast(torch.zeros(3, 4)));
    }
}
