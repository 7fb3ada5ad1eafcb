using DeepUnlearn.Data;
using Xunit;

namespace DeepUnlearn.Tests.Data;

// The real Fashion-MNIST from Debian's dataset-fashion-mnist (a build prerequisite, see build.sh).
public class FashionMnistTests
{
    [Fact]
    public void Load_Train_Has60000ImagesBalancedAndFirstIsAnkleBoot()
    {
        InMemoryVisionDataset train = FashionMnist.Load(DatasetSplit.Train);
        Assert.Equal(60_000, train.Count);
        Assert.Equal((1, 28, 28), (train.Channels, train.Height, train.Width));
        Assert.Equal("fashion-mnist", train.Name);
        Assert.Equal(10, train.NumClasses);
        int[] perClass = new int[10];
        foreach (int label in train.Labels.Span)
        {
            perClass[label]++;
        }
        Assert.All(perClass, n => Assert.Equal(6_000, n));
        Assert.Equal(9, train.Label(0));
        Assert.Equal("Ankle boot", train.ClassNames[train.Label(0)]);
        Assert.Equal("T-shirt/top", train.ClassNames[0]);
        Assert.Same(ChannelStatistics.FashionMnist, train.Normalization);
        // The published statistics describe these pixels.
        ChannelStatistics measured = ChannelStatistics.Compute(train.Pixels.Span, 1, 28, 28);
        Assert.Equal(0.2860, measured.Mean[0], 3);
        Assert.Equal(0.3530, measured.Std[0], 3);
        Assert.Contains(train.Sample(0).ToArray(), b => b > 0);
    }

    [Fact]
    public void Load_Test_Has10000ImagesAndFirstIsAnkleBoot()
    {
        InMemoryVisionDataset test = FashionMnist.Load(DatasetSplit.Test);
        Assert.Equal(10_000, test.Count);
        Assert.Equal(9, test.Label(0));
    }
}
