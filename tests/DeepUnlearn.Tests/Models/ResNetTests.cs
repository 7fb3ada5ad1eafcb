using System;
using System.Linq;
using DeepUnlearn.Models;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using ResNet = DeepUnlearn.Models.ResNet;
using Xunit;

namespace DeepUnlearn.Tests.Models;

public class ResNetTests
{
    // torchvision resnet18().state_dict(): names, order and shapes, printed by torchvision_reference.py
    // (the architecture restated in torch.nn from torchvision/models/resnet.py; its parameter count is
    // torchvision's published 11,689,512). ModuleClassifierTests checks TorchSharp's TorchVision resnet18 against it.
    internal static readonly (string Name, long[] Shape)[] TorchvisionResNet18 =
    [
        ("conv1.weight", [64, 3, 7, 7]),
        ("bn1.weight", [64]),
        ("bn1.bias", [64]),
        ("bn1.running_mean", [64]),
        ("bn1.running_var", [64]),
        ("bn1.num_batches_tracked", []),
        ("layer1.0.conv1.weight", [64, 64, 3, 3]),
        ("layer1.0.bn1.weight", [64]),
        ("layer1.0.bn1.bias", [64]),
        ("layer1.0.bn1.running_mean", [64]),
        ("layer1.0.bn1.running_var", [64]),
        ("layer1.0.bn1.num_batches_tracked", []),
        ("layer1.0.conv2.weight", [64, 64, 3, 3]),
        ("layer1.0.bn2.weight", [64]),
        ("layer1.0.bn2.bias", [64]),
        ("layer1.0.bn2.running_mean", [64]),
        ("layer1.0.bn2.running_var", [64]),
        ("layer1.0.bn2.num_batches_tracked", []),
        ("layer1.1.conv1.weight", [64, 64, 3, 3]),
        ("layer1.1.bn1.weight", [64]),
        ("layer1.1.bn1.bias", [64]),
        ("layer1.1.bn1.running_mean", [64]),
        ("layer1.1.bn1.running_var", [64]),
        ("layer1.1.bn1.num_batches_tracked", []),
        ("layer1.1.conv2.weight", [64, 64, 3, 3]),
        ("layer1.1.bn2.weight", [64]),
        ("layer1.1.bn2.bias", [64]),
        ("layer1.1.bn2.running_mean", [64]),
        ("layer1.1.bn2.running_var", [64]),
        ("layer1.1.bn2.num_batches_tracked", []),
        ("layer2.0.conv1.weight", [128, 64, 3, 3]),
        ("layer2.0.bn1.weight", [128]),
        ("layer2.0.bn1.bias", [128]),
        ("layer2.0.bn1.running_mean", [128]),
        ("layer2.0.bn1.running_var", [128]),
        ("layer2.0.bn1.num_batches_tracked", []),
        ("layer2.0.conv2.weight", [128, 128, 3, 3]),
        ("layer2.0.bn2.weight", [128]),
        ("layer2.0.bn2.bias", [128]),
        ("layer2.0.bn2.running_mean", [128]),
        ("layer2.0.bn2.running_var", [128]),
        ("layer2.0.bn2.num_batches_tracked", []),
        ("layer2.0.downsample.0.weight", [128, 64, 1, 1]),
        ("layer2.0.downsample.1.weight", [128]),
        ("layer2.0.downsample.1.bias", [128]),
        ("layer2.0.downsample.1.running_mean", [128]),
        ("layer2.0.downsample.1.running_var", [128]),
        ("layer2.0.downsample.1.num_batches_tracked", []),
        ("layer2.1.conv1.weight", [128, 128, 3, 3]),
        ("layer2.1.bn1.weight", [128]),
        ("layer2.1.bn1.bias", [128]),
        ("layer2.1.bn1.running_mean", [128]),
        ("layer2.1.bn1.running_var", [128]),
        ("layer2.1.bn1.num_batches_tracked", []),
        ("layer2.1.conv2.weight", [128, 128, 3, 3]),
        ("layer2.1.bn2.weight", [128]),
        ("layer2.1.bn2.bias", [128]),
        ("layer2.1.bn2.running_mean", [128]),
        ("layer2.1.bn2.running_var", [128]),
        ("layer2.1.bn2.num_batches_tracked", []),
        ("layer3.0.conv1.weight", [256, 128, 3, 3]),
        ("layer3.0.bn1.weight", [256]),
        ("layer3.0.bn1.bias", [256]),
        ("layer3.0.bn1.running_mean", [256]),
        ("layer3.0.bn1.running_var", [256]),
        ("layer3.0.bn1.num_batches_tracked", []),
        ("layer3.0.conv2.weight", [256, 256, 3, 3]),
        ("layer3.0.bn2.weight", [256]),
        ("layer3.0.bn2.bias", [256]),
        ("layer3.0.bn2.running_mean", [256]),
        ("layer3.0.bn2.running_var", [256]),
        ("layer3.0.bn2.num_batches_tracked", []),
        ("layer3.0.downsample.0.weight", [256, 128, 1, 1]),
        ("layer3.0.downsample.1.weight", [256]),
        ("layer3.0.downsample.1.bias", [256]),
        ("layer3.0.downsample.1.running_mean", [256]),
        ("layer3.0.downsample.1.running_var", [256]),
        ("layer3.0.downsample.1.num_batches_tracked", []),
        ("layer3.1.conv1.weight", [256, 256, 3, 3]),
        ("layer3.1.bn1.weight", [256]),
        ("layer3.1.bn1.bias", [256]),
        ("layer3.1.bn1.running_mean", [256]),
        ("layer3.1.bn1.running_var", [256]),
        ("layer3.1.bn1.num_batches_tracked", []),
        ("layer3.1.conv2.weight", [256, 256, 3, 3]),
        ("layer3.1.bn2.weight", [256]),
        ("layer3.1.bn2.bias", [256]),
        ("layer3.1.bn2.running_mean", [256]),
        ("layer3.1.bn2.running_var", [256]),
        ("layer3.1.bn2.num_batches_tracked", []),
        ("layer4.0.conv1.weight", [512, 256, 3, 3]),
        ("layer4.0.bn1.weight", [512]),
        ("layer4.0.bn1.bias", [512]),
        ("layer4.0.bn1.running_mean", [512]),
        ("layer4.0.bn1.running_var", [512]),
        ("layer4.0.bn1.num_batches_tracked", []),
        ("layer4.0.conv2.weight", [512, 512, 3, 3]),
        ("layer4.0.bn2.weight", [512]),
        ("layer4.0.bn2.bias", [512]),
        ("layer4.0.bn2.running_mean", [512]),
        ("layer4.0.bn2.running_var", [512]),
        ("layer4.0.bn2.num_batches_tracked", []),
        ("layer4.0.downsample.0.weight", [512, 256, 1, 1]),
        ("layer4.0.downsample.1.weight", [512]),
        ("layer4.0.downsample.1.bias", [512]),
        ("layer4.0.downsample.1.running_mean", [512]),
        ("layer4.0.downsample.1.running_var", [512]),
        ("layer4.0.downsample.1.num_batches_tracked", []),
        ("layer4.1.conv1.weight", [512, 512, 3, 3]),
        ("layer4.1.bn1.weight", [512]),
        ("layer4.1.bn1.bias", [512]),
        ("layer4.1.bn1.running_mean", [512]),
        ("layer4.1.bn1.running_var", [512]),
        ("layer4.1.bn1.num_batches_tracked", []),
        ("layer4.1.conv2.weight", [512, 512, 3, 3]),
        ("layer4.1.bn2.weight", [512]),
        ("layer4.1.bn2.bias", [512]),
        ("layer4.1.bn2.running_mean", [512]),
        ("layer4.1.bn2.running_var", [512]),
        ("layer4.1.bn2.num_batches_tracked", []),
        ("fc.weight", [1000, 512]),
        ("fc.bias", [1000]),
    ];

    [Fact]
    public void StateDict_ImageNetStem_EqualsTorchvisionNamesOrderAndShapes()
    {
        using var scope = torch.NewDisposeScope();
        using ResNet model = ResNet.ResNet18(3, 1000, ModelStem.ImageNet);
        var state = model.state_dict().ToList();
        Assert.Equal(122, TorchvisionResNet18.Length);
        Assert.Equal(TorchvisionResNet18.Select(e => e.Name), state.Select(kv => kv.Key));
        for (int i = 0; i < state.Count; i++)
        {
            Assert.True(TorchvisionResNet18[i].Shape.SequenceEqual(state[i].Value.shape), $"{state[i].Key}: [{string.Join(", ", state[i].Value.shape)}]");
        }
        Assert.Equal(ScalarType.Int64, state.Single(kv => kv.Key == "layer4.1.bn2.num_batches_tracked").Value.dtype);
    }

    [Fact]
    public void StateDict_CifarStem_SameNamesWith3x3Conv1()
    {
        using var scope = torch.NewDisposeScope();
        using ResNet model = ResNet.ResNet18(3, 10, ModelStem.Cifar);
        var state = model.state_dict().ToList();
        Assert.Equal(TorchvisionResNet18.Select(e => e.Name), state.Select(kv => kv.Key));
        Assert.Equal([64L, 3, 3, 3], state[0].Value.shape);
        Assert.Equal([10L, 512], state.Single(kv => kv.Key == "fc.weight").Value.shape);
    }

    [Theory]
    [InlineData("resnet18", 11_689_512L)]
    [InlineData("resnet34", 21_797_672L)]
    [InlineData("resnet50", 25_557_032L)]
    public void ParameterCount_ImageNet1000_EqualsTorchvision(string name, long expected)
    {
        using var scope = torch.NewDisposeScope();
        using ClassifierModel model = ModelRegistry.Create(name, new ModelOptions { NumClasses = 1000, ImageSize = 224 });
        Assert.Equal(expected, model.ParameterCount());
    }

    [Fact]
    public void Resnet50_Bottleneck_HasTorchvisionShapes()
    {
        using var scope = torch.NewDisposeScope();
        using ClassifierModel model = ModelRegistry.Create("resnet50", new ModelOptions { NumClasses = 1000, ImageSize = 224 });
        var shapes = model.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.shape);
        // torchvision: stride on the 3×3 conv (v1.5), expansion 4, projection shortcut in every stage's first block.
        Assert.Equal([128L, 256, 1, 1], shapes["layer2.0.conv1.weight"]);
        Assert.Equal([128L, 128, 3, 3], shapes["layer2.0.conv2.weight"]);
        Assert.Equal([512L, 128, 1, 1], shapes["layer2.0.conv3.weight"]);
        Assert.Equal([256L, 64, 1, 1], shapes["layer1.0.downsample.0.weight"]);
        Assert.Equal([1000L, 2048], shapes["fc.weight"]);
        Assert.Equal(161, model.parameters().Count());
        Assert.Equal(320, model.state_dict().Count);
    }

    [Fact]
    public void Init_ConvsAreKaimingFanOut_BatchNormsOneZero()
    {
        using var scope = torch.NewDisposeScope();
        using var model = (ResNet)ModelRegistry.Create("resnet18", new ModelOptions { NumClasses = 10, Seed = 7 });
        // kaiming_normal(fan_out, relu): std = √2 / √(out·k·k); layer4.0.conv2 has 512·3·3 = 4608 and 2.4M samples.
        float[] w = ((ResNetBasicBlock)model.Stages[3][0]).named_parameters().Single(p => p.name == "conv2.weight").parameter.data<float>().ToArray();
        double mean = w.Average(v => (double)v);
        double std = Math.Sqrt(w.Average(v => (v - mean) * (v - mean)));
        Assert.InRange(mean, -1e-3, 1e-3);
        Assert.InRange(std / Math.Sqrt(2.0 / 4608), 0.99, 1.01);
        Assert.All(model.modules().OfType<BatchNorm2d>(), bn =>
        {
            Assert.All(bn.weight!.data<float>().ToArray(), v => Assert.Equal(1f, v));
            Assert.All(bn.bias!.data<float>().ToArray(), v => Assert.Equal(0f, v));
        });
        // fc keeps PyTorch's default: U(±1/√512).
        float[] fc = model.Head.weight!.data<float>().ToArray();
        Assert.InRange(fc.Max(), 0.9 / Math.Sqrt(512), 1 / Math.Sqrt(512));
        Assert.InRange(fc.Min(), -1 / Math.Sqrt(512), -0.9 / Math.Sqrt(512));
    }
}
