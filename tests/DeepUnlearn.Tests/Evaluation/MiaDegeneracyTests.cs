using System;
using System.Linq;
using DeepUnlearn.Evaluation;
using DeepUnlearn.Tests.Unlearning;
using Xunit;
using static DeepUnlearn.Tests.Evaluation.ConfidenceFixtures;

namespace DeepUnlearn.Tests.Evaluation;

/// <summary>
/// MIA-efficacy is flagged when the forget outputs are degenerate: near-constant true-class confidences put the whole
/// forget set on one side of the 1-D SVC's threshold, so the efficacy is 0 or 100 whatever membership looks like.
/// Spread-out forget confidences that the attack still calls all non-members are not flagged.
/// </summary>
public class MiaDegeneracyTests(TinyUnlearningSetup setup) : IClassFixture<TinyUnlearningSetup>
{
    [Fact]
    public void Metrics_UniformForgetOutputs_AllOrNothingMiaFlagged()
    {
        // Two classes: uniform outputs give every forget sample confidence 0.5; members sit high, non-members low.
        var random = new Random(3);
        double[] retain = Draw(random, 80, 0.8, 1.0);
        double[] test = Draw(random, 40, 0.05, 0.6);
        double[] forget = Enumerable.Repeat(0.5, 50).ToArray();
        UnlearningMetrics metrics = Score(retain, test, forget);
        Assert.True(metrics.MiaEfficacy is 0 or 100, $"MIA {metrics.MiaEfficacy}");
        Assert.True(metrics.MiaDegenerate);
    }

    [Fact]
    public void Metrics_SpreadForgetOutputsCalledNonMembers_NotFlagged()
    {
        // The forget confidences span 0.05–0.3, all in the non-members' range: 100 is a real finding.
        var random = new Random(4);
        double[] retain = Draw(random, 80, 0.8, 1.0);
        double[] test = Draw(random, 40, 0.05, 0.4);
        double[] forget = Draw(random, 50, 0.05, 0.3);
        UnlearningMetrics metrics = Score(retain, test, forget);
        Assert.Equal(100, metrics.MiaEfficacy, 10);
        Assert.False(metrics.MiaDegenerate);
    }

    [Theory]
    [InlineData(50.0, false)]   // not all-or-nothing: the attack split the forget set, nothing to flag
    [InlineData(100.0, true)]
    [InlineData(0.0, true)]
    public void IsDegenerate_ConstantConfidences_OnlyWhenAllOrNothing(double efficacy, bool expected) =>
        Assert.Equal(expected, MembershipInference.IsDegenerate(Enumerable.Repeat(0.1, 20).ToArray(), efficacy));

    [Fact]
    public void IsDegenerate_FivePercentOutsideTheBand_StillFlaggedSixNot()
    {
        // 95 of 100 within ±0.01 of the median is degenerate; 94 is not.
        double[] ninetyFive = [.. Enumerable.Repeat(0.25, 95), .. Enumerable.Repeat(0.9, 5)];
        double[] ninetyFour = [.. Enumerable.Repeat(0.25, 94), .. Enumerable.Repeat(0.9, 6)];
        Assert.True(MembershipInference.IsDegenerate(ninetyFive, 100));
        Assert.False(MembershipInference.IsDegenerate(ninetyFour, 100));
    }

    private UnlearningMetrics Score(double[] retain, double[] test, double[] forget)
    {
        var evaluation = new ModelEvaluation(Confident(forget, 0), Confident(retain, 10_000), Confident(test, 20_000), null, ModelEvaluation.Flatten(setup.Original));
        return new UnlearningEvaluator(setup.Context).Metrics("fixture", evaluation, 1);
    }
}
