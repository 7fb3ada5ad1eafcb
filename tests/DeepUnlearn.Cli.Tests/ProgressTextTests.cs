using System;
using Xunit;

namespace DeepUnlearn.Cli.Tests;

/// <summary>
/// The tail of every progress line (train, retrain, unlearning methods): loss, throughput (img/s when images are counted,
/// else it/s) and ETA, each left out when unknown, never "NaN"; rates and ETA from a phase's own clock.
/// </summary>
public class ProgressTextTests
{
    [Fact]
    public void Tail_AllKnown_LikeTrain()
    {
        Assert.Equal("loss 0.1235 1,530 img/s ETA 0:42", ProgressText.Tail(0.123456, 1530.4, 12, TimeSpan.FromSeconds(42)));
        Assert.Equal("loss 2.0000 88 img/s ETA 1:02:03", ProgressText.Tail(2, 88, double.NaN, new TimeSpan(1, 2, 3)));
    }

    [Fact]
    public void Tail_NoImagesCounted_StepsPerSecond()
    {
        Assert.Equal("loss 0.5000 2.50 it/s ETA 0:04", ProgressText.Tail(0.5, double.NaN, 2.5, TimeSpan.FromSeconds(4)));
        Assert.Equal("12 it/s", ProgressText.Tail(double.NaN, double.NaN, 12.4, null));
    }

    [Fact]
    public void Tail_NothingKnown_EmptyNotNaN()
    {
        Assert.Equal(string.Empty, ProgressText.Tail(double.NaN, double.NaN, double.NaN, null));
        Assert.DoesNotContain("NaN", ProgressText.Tail(double.NaN, double.PositiveInfinity, double.NaN, null), StringComparison.Ordinal);
    }

    [Fact]
    public void Measure_TenStepsOfSixtyFourImagesInFiveSeconds_RatesAndEta()
    {
        // 10 steps, 640 images in 5 s: 128 img/s, 2 it/s; 30 steps left at 2 it/s = 15 s.
        var (images, steps, eta) = ProgressText.Measure(10, 640, TimeSpan.FromSeconds(5), remaining: 30);
        Assert.Equal(128, images, 12);
        Assert.Equal(2, steps, 12);
        Assert.Equal(TimeSpan.FromSeconds(15), eta);
        Assert.True(double.IsNaN(ProgressText.Measure(10, 0, TimeSpan.FromSeconds(5), 30).ImagesPerSecond));
        Assert.Null(ProgressText.Measure(0, 0, TimeSpan.FromSeconds(5), 30).Eta);
        Assert.Null(ProgressText.Measure(3, 0, TimeSpan.FromSeconds(1), -1).Eta);
    }
}
