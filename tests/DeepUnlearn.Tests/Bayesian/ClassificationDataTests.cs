using System;
using System.Linq;
using DeepUnlearn.Bayesian;
using Xunit;

namespace DeepUnlearn.Tests.Bayesian;

public class ClassificationDataTests
{
    [Fact]
    public void SelectAndWithout_PartitionByIdKeepingIds()
    {
        ClassificationData data = TwoMoons.Generate(10, 0.1, seed: 3);
        ClassificationData erased = data.Select([7, 2]);
        ClassificationData kept = data.Without([7, 2]);
        Assert.Equal([2, 7], erased.Ids.ToArray());
        Assert.Equal(8, kept.Count);
        Assert.DoesNotContain(2, kept.Ids.ToArray());
        Assert.Equal(data.Features.Slice(14, 2).ToArray(), erased.Features.Slice(2, 2).ToArray());
        Assert.Equal([5], kept.Select([5]).Ids.ToArray());
        var e = Assert.Throws<ArgumentException>(() => data.Select([10]));
        Assert.Contains("id 10 is not in the data set", e.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => kept.Without([7]));
    }

    [Fact]
    public void TwoMoons_IsSeededBalancedAndOnTheMoons()
    {
        ClassificationData a = TwoMoons.Generate(201, 0.0, seed: 5);
        ClassificationData b = TwoMoons.Generate(201, 0.0, seed: 5);
        ClassificationData c = TwoMoons.Generate(201, 0.0, seed: 6);
        Assert.Equal(a.Features.ToArray(), b.Features.ToArray());
        Assert.NotEqual(a.Features.ToArray(), c.Features.ToArray());
        Assert.Equal(100, a.Labels.ToArray().Count(l => l == 0));
        for (int i = 0; i < a.Count; i++)
        {
            double x = a.Features[2 * i];
            double y = a.Features[(2 * i) + 1];
            // Without noise: class 0 on the unit upper half circle, class 1 on the one centred at (1, 0.5), lower half.
            double radius = a.Labels[i] == 0 ? Math.Sqrt((x * x) + (y * y)) : Math.Sqrt(((x - 1) * (x - 1)) + ((y - 0.5) * (y - 0.5)));
            Assert.Equal(1.0, radius, 12);
            Assert.True(a.Labels[i] == 0 ? y >= -1e-12 : y <= 0.5 + 1e-12);
        }
        Assert.Throws<ArgumentOutOfRangeException>(() => TwoMoons.Generate(1));
        Assert.Throws<ArgumentOutOfRangeException>(() => TwoMoons.Generate(10, -0.1));
    }
}
