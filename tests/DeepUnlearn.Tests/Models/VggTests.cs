using System;
using System.Linq;
using DeepUnlearn.Models;
using TorchSharp;
using TorchSharp.Modules;
using Xunit;

namespace DeepUnlearn.Tests.Models;

public class VggTests
{
    // torchvision vgg11_bn().state_dict(), printed by torchvision_reference.py (the architecture restated
    // from torchvision/models/vgg.py; its parameter count is torchvision's published 132,868,840).
    private static readonly (string Name, long[] Shape)[] s_torchvisionVgg11Bn =
    [
        ("features.0.weight", [64, 3, 3, 3]),
        ("features.0.bias", [64]),
        ("features.1.weight", [64]),
        ("features.1.bias", [64]),
        ("features.1.running_mean", [64]),
        ("features.1.running_var", [64]),
        ("features.1.num_batches_tracked", []),
        ("features.4.weight", [128, 64, 3, 3]),
        ("features.4.bias", [128]),
        ("features.5.weight", [128]),
        ("features.5.bias", [128]),
        ("features.5.running_mean", [128]),
        ("features.5.running_var", [128]),
        ("features.5.num_batches_tracked", []),
        ("features.8.weight", [256, 128, 3, 3]),
        ("features.8.bias", [256]),
        ("features.9.weight", [256]),
        ("features.9.bias", [256]),
        ("features.9.running_mean", [256]),
        ("features.9.running_var", [256]),
        ("features.9.num_batches_tracked", []),
        ("features.11.weight", [256, 256, 3, 3]),
        ("features.11.bias", [256]),
        ("features.12.weight", [256]),
        ("features.12.bias", [256]),
        ("features.12.running_mean", [256]),
        ("features.12.running_var", [256]),
        ("features.12.num_batches_tracked", []),
        ("features.15.weight", [512, 256, 3, 3]),
        ("features.15.bias", [512]),
        ("features.16.weight", [512]),
        ("features.16.bias", [512]),
        ("features.16.running_mean", [512]),
        ("features.16.running_var", [512]),
        ("features.16.num_batches_tracked", []),
        ("features.18.weight", [512, 512, 3, 3]),
        ("features.18.bias", [512]),
        ("features.19.weight", [512]),
        ("features.19.bias", [512]),
        ("features.19.running_mean", [512]),
        ("features.19.running_var", [512]),
        ("features.19.num_batches_tracked", []),
        ("features.22.weight", [512, 512, 3, 3]),
        ("features.22.bias", [512]),
        ("features.23.weight", [512]),
        ("features.23.bias", [512]),
        ("features.23.running_mean", [512]),
        ("features.23.running_var", [512]),
        ("features.23.num_batches_tracked", []),
        ("features.25.weight", [512, 512, 3, 3]),
        ("features.25.bias", [512]),
        ("features.26.weight", [512]),
        ("features.26.bias", [512]),
        ("features.26.running_mean", [512]),
        ("features.26.running_var", [512]),
        ("features.26.num_batches_tracked", []),
        ("classifier.0.weight", [4096, 25088]),
        ("classifier.0.bias", [4096]),
        ("classifier.3.weight", [4096, 4096]),
        ("classifier.3.bias", [4096]),
        ("classifier.6.weight", [1000, 4096]),
        ("classifier.6.bias", [1000]),
    ];

    [Fact]
    public void StateDict_ImageNet_EqualsTorchvisionNamesOrderAndShapes()
    {
        using var scope = torch.NewDisposeScope();
        using Vgg model = Vgg.Vgg11Bn(3, 1000, ModelStem.ImageNet);
        var state = model.state_dict().ToList();
        Assert.Equal(s_torchvisionVgg11Bn.Select(e => e.Name), state.Select(kv => kv.Key));
        for (int i = 0; i < state.Count; i++)
        {
            Assert.True(s_torchvisionVgg11Bn[i].Shape.SequenceEqual(state[i].Value.shape), $"{state[i].Key}: [{string.Join(", ", state[i].Value.shape)}]");
        }
        Assert.Equal(132_868_840L, model.ParameterCount());
        Assert.Equal("classifier.6", model.HeadName);
    }

    [Fact]
    public void StateDict_Cifar_SameFeaturesAndOneLinearClassifier()
    {
        using var scope = torch.NewDisposeScope();
        using Vgg model = Vgg.Vgg11Bn(3, 10, ModelStem.Cifar);
        var state = model.state_dict().ToList();
        // SalUn's vgg*_bn_lth: torchvision's features (the trailing max-pool has no state), then Linear(512, K).
        string[] features = s_torchvisionVgg11Bn.Select(e => e.Name).Where(n => n.StartsWith("features.", StringComparison.Ordinal)).ToArray();
        Assert.Equal([.. features, "classifier.weight", "classifier.bias"], state.Select(kv => kv.Key));
        Assert.Equal([10L, 512], state.Single(kv => kv.Key == "classifier.weight").Value.shape);
        Assert.Equal("classifier", model.HeadName);
        Assert.Equal(512, model.FeatureDim);
    }

    [Theory]
    [InlineData("vgg11_bn", 132_868_840L)]
    [InlineData("vgg16_bn", 138_365_992L)]
    public void ParameterCount_ImageNet1000_EqualsTorchvision(string name, long expected)
    {
        using var scope = torch.NewDisposeScope();
        using ClassifierModel model = ModelRegistry.Create(name, new ModelOptions { NumClasses = 1000, ImageSize = 224 });
        Assert.Equal(expected, model.ParameterCount());
    }

    [Fact]
    public void Init_LinearNormal001ZeroBias_ConvZeroBias()
    {
        using var scope = torch.NewDisposeScope();
        using var model = (Vgg)ModelRegistry.Create("vgg11_bn", new ModelOptions { NumClasses = 10, ImageSize = 32, Seed = 3 });
        float[] w = model.Head.weight!.data<float>().ToArray();
        double std = Math.Sqrt(w.Average(v => (double)v * v));
        Assert.InRange(std, 0.008, 0.012);
        Assert.All(model.Head.bias!.data<float>().ToArray(), v => Assert.Equal(0f, v));
        Conv2d[] convs = model.modules().OfType<Conv2d>().ToArray();
        Assert.Equal(8, convs.Length);
        Assert.All(convs, c => Assert.All(c.bias!.data<float>().ToArray(), v => Assert.Equal(0f, v)));
        // kaiming_normal(fan_out, relu) on features.25 (512·3·3 fan-out, 2.4M samples).
        float[] last = convs[^1].weight!.data<float>().ToArray();
        double lastStd = Math.Sqrt(last.Average(v => (double)v * v));
        Assert.InRange(lastStd / Math.Sqrt(2.0 / 4608), 0.99, 1.01);
    }
}
