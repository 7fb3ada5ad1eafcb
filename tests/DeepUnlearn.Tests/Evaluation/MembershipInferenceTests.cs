using System;
using System.Linq;
using DeepUnlearn.Evaluation;
using Xunit;

namespace DeepUnlearn.Tests.Evaluation;

public class MembershipInferenceTests
{
    [Fact]
    public void SvcAttack_IdenticalMemberAndNonMemberDistributions_IsNearChance()
    {
        var rng = new Random(7);
        double[] Draw(int n) => Enumerable.Range(0, n).Select(_ => rng.NextDouble()).ToArray();
        double accuracy = MembershipInference.SvcAttackPercent(Draw(2000), Draw(2000), Draw(2000), Draw(2000));
        Assert.InRange(accuracy, 46, 54);
    }

    [Fact]
    public void SvcAttack_DistinctDistributions_IsFarAboveChance()
    {
        var rng = new Random(5);
        double[] Members(int n) => Enumerable.Range(0, n).Select(_ => 1 - (0.4 * rng.NextDouble() * rng.NextDouble())).ToArray();
        double[] Others(int n) => Enumerable.Range(0, n).Select(_ => rng.NextDouble()).ToArray();
        double accuracy = MembershipInference.SvcAttackPercent(Members(1000), Others(1000), Members(1000), Others(1000));
        Assert.InRange(accuracy, 70, 100);
    }

    [Fact]
    public void SvcEfficacy_SeparableDistributions_CallsForgetSamplesByTheirSide()
    {
        var rng = new Random(3);
        double[] members = Enumerable.Range(0, 500).Select(_ => 0.9 + (0.1 * rng.NextDouble())).ToArray();
        double[] nonMembers = Enumerable.Range(0, 500).Select(_ => 0.3 * rng.NextDouble()).ToArray();
        double[] memberLike = Enumerable.Range(0, 100).Select(_ => 0.95).ToArray();
        double[] nonMemberLike = Enumerable.Range(0, 100).Select(_ => 0.1).ToArray();
        Assert.Equal(0, MembershipInference.SvcEfficacyPercent(members, nonMembers, memberLike));
        Assert.Equal(100, MembershipInference.SvcEfficacyPercent(members, nonMembers, nonMemberLike));
    }

    [Fact]
    public void LossThreshold_PicksTheSeparatingThreshold()
    {
        double[] members = [0.1, 0.2, 0.3];
        double[] nonMembers = [1.0, 2.0, 3.0];
        var (efficacy, threshold) = MembershipInference.LossThresholdEfficacyPercent(members, nonMembers, [0.05, 0.5, 2.5, 4.0]);
        Assert.Equal(0.65, threshold, 12);
        Assert.Equal(50, efficacy);
    }

    [Fact]
    public void LossThreshold_IdenticalDistributions_IsNearHalf()
    {
        var rng = new Random(11);
        double[] a = Enumerable.Range(0, 3000).Select(_ => rng.NextDouble()).ToArray();
        double[] b = Enumerable.Range(0, 3000).Select(_ => rng.NextDouble()).ToArray();
        double[] f = Enumerable.Range(0, 3000).Select(_ => rng.NextDouble()).ToArray();
        var (efficacy, _) = MembershipInference.LossThresholdEfficacyPercent(a, b, f);
        Assert.InRange(efficacy, 30, 70);
    }

    [Fact]
    public void SvcEfficacy_NoForgetSamples_Throws()
    {
        Assert.Throws<ArgumentException>(() => MembershipInference.SvcEfficacyPercent([0.9, 0.8], [0.1, 0.2], []));
    }
}
