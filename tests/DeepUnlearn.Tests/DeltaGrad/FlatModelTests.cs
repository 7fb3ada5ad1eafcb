using System;
using DeepUnlearn.Engine;
using DeepUnlearn.Models;
using TorchSharp;
using static TorchSharp.torch;
using DeepUnlearn.Unlearning.Methods.DeltaGrad.Models;
using Xunit;

namespace DeepUnlearn.Tests.DeltaGrad;

public class FlatModelTests
{
    public static TheoryData<string> Models => new() { "logreg", "mlp-sigmoid", "mlp-relu", "head" };

    [Theory]
    [MemberData(nameof(Models))]
    public void Gradient_MatchesCentralFiniteDifferences(string name)
    {
        long live = LiveTensors.Settled();
        using (var scope = torch.NewDisposeScope())
        {
            using FlatModel model = Create(name);
            using var generator = new Generator(3);
            Tensor x = torch.randn([7, 4], ScalarType.Float64, generator: generator);
            Tensor y = torch.tensor(new long[] { 0, 1, 2, 1, 0, 2, 2 });
            double[] gradient = model.Gradient(x, y).data<double>().ToArray();
            double[] w = model.GetParameters().data<double>().ToArray();
            const double H = 1e-6;
            for (int i = 0; i < w.Length; i++)
            {
                double[] plus = (double[])w.Clone();
                double[] minus = (double[])w.Clone();
                plus[i] += H;
                minus[i] -= H;
                model.SetParameters(torch.tensor(plus));
                double lossPlus = model.Loss(x, y).ToDouble();
                model.SetParameters(torch.tensor(minus));
                double lossMinus = model.Loss(x, y).ToDouble();
                Assert.Equal((lossPlus - lossMinus) / (2 * H), gradient[i], 6);
            }
        }
        Assert.Equal(live, LiveTensors.Count);
    }

    [Fact]
    public void LogisticRegression_Layout_IsWeightRowMajorThenBias()
    {
        using var scope = torch.NewDisposeScope();
        using var model = new MultinomialLogisticRegression(4, 3, ScalarType.Float64, seed: 1);
        Assert.Equal(15, model.ParameterCount);
        Tensor w = model.GetParameters();
        Tensor weight = w.narrow(0, 0, 12).view(3, 4);
        Tensor bias = w.narrow(0, 12, 3);
        Tensor x = torch.ones([2, 4], ScalarType.Float64);
        Assert.True(Synthetic.MaxAbsDiff(model.Logits(x), torch.nn.functional.linear(x, weight, bias)) < 1e-15);
        // PyTorch's default Linear init: U(±1/√fan_in) = U(±0.5).
        Assert.True(w.abs().max().ToDouble() <= 0.5);
        Assert.Equal("logistic-regression(4→3)", model.Identity);
    }

    [Fact]
    public void SetParameters_WrongLength_Throws()
    {
        using var scope = torch.NewDisposeScope();
        using var model = new TwoLayerPerceptron(4, 3, 5);
        Assert.Equal((5 * 4) + 5 + (3 * 5) + 3, model.ParameterCount);
        Assert.Throws<ArgumentException>(() => model.SetParameters(torch.zeros([10])));
        Assert.Throws<ArgumentException>(() => model.Gradient(torch.zeros([2, 5]), torch.zeros([2], ScalarType.Int64)));
    }

    [Fact]
    public void FrozenFeatureHead_IdentityNamesTheFeatureSource()
    {
        using var head = new FrozenFeatureHead("resnet18/avgpool@cifar10", 512, 10);
        Assert.Equal("linear-head[resnet18/avgpool@cifar10](512→10)", head.Identity);
        Assert.Equal((512 * 10) + 10, head.ParameterCount);
    }

    [Fact]
    public void FrozenFeatureHead_OverSmallCnnFeatures_ReproducesTheClassifier()
    {
        using ClassifierModel cnn = ModelRegistry.Create("smallcnn", new ModelOptions { InChannels = 1, ImageSize = 28, Seed = 4 });
        // After building: TorchSharp's count rises by one for good with every Parameter made (see LiveTensors).
        long live = LiveTensors.Settled();
        using (var scope = torch.NewDisposeScope())
        {
            using var generator = new Generator(8);
            Tensor images = torch.randn([5, 1, 28, 28], ScalarType.Float32, generator: generator);
            Tensor features = FrozenFeatureHead.ExtractFeatures(cnn, images, batchSize: 2);
            Assert.Equal([5L, cnn.FeatureDim], features.shape);
            using var head = new FrozenFeatureHead("smallcnn@test", cnn.FeatureDim, cnn.NumClasses);
            head.LoadFrom(cnn.Head);
            cnn.eval();
            Tensor logits;
            using (torch.no_grad())
            {
                logits = cnn.call(images);
            }
            Assert.True(Synthetic.MaxAbsDiff(head.Logits(features), logits) < 1e-5);

            // An updated head goes back into the classifier.
            head.SetParameters(head.GetParameters().mul(0.5));
            head.CopyTo(cnn.Head);
            using (torch.no_grad())
            {
                Assert.True(Synthetic.MaxAbsDiff(head.Logits(features), cnn.call(images)) < 1e-5);
            }
        }
        Assert.Equal(live, LiveTensors.Count);
    }

    private static FlatModel Create(string name) => name switch
    {
        "logreg" => new MultinomialLogisticRegression(4, 3, ScalarType.Float64, seed: 2),
        "mlp-sigmoid" => new TwoLayerPerceptron(4, 3, 5, HiddenActivation.Sigmoid, ScalarType.Float64, seed: 2),
        "mlp-relu" => new TwoLayerPerceptron(4, 3, 5, HiddenActivation.Relu, ScalarType.Float64, seed: 2),
        "head" => new FrozenFeatureHead("test-backbone", 4, 3, ScalarType.Float64, seed: 2),
        _ => throw new ArgumentException(name),
    };
}
