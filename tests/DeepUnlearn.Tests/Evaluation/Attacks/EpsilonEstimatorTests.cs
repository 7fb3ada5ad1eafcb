using System;
using System.Linq;
using DeepUnlearn.Evaluation.Attacks;
using Xunit;

namespace DeepUnlearn.Tests.Evaluation.Attacks;

/// <summary>
/// The NeurIPS'23 challenge's per-example ε (google-deepmind/unlearning_evaluation metric.py) on outputs whose best
/// decision rule and its FPR/FNR counts are known by hand, and its forgetting score.
/// </summary>
public class EpsilonEstimatorTests
{
    [Fact]
    public void RuleEpsilon_KnownRates_KnownEpsilon()
    {
        // FPR 0.1, FNR 0.2, δ = 0: max(log(0.9 / 0.2), log(0.8 / 0.1)) = log 8.
        Assert.Equal(Math.Log(8), EpsilonEstimator.RuleEpsilon(0.1, 0.2, delta: 0), 14);
        Assert.Equal(Math.Log(0.8 - 1e-5) - Math.Log(0.1), EpsilonEstimator.RuleEpsilon(0.1, 0.2), 14);
        // Perfect separation is ∞; one zero rate is discarded (NaN); a useless rule is clipped to 0.
        Assert.Equal(double.PositiveInfinity, EpsilonEstimator.RuleEpsilon(0, 0));
        Assert.True(double.IsNaN(EpsilonEstimator.RuleEpsilon(0, 0.5)));
        Assert.Equal(0, EpsilonEstimator.RuleEpsilon(0.6, 0.6));
    }

    [Fact]
    public void Example_OneFalsePositiveAndOneFalseNegativeOfFour_IsLogThree()
    {
        // Unlearned 0, 1, 2, 3 against retrained 2.5, 3.5, 4.5, 5.5: every rule with both error rates non-zero errs on
        // at least one model per side, and "φ ≥ 2.75" errs on exactly one (3 vs 2.5): FPR = FNR = 1/4, so
        // ε = log(1 − δ − 1/4) − log(1/4) = log(3 − 4δ).
        ExampleEpsilon e = EpsilonEstimator.Example([0, 1, 2, 3], [2.5, 3.5, 4.5, 5.5]);
        Assert.Equal(Math.Log(3 - (4 * EpsilonEstimator.Delta)), e.Epsilon, 12);
        Assert.Equal((1, 1, 4, 4), (e.FalsePositives, e.FalseNegatives, e.Positives, e.Negatives));
        Assert.False(e.Peaky);
        // The interval from Clopper–Pearson bounds on 1/4: upper bound of 1/4 is 0.8059, far above 1/2, so the lower
        // end is 0; the lower bound 1 − 0.975^(1/4) is non-zero, so the upper end is finite.
        Assert.Equal(0, e.Lower);
        double low = 1 - Math.Pow(0.975, 0.25);
        Assert.Equal(Math.Log(1 - EpsilonEstimator.Delta - low) - Math.Log(low), e.Upper, 8);
    }

    [Theory]
    [InlineData(4)]
    [InlineData(40)]
    public void Example_PerfectlySeparated_CapsAndTheIntervalSaysHowManyModelsItRestsOn(int models)
    {
        double[] unlearned = Enumerable.Range(0, models).Select(i => i * 0.01).ToArray();
        double[] retrained = unlearned.Select(x => x + 5).ToArray();
        ExampleEpsilon e = EpsilonEstimator.Example(unlearned, retrained);
        Assert.Equal(EpsilonEstimator.Cap, e.Epsilon);
        Assert.Equal((0, 0), (e.FalsePositives, e.FalseNegatives));
        Assert.Equal(double.PositiveInfinity, e.Upper);
        // Lower end: both rates at their Clopper–Pearson upper bound for 0 of N, 1 − 0.025^(1/N).
        double p = 1 - Math.Pow(0.025, 1.0 / models);
        double expected = Math.Max(0, Math.Log(1 - EpsilonEstimator.Delta - p) - Math.Log(p));
        Assert.Equal(expected, e.Lower, 8);
        if (models == 4)
        {
            // Four models per side cannot rule out ε = 0 even when they never overlap.
            Assert.Equal(0, e.Lower);
        }
        else
        {
            Assert.InRange(e.Lower, 2.3, 2.4);
        }
    }

    [Fact]
    public void Example_SameOutputs_IsZero()
    {
        double[] outputs = [-1.3, 0.2, 0.9, 2.4, 3.1];
        Assert.Equal(0, EpsilonEstimator.Example(outputs, outputs).Epsilon);
        // Constant and equal on both sides (metric.py would divide 0 by 0): indistinguishable.
        Assert.Equal(0, EpsilonEstimator.Example([1, 1, 1], [1, 1, 1]).Epsilon);
        // Constant but different: separated.
        Assert.Equal(EpsilonEstimator.Cap, EpsilonEstimator.Example([1, 1, 1], [2, 2, 2]).Epsilon);
    }

    [Fact]
    public void Example_PeakyUnlearnedOutputs_AreTheCapByTheChallengeRule()
    {
        // Range 0.001 against 3: below 1% of the other's, whatever the overlap.
        ExampleEpsilon e = EpsilonEstimator.Example([1, 1, 1, 1.001], [0, 1, 2, 3]);
        Assert.True(e.Peaky);
        Assert.Equal(EpsilonEstimator.Cap, e.Epsilon);
    }

    [Fact]
    public void ForgetScore_BucketsOfHalfUpToCeilLogNMinusOne()
    {
        // N = 3: ⌈log 2⌉ = 1, buckets [0, 0.5) → 1 and [0.5, 1) → 1/2, beyond → 0.
        Assert.Equal((1 + 0.5 + 0) / 3, EpsilonEstimator.ForgetScore([0.2, 0.7, 3], 3)!.Value, 14);
        // N = 512 (the challenge): ⌈log 511⌉ = 7, 14 buckets; ε = 6.9 is in the last one (2^-13).
        Assert.Equal(Math.Pow(2, -13), EpsilonEstimator.ForgetScore([6.9], 512)!.Value, 14);
        Assert.Equal(0, EpsilonEstimator.ForgetScore([7.0], 512)!.Value);
        // Two models per side leave no bucket: undefined, not 0.
        Assert.Null(EpsilonEstimator.ForgetScore([0.0], 2));
        Assert.Equal(Math.Log(3 - (4 * EpsilonEstimator.Delta)), EpsilonEstimator.LargestFinite(4), 12);
    }
}
