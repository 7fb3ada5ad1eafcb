using System;
using System.Collections.Generic;
using System.Linq;
using DeepUnlearn.Engine;
using DeepUnlearn.Models;
using DeepUnlearn.Tests.Engine;
using DeepUnlearn.Training;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using Xunit;

namespace DeepUnlearn.Tests.Models;

/// <summary>
/// A user's own TorchSharp classifier through the library API (issue 12): TorchVision's resnet18 and a hand-written
/// module that is not in the zoo, wrapped with <see cref="ClassifierModel.FromModule"/>. The references are the
/// networks themselves (run unwrapped with the same weights) and torchvision's published state-dict names.
/// </summary>
public class ModuleClassifierTests
{
    public ModuleClassifierTests()
    {
        TorchRuntime.EnsureInitialized();
    }

    [Fact]
    public void FromModule_TorchVisionResNet18_StateDictIsTorchvisions()
    {
        using ClassifierModel model = ClassifierModel.FromModule(() => torchvision.models.resnet18(num_classes: 1000));
        var state = model.state_dict().ToList();
        // Names, PyTorch's order and shapes of torchvision's resnet18 (ResNetTests' reference list), not "network.fc.weight".
        Assert.Equal(ResNetTests.TorchvisionResNet18.Select(e => e.Name), state.Select(kv => kv.Key));
        Assert.All(state.Zip(ResNetTests.TorchvisionResNet18), pair => Assert.Equal(pair.Second.Shape, pair.First.Value.shape));
        Assert.Equal("fc", model.HeadName);
        Assert.Equal(512, model.FeatureDim);
        Assert.Equal(1000, model.NumClasses);
        Assert.Equal(11_689_512L, model.ParameterCount());
        Assert.Equal(model.parameters().Count(), model.named_parameters().Select(p => p.name).Distinct().Count());
    }

    [Fact]
    public void FromModule_TorchVisionResNet18_ForwardIsTheNetworks_AndHeadOfFeaturesIsForward()
    {
        using ClassifierModel model = ClassifierModel.FromModule(() => torchvision.models.resnet18(num_classes: 10));
        using var network = torchvision.models.resnet18(num_classes: 10);
        StrictStateLoader.Load(network, model.state_dict());
        model.eval();
        network.eval();
        using var scope = torch.NewDisposeScope();
        using var generator = new Generator(3);
        Tensor x = torch.randn([2, 3, 32, 32], generator: generator);

        Tensor logits = model.call(x);
        Tensor features = model.Features(x);
        Assert.Equal([2L, 512], features.shape);
        Assert.True(features.requires_grad, "the features left the autograd graph (head-only methods backpropagate through them)");
        Assert.True(logits.Same(network.call(x)), "the wrapper's forward differs from the network's");
        Assert.True(model.Head.call(features).Same(logits), "Head(Features(x)) differs from forward(x)");
    }

    [Fact]
    public void FromModule_TorchVisionResNet18_DeepCopyIsIndependent_AndATrainingStepLearns()
    {
        using ClassifierModel model = ClassifierModel.FromModule(() => torchvision.models.resnet18(num_classes: 4));
        // TorchVision initialises from the global RNG: seed the weights so the run is the same every time.
        SeededInitializer.Initialize(model, 11, InitRules.TorchvisionConvNet());
        using var scope = torch.NewDisposeScope();
        using var generator = new Generator(5);
        Tensor x = torch.randn([4, 3, 32, 32], generator: generator);
        Tensor y = torch.tensor(new long[] { 0, 1, 2, 3 });
        model.eval();
        using ClassifierModel copy = model.DeepCopy();
        Assert.False(copy.training);
        Assert.True(copy.call(x).Same(model.call(x)), "the copy computes something else");
        Assert.Equal(model.state_dict().Keys, copy.state_dict().Keys);

        // Train the copy: every parameter gets a gradient, its weights move, the original's do not.
        Dictionary<string, float[]> before = Values(model);
        copy.train();
        using OptimizerHelper optimizer = OptimizerFactory.Create(new TrainingConfig { LearningRate = 0.01, WeightDecay = 0 }, copy.TrainableParameters());
        double first = Trainer.Step(copy, optimizer, x, y, beforeUpdate: () => AssertEveryParameterHasAGradient(copy)).Loss;
        double last = first;
        for (int i = 0; i < 4; i++)
        {
            last = Trainer.Step(copy, optimizer, x, y).Loss;
        }
        Assert.True(double.IsFinite(first) && last < first, $"five SGD steps on one batch did not lower the loss: {first} → {last}");
        Assert.All(Values(model), kv => Assert.Equal(before[kv.Key], kv.Value));
        Assert.Contains(Values(copy), kv => !kv.Value.SequenceEqual(before[kv.Key]));
    }

    [Fact]
    public void FromModule_HandWrittenNetwork_DefaultHeadIsItsLastLinear_AndTheStepsLearn()
    {
        using ClassifierModel model = ClassifierModel.FromModule(() => new TinyNet());
        SeededInitializer.Initialize(model, 3, InitRules.PyTorchDefault);
        // TinyNet's dropout draws from the global generator.
        torch.manual_seed(3).Dispose();
        Assert.Equal("classifier", model.HeadName);
        Assert.Equal(16, model.FeatureDim);
        Assert.Equal(3, model.NumClasses);
        // The network's own names; TinyNet's C# fields (_features, _hidden, _classifier) appear nowhere.
        Assert.Equal(
            ["features.0.weight", "features.0.bias", "features.1.weight", "features.1.bias", "features.1.running_mean", "features.1.running_var",
             "features.1.num_batches_tracked", "hidden.weight", "hidden.bias", "classifier.weight", "classifier.bias"],
            model.state_dict().Keys);

        using var scope = torch.NewDisposeScope();
        var (x, y) = Quadrants(24, seed: 9);
        model.train();
        using OptimizerHelper optimizer = OptimizerFactory.Create(new TrainingConfig { LearningRate = 0.1 }, model.TrainableParameters());
        double first = Trainer.Step(model, optimizer, x, y).Loss;
        double last = first;
        for (int i = 0; i < 30; i++)
        {
            last = Trainer.Step(model, optimizer, x, y).Loss;
        }
        Assert.True(last < 0.5 * first, $"30 steps on one batch: loss {first} → {last}");
    }

    [Fact]
    public void FromModule_HandWrittenNetwork_EvalReachesTheNetwork_FeaturesHeadForwardAgree()
    {
        using ClassifierModel model = ClassifierModel.FromModule(() => new TinyNet());
        using var scope = torch.NewDisposeScope();
        var (x, _) = Quadrants(6, seed: 2);
        // TinyNet's forward applies functional dropout when its own `training` flag is set: eval() must reach it.
        model.eval();
        Tensor logits = model.call(x);
        Assert.True(model.call(x).Same(logits), "eval() left the network's dropout on");
        Assert.True(model.Head.call(model.Features(x)).Same(logits), "Head(Features(x)) differs from forward(x)");
        model.train();
        Assert.False(model.call(x).Same(model.call(x)), "train() did not reach the network's dropout");
    }

    [Fact]
    public void FromModule_HandWrittenNetwork_DeepCopyIsIndependent()
    {
        using ClassifierModel model = ClassifierModel.FromModule(() => new TinyNet());
        model.eval();
        using ClassifierModel copy = model.DeepCopy();
        using var scope = torch.NewDisposeScope();
        var (x, _) = Quadrants(4, seed: 1);
        Assert.True(copy.call(x).Same(model.call(x)));
        Assert.NotSame(model.Head, copy.Head);
        using (torch.no_grad())
        {
            copy.Head.weight!.zero_();
        }
        Assert.NotEqual(0.0, model.Head.weight!.abs().sum().ToDouble());
        Assert.False(copy.call(x).Same(model.call(x)));
    }

    [Fact]
    public void FromModule_HeadName_PicksThatLinear_OrListsTheLinearLayers()
    {
        using (ClassifierModel hidden = ClassifierModel.FromModule(() => new TinyNet(), headName: "hidden"))
        {
            Assert.Equal(128, hidden.FeatureDim);
            Assert.Equal(16, hidden.NumClasses);
        }
        var e = Assert.Throws<ArgumentException>(() => ClassifierModel.FromModule(() => new TinyNet(), headName: "features.0"));
        Assert.Contains("hidden, classifier", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromModule_NetworkWithParametersOfItsOwn_IsRefused()
    {
        var e = Assert.Throws<ArgumentException>(() => ClassifierModel.FromModule(() => new TinyNet(ownScale: true)));
        Assert.Contains(nameof(TinyNet), e.Message, StringComparison.Ordinal);
    }

    private static void AssertEveryParameterHasAGradient(ClassifierModel model)
    {
        using var scope = torch.NewDisposeScope();
        foreach (var (name, parameter) in model.named_parameters())
        {
            Tensor? grad = parameter.grad;
            Assert.True(grad is not null && grad.isfinite().all().item<bool>(), $"{name} has no finite gradient");
        }
    }

    private static Dictionary<string, float[]> Values(ClassifierModel model) =>
        model.named_parameters().ToDictionary(p => p.name, p => p.parameter.data<float>().ToArray());

    /// <summary>A learnable batch: class c (0..2) lights up one corner of a 3×8×8 image.</summary>
    private static (Tensor X, Tensor Y) Quadrants(int count, int seed)
    {
        using var generator = new Generator((ulong)seed);
        Tensor y = torch.arange(count, dtype: ScalarType.Int64).remainder(3);
        Tensor x = torch.rand([count, 3, 8, 8], generator: generator);
        long[] labels = y.data<long>().ToArray();
        for (int i = 0; i < count; i++)
        {
            x[i].narrow(1, labels[i] == 1 ? 4 : 0, 4).narrow(2, labels[i] == 2 ? 4 : 0, 4).add_(2.0);
        }
        return (x, y);
    }

    /// <summary>
    /// A classifier written by hand, not in the zoo, for 3×8×8 images: conv-BN-ReLU-maxpool features, a hidden Linear, functional dropout
    /// that reads the module's own <c>training</c> flag, and the head "classifier".
    /// </summary>
    private sealed class TinyNet : nn.Module<Tensor, Tensor>
    {
        private readonly Sequential _features;
        private readonly Linear _hidden;
        private readonly Linear _classifier;

        public TinyNet(bool ownScale = false)
            : base(nameof(TinyNet))
        {
            _features = nn.Sequential(nn.Conv2d(3, 8, 3, padding: 1), nn.BatchNorm2d(8), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten());
            _hidden = nn.Linear(8 * 4 * 4, 16);
            _classifier = nn.Linear(16, 3);
            register_module("features", _features);
            register_module("hidden", _hidden);
            register_module("classifier", _classifier);
            if (ownScale)
            {
                register_parameter("scale", nn.Parameter(torch.ones(1)));
            }
        }

        public override Tensor forward(Tensor input)
        {
            using var scope = torch.NewDisposeScope();
            Tensor x = nn.functional.relu(_hidden.call(_features.call(input)));
            x = nn.functional.dropout(x, 0.5, training);
            return _classifier.call(x).MoveToOuterDisposeScope();
        }

        protected override void RegisterComponents()
        {
        }
    }
}
