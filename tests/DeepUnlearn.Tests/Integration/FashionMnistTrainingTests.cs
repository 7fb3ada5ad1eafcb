using Xunit;
using Xunit.Abstractions;

namespace DeepUnlearn.Tests.Integration;

/// <summary>
/// End to end on the real Fashion-MNIST through the toolkit's spine (loader, zoo model, Trainer, evaluator): the demo's
/// model reaches its accuracy in one epoch.
/// </summary>
[Collection(FashionMnistCollection.Name)]
public class FashionMnistTrainingTests(FashionMnistOriginal original, ITestOutputHelper output)
{
    [Fact]
    public void OneEpochOfSmallCnn_ReachesEightyFivePercentTestAccuracy()
    {
        output.WriteLine($"smallcnn, 1 epoch: test accuracy {original.TestAccuracy:F2}% in {original.TrainingSeconds:F0} s");
        Assert.True(original.TestAccuracy >= 85, $"test accuracy {original.TestAccuracy:F2}% < 85%");
    }
}
