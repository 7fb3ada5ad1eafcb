using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using DeepUnlearn.Data;
using DeepUnlearn.Evaluation;
using DeepUnlearn.Unlearning;
using DeepUnlearn.Unlearning.Methods.RandomLabel;
using Xunit;

namespace DeepUnlearn.Tests.Unlearning.Methods;

public class RandomLabelMethodTests(TinyUnlearningSetup setup) : IClassFixture<TinyUnlearningSetup>
{
    private static readonly KeyValuePair<string, string>[] s_tiny = [new("epochs", "3"), new("learning_rate", "0.05"), new("batch_size", "32")];

    [Theory]
    [InlineData(2)]
    [InlineData(4)]
    [InlineData(10)]
    public void Draw_ManySamples_NeverTheTrueLabelAndUniformOverTheOthers(int k)
    {
        const int n = 20_000;
        for (int trueLabel = 0; trueLabel < k; trueLabel++)
        {
            var counts = new int[k];
            for (int id = 0; id < n; id++)
            {
                int label = RandomLabels.Draw(seed: 3, epoch: id % 3, id, trueLabel, k);
                Assert.InRange(label, 0, k - 1);
                Assert.NotEqual(trueLabel, label);
                counts[label]++;
            }
            double expected = (double)n / (k - 1);
            for (int c = 0; c < k; c++)
            {
                if (c != trueLabel)
                {
                    // 6 standard deviations of a binomial count: fails only for a biased draw.
                    double sd = Math.Sqrt(n * (1.0 / (k - 1)) * (1 - (1.0 / (k - 1))));
                    Assert.True(Math.Abs(counts[c] - expected) <= (6 * sd) + 1e-9, $"K={k}, true {trueLabel}: class {c} drawn {counts[c]} times, expected ~{expected:F0}");
                }
            }
        }
    }

    [Fact]
    public void Draw_SameInputs_SameLabel_OtherSeedOrEpoch_OtherLabels()
    {
        int[] first = Enumerable.Range(0, 500).Select(id => RandomLabels.Draw(11, 0, id, id % 10, 10)).ToArray();
        int[] again = Enumerable.Range(0, 500).Select(id => RandomLabels.Draw(11, 0, id, id % 10, 10)).ToArray();
        int[] otherSeed = Enumerable.Range(0, 500).Select(id => RandomLabels.Draw(12, 0, id, id % 10, 10)).ToArray();
        int[] otherEpoch = Enumerable.Range(0, 500).Select(id => RandomLabels.Draw(11, 1, id, id % 10, 10)).ToArray();
        Assert.Equal(first, again);
        // Independent draws agree with probability 1/9 each: far fewer than 500 matches.
        Assert.True(first.Zip(otherSeed).Count(p => p.First == p.Second) < 120);
        Assert.True(first.Zip(otherEpoch).Count(p => p.First == p.Second) < 120);
    }

    [Fact]
    public void Draw_BadArguments_Throw()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => RandomLabels.Draw(0, 0, 0, 0, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => RandomLabels.Draw(0, 0, 0, 4, 4));
        Assert.Throws<ArgumentOutOfRangeException>(() => RandomLabels.Draw(0, 0, 0, -1, 4));
    }

    [Fact]
    public void Run_SameSeed_BitIdentical_OtherSeed_Differs()
    {
        using var threads = new SingleThread();
        IUnlearningMethod method = MethodRegistry.Create("random-label", s_tiny);
        float[] a, b, c;
        using (UnlearningOutcome outcome = method.Run(Contexts.With(setup, seed: 5), CancellationToken.None))
        {
            a = setup.flatten(outcome.Model);
        }
        using (UnlearningOutcome outcome = method.Run(Contexts.With(setup, seed: 5), CancellationToken.None))
        {
            b = setup.flatten(outcome.Model);
        }
        using (UnlearningOutcome outcome = method.Run(Contexts.With(setup, seed: 6), CancellationToken.None))
        {
            c = setup.flatten(outcome.Model);
        }
        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
    }

    [Fact]
    public void Run_TinyClassForgetting_ForgetsTheClassAndKeepsTheRetainSet()
    {
        using var threads = new SingleThread();
        using UnlearningOutcome outcome = MethodRegistry.Create("random-label", s_tiny).Run(setup.Context, CancellationToken.None);
        using DataLoader retain = setup.Context.RetainLoader(64, shuffle: false);
        double retainAccuracy = ModelEvaluator.Predict(outcome.Model, retain).AccuracyPercent();
        double forgetAccuracy = setup.ForgetAccuracy(outcome.Model);
        Assert.True(forgetAccuracy < 10, $"forget accuracy {forgetAccuracy:F1}%");
        Assert.True(retainAccuracy > 90, $"retain accuracy {retainAccuracy:F1}%");
    }

    [Theory]
    [InlineData("learning_rate", "0", "a positive number")]
    [InlineData("batch_size", "0", "at least 1")]
    [InlineData("weight_decay", "-1", "non-negative")]
    public void Create_InvalidOption_SaysWhatIsValid(string key, string value, string rule)
    {
        MethodOptionAssert.Rejects("random-label", key, value, rule);
    }
}
