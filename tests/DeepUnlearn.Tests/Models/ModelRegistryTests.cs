using System;
using System.Collections.Generic;
using System.Linq;
using DeepUnlearn.Models;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using Xunit;

namespace DeepUnlearn.Tests.Models;

public class ModelRegistryTests
{
    // Every registered model, with every stem it has, at an input size its architecture supports
    // (ImageNet stems at 64 px, or 32 px for VGG, to keep the test fast).
    public static TheoryData<string, int, int, string?> Cases()
    {
        var data = new TheoryData<string, int, int, string?>();
        foreach (ModelEntry entry in ModelRegistry.List())
        {
            if (!entry.HasStems)
            {
                data.Add(entry.Name, 1, 28, null);
                data.Add(entry.Name, 3, 32, null);
                continue;
            }
            data.Add(entry.Name, 3, 32, "cifar");
            data.Add(entry.Name, 3, entry.Name.StartsWith("vgg", StringComparison.Ordinal) ? 32 : 64, "imagenet");
        }
        return data;
    }

    [Fact]
    public void List_HasTheZoo()
    {
        Assert.Equal(["smallcnn", "allcnn", "resnet18", "resnet34", "resnet50", "vgg11_bn", "vgg16_bn"], ModelRegistry.List().Select(e => e.Name));
        Assert.All(ModelRegistry.List(), e => Assert.False(string.IsNullOrWhiteSpace(e.Description)));
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Create_ForwardBackward_ShapesFiniteAndEveryParameterGetsAGradient(string name, int inChannels, int imageSize, string? stem)
    {
        const int batch = 2;
        const int classes = 7;
        long liveBefore = Tensor.SettledLiveCount();
        using (var scope = torch.NewDisposeScope())
        {
            var options = new ModelOptions
            {
                NumClasses = classes,
                InChannels = inChannels,
                ImageSize = imageSize,
                Stem = stem is null ? null : stem == "cifar" ? ModelStem.Cifar : ModelStem.ImageNet,
                Seed = 11,
            };
            using ClassifierModel model = ModelRegistry.Create(name, options);
            using var generator = new Generator(5);
            Tensor x = torch.randn([batch, inChannels, imageSize, imageSize], generator: generator);
            Tensor y = Tensor.From<long>([1, 6], [batch]);

            Tensor logits = model.call(x);
            Assert.Equal([(long)batch, classes], logits.shape);
            Assert.True(logits.isfinite().All().ToDouble() != 0, "logits are not finite");

            torch.nn.functional.cross_entropy(logits, y).backward();
            foreach (var (pname, p) in model.NamedParameters())
            {
                using Tensor? grad = p.grad;
                Assert.True(grad is not null, $"{name}: {pname} got no gradient");
                Assert.True(grad!.isfinite().All().ToDouble() != 0, $"{name}: {pname} has a non-finite gradient");
                Assert.Equal(p.shape, grad.shape);
            }

            Tensor features = model.Features(x);
            Assert.Equal([(long)batch, model.FeatureDim], features.shape);
            Assert.Equal(classes, model.NumClasses);
            Assert.Same(model.Head, model.NamedModules().Single(m => m.Name == model.HeadName).Module);
            Assert.Equal(name, model.Spec!.Name);
        }
        Assert.Equal(liveBefore, Tensor.LiveCount);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void Create_InChannels_SetsTheFirstConvolution(int inChannels)
    {
        using var scope = torch.NewDisposeScope();
        foreach (string name in ModelRegistry.Names)
        {
            using ClassifierModel model = ModelRegistry.Create(name, new ModelOptions { InChannels = inChannels, ImageSize = 28, NumClasses = 3 });
            Tensor first = model.Parameters().First();
            Assert.Equal(4, first.dim());
            Assert.Equal(inChannels, first.size(1));
            Assert.Equal(3, model.NumClasses);
        }
    }

    [Fact]
    public void Create_UnknownName_ThrowsListingValidNames()
    {
        var e = Assert.Throws<ArgumentException>(() => ModelRegistry.Create("resnet19"));
        Assert.Contains("'resnet19'", e.Message, StringComparison.Ordinal);
        foreach (string name in ModelRegistry.Names)
        {
            Assert.Contains(name, e.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Create_NameIsCaseInsensitive_SpecHasCanonicalName()
    {
        using var scope = torch.NewDisposeScope();
        using ClassifierModel model = ModelRegistry.Create("SmallCNN", new ModelOptions { InChannels = 1, ImageSize = 28 });
        Assert.IsType<SmallCnn>(model);
        Assert.Equal("smallcnn", model.Spec!.Name);
    }

    [Theory]
    [InlineData(32, null, ModelStem.Cifar, 3)]
    [InlineData(64, null, ModelStem.Cifar, 3)]
    [InlineData(65, null, ModelStem.ImageNet, 7)]
    [InlineData(224, null, ModelStem.ImageNet, 7)]
    [InlineData(224, ModelStem.Cifar, ModelStem.Cifar, 3)]
    [InlineData(32, ModelStem.ImageNet, ModelStem.ImageNet, 7)]
    public void Create_Stem_FollowsImageSizeUnlessOverridden(int imageSize, ModelStem? requested, ModelStem expected, long kernel)
    {
        using var scope = torch.NewDisposeScope();
        using var model = (ResNet)ModelRegistry.Create("resnet18", new ModelOptions { ImageSize = imageSize, Stem = requested });
        Assert.Equal(expected, model.Stem);
        Assert.Equal(expected, model.Spec!.Stem);
        Assert.Equal(kernel, model.Conv1.KernelSize);
    }

    [Fact]
    public void Create_SameSeed_SameWeights_OtherSeed_OtherWeights()
    {
        using var scope = torch.NewDisposeScope();
        var options = new ModelOptions { InChannels = 1, ImageSize = 28, Seed = 42 };
        using ClassifierModel a = ModelRegistry.Create("smallcnn", options);
        using ClassifierModel b = ModelRegistry.Create("smallcnn", options);
        using ClassifierModel c = ModelRegistry.Create("smallcnn", options with { Seed = 43 });
        foreach (var ((name, pa), pb, pc) in a.NamedParameters().Zip(b.Parameters(), c.Parameters()))
        {
            Assert.Equal(pa.ToArray<float>(), pb.ToArray<float>());
            if (name.EndsWith("weight", StringComparison.Ordinal) && !name.StartsWith("bn", StringComparison.Ordinal))
            {
                Assert.NotEqual(pa.ToArray<float>(), pc.ToArray<float>());
            }
        }
    }

    [Fact]
    public void Create_FromSpec_RebuildsTheSameArchitecture()
    {
        using var scope = torch.NewDisposeScope();
        using ClassifierModel original = ModelRegistry.Create("vgg11_bn", new ModelOptions { NumClasses = 100, ImageSize = 32 });
        string json = original.Spec!.ToJson();
        Assert.Equal("{\"name\":\"vgg11_bn\",\"num_classes\":100,\"in_channels\":3,\"image_size\":32,\"stem\":\"cifar\"}", json);
        ModelSpec spec = ModelSpec.FromMetadata(ModelSpec.FromJson(json).ToMetadata());
        Assert.Equal(original.Spec, spec);
        using ClassifierModel rebuilt = ModelRegistry.Create(spec);
        Assert.Equal(
            original.StateDict().Select(kv => (kv.Key, string.Join(",", kv.Value.shape))),
            rebuilt.StateDict().Select(kv => (kv.Key, string.Join(",", kv.Value.shape))));
        rebuilt.LoadStateDict(original.StateDict().ToDictionary(kv => kv.Key, kv => kv.Value));
    }

    [Fact]
    public void FromJson_NotASpec_ThrowsArgumentException()
    {
        Assert.Throws<ArgumentException>(() => ModelSpec.FromJson("{\"num_classes\":3}"));
        Assert.Throws<ArgumentException>(() => ModelSpec.FromJson("[1, 2]"));
        Assert.Throws<ArgumentException>(() => ModelSpec.FromMetadata(new Dictionary<string, string> { ["epoch"] = "3" }));
    }

    [Fact]
    public void DeepCopy_GivesIdenticalOutputs_AndIsIndependent()
    {
        using var scope = torch.NewDisposeScope();
        using ClassifierModel model = ModelRegistry.Create("resnet18", new ModelOptions { NumClasses = 5, Seed = 1 });
        using var generator = new Generator(2);
        Tensor x = torch.randn([4, 3, 32, 32], generator: generator);
        // A training step's worth of BN statistics, so the copy has non-trivial buffers to carry.
        model.call(x);
        model.Eval();
        using ClassifierModel copy = model.DeepCopy();
        Assert.Equal(model.Spec, copy.Spec);
        Assert.False(copy.IsTraining);
        Assert.Same(copy.Head, copy.NamedModules().Single(m => m.Name == "fc").Module);
        Assert.Equal(model.call(x).ToArray<float>(), copy.call(x).ToArray<float>());
        Assert.Equal(model.Features(x).ToArray<float>(), copy.Features(x).ToArray<float>());

        using (torch.no_grad())
        {
            copy.Head.Weight.fill_(0);
        }
        Assert.NotEqual(0.0, model.Head.Weight.abs().Sum().ToDouble());
    }

    [Fact]
    public void Forward_DoesNotPileUpIntermediatesInTheScope()
    {
        using var scope = torch.NewDisposeScope();
        using ClassifierModel model = ModelRegistry.Create("resnet18", new ModelOptions { NumClasses = 5, Seed = 1 });
        using Tensor x = torch.randn([2, 3, 32, 32]).DetachFromDisposeScope();
        using var inner = torch.NewDisposeScope();
        using Tensor logits = model.call(x);
        // Intermediate activations are released as the pass goes (autograd keeps what it needs): only the
        // logits stay owned by the scope.
        Assert.Equal(1, inner.Count);
    }
}
