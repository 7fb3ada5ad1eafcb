using System;
using System.Linq;
using System.Text.Json;
using DeepUnlearn.Engine;
using TorchSharp;
using TorchSharp.Modules;
using Xunit;

namespace DeepUnlearn.Tests.Engine;

public sealed class SeededInitializerTests
{
    public SeededInitializerTests() => TorchRuntime.EnsureInitialized();

    [Fact]
    public void TorchSharpConstructors_SameGlobalSeedOtherBuildOrder_GiveOtherWeights()
    {
        // The fault: layer constructors draw from the global RNG in construction order.
        torch.random.manual_seed(1);
        using var a = new Net(convFirst: true);
        torch.random.manual_seed(1);
        using var b = new Net(convFirst: false);

        Assert.False(a.state_dict()["conv.weight"].Same(b.state_dict()["conv.weight"]));
    }

    [Fact]
    public void TorchSharpNamedModules_ListsChildrenBeforeGrandchildren()
    {
        // PyTorch's named_modules() is depth first (a, a.x, b, b.y); TorchSharp's is not.
        using var net = torch.nn.Sequential(
            ("a", torch.nn.Sequential(("x", torch.nn.Linear(1, 1)))),
            ("b", torch.nn.Sequential(("y", torch.nn.Linear(1, 1)))));

        Assert.Equal(["a", "b", "a.x", "b.y"], net.named_modules().Select(m => m.name).ToArray());
    }

    [Fact]
    public void Initialize_SameSeed_SameWeightsWhateverBuildOrderAndGlobalRng()
    {
        torch.random.manual_seed(1);
        using var a = new Net(convFirst: true);
        torch.random.manual_seed(99);
        using var b = new Net(convFirst: false);

        SeededInitializer.Initialize(a, 42, InitRules.PyTorchDefault);
        torch.rand(10);
        SeededInitializer.Initialize(b, 42, InitRules.PyTorchDefault);

        var stateB = b.state_dict();
        foreach (var (name, tensor) in a.state_dict())
        {
            Assert.True(tensor.Same(stateB[name]), name);
        }
    }

    [Fact]
    public void Initialize_OtherSeed_OtherWeights()
    {
        using var a = new Net(convFirst: true);
        using var b = new Net(convFirst: true);

        SeededInitializer.Initialize(a, 1, InitRules.PyTorchDefault);
        SeededInitializer.Initialize(b, 2, InitRules.PyTorchDefault);

        Assert.False(a.state_dict()["fc.weight"].Same(b.state_dict()["fc.weight"]));
    }

    [Fact]
    public void Initialize_PyTorchDefault_UniformWithinOneOverSqrtFanIn()
    {
        using var scope = torch.NewDisposeScope();
        using var conv = torch.nn.Conv2d(16, 32, 3, bias: true);

        SeededInitializer.Initialize(conv, 7, InitRules.PyTorchDefault);

        // fan_in = 16·3·3 = 144: U(±1/12), whose variance is (1/12)²/3.
        double bound = 1.0 / 12;
        AssertUniform(conv.weight, bound);
        AssertUniform(conv.bias!, bound);
    }

    [Fact]
    public void Initialize_TorchvisionConvNet_KaimingNormalFanOutZeroBiasAndNormDefaults()
    {
        using var scope = torch.NewDisposeScope();
        using var net = torch.nn.Sequential(
            ("conv", torch.nn.Conv2d(8, 64, 3, bias: true)),
            ("bn", torch.nn.BatchNorm2d(64)),
            ("fc", torch.nn.Linear(400, 300)),
            ("head", torch.nn.Linear(300, 10)));
        using (torch.no_grad())
        {
            foreach (var (_, tensor) in net.state_dict())
            {
                tensor.fill_(3);
            }
        }

        SeededInitializer.Initialize(net, 11, InitRules.TorchvisionConvNet(linearStd: 0.01));

        var state = net.state_dict();
        // kaiming_normal(fan_out, relu): std = √(2 / (64·3·3)).
        AssertNormal(state["conv.weight"], Math.Sqrt(2.0 / 576));
        Assert.Equal(0, state["conv.bias"].abs().max().item<float>());
        AssertNormal(state["fc.weight"], 0.01);
        Assert.Equal(0, state["fc.bias"].abs().max().item<float>());
        Assert.True(state["bn.weight"].eq(1).all().item<bool>());
        Assert.True(state["bn.bias"].eq(0).all().item<bool>());
        Assert.True(state["bn.running_mean"].eq(0).all().item<bool>());
        Assert.True(state["bn.running_var"].eq(1).all().item<bool>());
        Assert.Equal(0L, state["bn.num_batches_tracked"].item<long>());
    }

    [Fact]
    public void Initialize_TorchvisionResNetRules_LinearKeepsPyTorchDefault()
    {
        using var scope = torch.NewDisposeScope();
        using var fc = torch.nn.Linear(512, 10);

        SeededInitializer.Initialize(fc, 3, InitRules.TorchvisionConvNet());

        AssertUniform(fc.weight, 1.0 / Math.Sqrt(512));
        AssertUniform(fc.bias!, 1.0 / Math.Sqrt(512));
    }

    [Fact]
    public void Initialize_UnknownLayerWithParameters_ThrowsNamingIt()
    {
        using var net = torch.nn.Sequential(("emb", torch.nn.Embedding(10, 4)));

        var e = Assert.Throws<NotSupportedException>(() => SeededInitializer.Initialize(net, 1, InitRules.PyTorchDefault));

        Assert.Contains("'emb.weight' (weight of a Embedding)", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TorchGenerator_SameSeed_ReproducesPyTorchsNormalDraws()
    {
        // Golden/pytorch_optimizers.json holds torch.randn(shape, generator=torch.Generator().manual_seed(1000),
        // dtype=float64) for shapes (3, 4), (5,), (2, 3), drawn by PyTorch: the seeded stream is PyTorch's.
        using var scope = torch.NewDisposeScope();
        using JsonDocument golden = JsonDocument.Parse(System.IO.File.ReadAllText(SafeTensorsTests.GoldenPath("pytorch_optimizers.json")));
        JsonElement first = golden.RootElement.GetProperty("optimizers")[0];
        using var generator = new torch.Generator(1000);

        foreach (JsonElement parameter in first.GetProperty("params").EnumerateArray())
        {
            long[] shape = parameter.GetProperty("shape").EnumerateArray().Select(d => d.GetInt64()).ToArray();
            double[] expected = parameter.GetProperty("values").EnumerateArray().Select(v => v.GetDouble()).ToArray();
            double[] drawn = torch.randn(shape, torch.float64, generator: generator).data<double>().ToArray();
            Assert.Equal(expected, drawn);
        }
    }

    private static void AssertUniform(torch.Tensor tensor, double bound)
    {
        double[] values = tensor.detach().to(torch.float64).data<double>().ToArray();
        Assert.All(values, v => Assert.InRange(v, -bound, bound));
        double variance = values.Select(v => v * v).Average();
        // Variance of U(±b) is b²/3; the relative standard error of the estimate is ~0.9/√n.
        Assert.InRange(variance / (bound * bound / 3), 1 - (4.5 / Math.Sqrt(values.Length)), 1 + (4.5 / Math.Sqrt(values.Length)));
    }

    private static void AssertNormal(torch.Tensor tensor, double std)
    {
        double[] values = tensor.detach().to(torch.float64).data<double>().ToArray();
        double variance = values.Select(v => v * v).Average();
        // The relative standard error of a normal's variance estimate is √(2/n).
        Assert.InRange(variance / (std * std), 1 - (5 * Math.Sqrt(2.0 / values.Length)), 1 + (5 * Math.Sqrt(2.0 / values.Length)));
        Assert.InRange(values.Average(), -5 * std / Math.Sqrt(values.Length), 5 * std / Math.Sqrt(values.Length));
    }

    /// <summary>The same layers and names, registered (and built) in either order.</summary>
    private sealed class Net : torch.nn.Module<torch.Tensor, torch.Tensor>
    {
        private readonly Conv2d _conv;
        private readonly Linear _fc;

        public Net(bool convFirst)
            : base("Net")
        {
            if (convFirst)
            {
                _conv = torch.nn.Conv2d(3, 8, 3);
                _fc = torch.nn.Linear(8, 4);
                register_module("conv", _conv);
                register_module("fc", _fc);
            }
            else
            {
                _fc = torch.nn.Linear(8, 4);
                _conv = torch.nn.Conv2d(3, 8, 3);
                register_module("fc", _fc);
                register_module("conv", _conv);
            }
        }

        public override torch.Tensor forward(torch.Tensor input) =>
            _fc.call(_conv.call(input).mean([2, 3]));
    }
}
