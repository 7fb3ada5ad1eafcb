using System;
using System.Linq;
using DeepUnlearn.Models;
using TorchSharp;
using TorchSharp.Modules;
using Xunit;

namespace DeepUnlearn.Tests.Models;

// Its promise for the demo (one epoch on Fashion-MNIST reaches 85%) is FashionMnistIntegrationTests'.
public class SmallCnnTests
{
    [Theory]
    [InlineData(28, 3136)]
    [InlineData(32, 4096)]
    public void Fc1_AdaptsToTheImageSize(int imageSize, long fc1Inputs)
    {
        using var scope = torch.NewDisposeScope();
        using var model = new SmallCnn(1, 10, imageSize);
        var fc1 = (Linear)model.named_children().Single(c => c.name == "fc1").module;
        Assert.Equal([128L, fc1Inputs], fc1.weight!.shape);
        Assert.Equal(128, model.FeatureDim);
        Assert.Equal("fc2", model.HeadName);
    }

    [Fact]
    public void Constructor_TooSmallImage_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new SmallCnn(1, 10, 3));
    }
}
