using System;
using System.Linq;
using DeepUnlearn.Bayesian;
using DeepUnlearn.Data;
using Xunit;

namespace DeepUnlearn.Tests.Bayesian;

public class FashionMnistFeaturesTests
{
    [Fact]
    public void FromDataset_BlockMeansOfPixelsOver255()
    {
        var pixels = new byte[2 * 28 * 28];
        for (int i = 0; i < 28 * 28; i++)
        {
            int y = i / 28;
            int x = i % 28;
            pixels[i] = (byte)(y < 14 && x < 14 ? 255 : 0);
            pixels[(28 * 28) + i] = (byte)((x + y) % 2 == 0 ? 100 : 0);
        }
        var dataset = new InMemoryVisionDataset("toy", pixels, [3, 7], 1, 28, 28, Enumerable.Range(0, 10).Select(k => $"c{k}").ToArray());
        ClassificationData data = FashionMnistFeatures.FromDataset(dataset, block: 14);
        Assert.Equal(4, data.FeatureCount);
        Assert.Equal([1.0, 0, 0, 0], data.Features[..4].ToArray(), (a, b) => Math.Abs(a - b) < 1e-12);
        Assert.All(data.Features[4..].ToArray(), v => Assert.Equal(50.0 / 255, v, 12));
        Assert.Equal([3, 7], data.Labels.ToArray());
        Assert.Equal(10, data.ClassCount);
        Assert.Throws<ArgumentOutOfRangeException>(() => FashionMnistFeatures.FromDataset(dataset, block: 5));
    }

    [Fact]
    public void Load_RealTrainSplit_Is60000By49InUnitInterval()
    {
        ClassificationData data = FashionMnistFeatures.Load();
        Assert.Equal(60_000, data.Count);
        Assert.Equal(49, data.FeatureCount);
        Assert.Equal(10, data.ClassCount);
        Assert.Equal("T-shirt/top", data.ClassNames[0]);
        double min = double.MaxValue;
        double max = double.MinValue;
        foreach (double v in data.Features)
        {
            min = Math.Min(min, v);
            max = Math.Max(max, v);
        }
        Assert.Equal(0, min);
        Assert.InRange(max, 0.9, 1.0);
        Assert.All(Enumerable.Range(0, 10), k => Assert.Equal(6000, data.Labels.ToArray().Count(l => l == k)));
    }
}
