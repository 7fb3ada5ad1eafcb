using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using DeepUnlearn.Configuration;
using DeepUnlearn.Data;
using DeepUnlearn.Engine;
using DeepUnlearn.Evaluation;
using DeepUnlearn.Models;
using DeepUnlearn.Unlearning;
using DeepUnlearn.Unlearning.Methods.RandomLabel;
using Xunit;
using DataLoader = DeepUnlearn.Data.DataLoader;

namespace DeepUnlearn.Tests.Unlearning.Methods;

public class RandomLabelMethodTests(TinyUnlearningSetup setup) : IClassFixture<TinyUnlearningSetup>
{
    private static readonly KeyValuePair<string, string>[] s_tiny = [new("epochs", "3"), new("learning_rate", "0.05"), new("batch_size", "32")];

    [Theory]
    [InlineData(2)]
    [InlineData(4)]
    [InlineData(10)]
    public void Draw_ManySamples_UniformOverAllKClassesTheTrueOneIncluded(int k)
    {
        // RL.py draws randint(0, K): the true label comes up one time in K.
        const int n = 20_000;
        for (int trueLabel = 0; trueLabel < k; trueLabel++)
        {
            var counts = new int[k];
            for (int id = 0; id < n; id++)
            {
                int label = RandomLabels.Draw(seed: 3, epoch: id % 3, id, trueLabel, k);
                Assert.InRange(label, 0, k - 1);
                counts[label]++;
            }
            AssertUniform(counts, n, Enumerable.Range(0, k), $"K={k}, true {trueLabel}");
        }
    }

    [Theory]
    [InlineData(2)]
    [InlineData(4)]
    [InlineData(10)]
    public void Draw_ExcludingTheTrueLabel_NeverTheTrueLabelAndUniformOverTheOthers(int k)
    {
        const int n = 20_000;
        for (int trueLabel = 0; trueLabel < k; trueLabel++)
        {
            var counts = new int[k];
            for (int id = 0; id < n; id++)
            {
                int label = RandomLabels.Draw(seed: 3, epoch: id % 3, id, trueLabel, k, excludeTrueLabel: true);
                Assert.InRange(label, 0, k - 1);
                Assert.NotEqual(trueLabel, label);
                counts[label]++;
            }
            AssertUniform(counts, n, Enumerable.Range(0, k).Where(c => c != trueLabel), $"K={k}, true {trueLabel} excluded");
        }
    }

    [Theory]
    [InlineData(RandomLabelLoop.Auto, 10, RandomLabelLoop.ForgetThenRetain)]   // CIFAR-10 (and SVHN): RL.py's first branch
    [InlineData(RandomLabelLoop.Auto, 100, RandomLabelLoop.Mixed)]             // CIFAR-100
    [InlineData(RandomLabelLoop.Auto, 200, RandomLabelLoop.Mixed)]             // Tiny-ImageNet
    [InlineData(RandomLabelLoop.Auto, 4, RandomLabelLoop.ForgetThenRetain)]
    [InlineData(RandomLabelLoop.Mixed, 10, RandomLabelLoop.Mixed)]
    [InlineData(RandomLabelLoop.ForgetThenRetain, 100, RandomLabelLoop.ForgetThenRetain)]
    public void Resolve_Auto_PicksTheAuthorsLoopForTheDataset(RandomLabelLoop asked, int classes, RandomLabelLoop expected)
    {
        Assert.Equal(expected, RandomLabelTraining.Resolve(asked, classes));
    }

    [Fact]
    public void Train_ForgetThenRetain_EachEpochRunsEveryForgetBatchThenEveryRetainBatch()
    {
        const int batch = 32;
        var batches = Record(RandomLabelLoop.ForgetThenRetain, epochs: 2, batch);
        UnlearningContext context = setup.Context;
        int forgetBatches = (context.ForgetIds.Length + batch - 1) / batch;
        int retainBatches = (context.RetainIds.Length + batch - 1) / batch;
        Assert.Equal(2 * (forgetBatches + retainBatches), batches.Count);
        var forget = context.ForgetIds.ToHashSet();
        for (int epoch = 0; epoch < 2; epoch++)
        {
            var inEpoch = batches.Skip(epoch * (forgetBatches + retainBatches)).Take(forgetBatches + retainBatches).ToList();
            Assert.All(inEpoch.Take(forgetBatches), b => Assert.All(b.Ids, id => Assert.Contains((int)id, forget)));
            Assert.All(inEpoch.Skip(forgetBatches), b => Assert.All(b.Ids, id => Assert.DoesNotContain((int)id, forget)));
            AssertEachOnce(inEpoch, context);
        }
    }

    [Fact]
    public void Train_Mixed_EachEpochShufflesForgetAndRetainTogether()
    {
        const int batch = 32;
        var batches = Record(RandomLabelLoop.Mixed, epochs: 2, batch);
        UnlearningContext context = setup.Context;
        int perEpoch = (context.ForgetIds.Length + context.RetainIds.Length + batch - 1) / batch;
        Assert.Equal(2 * perEpoch, batches.Count);
        var forget = context.ForgetIds.ToHashSet();
        for (int epoch = 0; epoch < 2; epoch++)
        {
            var inEpoch = batches.Skip(epoch * perEpoch).Take(perEpoch).ToList();
            AssertEachOnce(inEpoch, context);
            // With a quarter of the samples in D_f, a shuffled batch of 32 holds both kinds (all but certainly).
            int mixed = inEpoch.Count(b => b.Ids.Any(id => forget.Contains((int)id)) && b.Ids.Any(id => !forget.Contains((int)id)));
            Assert.True(mixed >= perEpoch / 2, $"epoch {epoch}: only {mixed} of {perEpoch} batches mix forget and retain samples");
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Train_LabelsTrainedOn_TrueOnTheRetainSetUniformOnTheForgetSet(bool excludeTrueLabel)
    {
        const int epochs = 5;
        var batches = Record(RandomLabelLoop.ForgetThenRetain, epochs, 64, excludeTrueLabel);
        IVisionDataset train = setup.Data.Train;
        var forget = setup.Context.ForgetIds.ToHashSet();
        int k = setup.Context.NumClasses;
        var counts = new int[k];
        int draws = 0;
        foreach (var (ids, labels) in batches)
        {
            for (int i = 0; i < ids.Length; i++)
            {
                int id = (int)ids[i];
                if (forget.Contains(id))
                {
                    counts[labels[i]]++;
                    draws++;
                }
                else
                {
                    Assert.Equal(train.Label(id), labels[i]);
                }
            }
        }
        Assert.Equal(epochs * forget.Count, draws);
        // Class forgetting of class 0: every forget sample's true label is 0. RL.py keeps it one time in K.
        IEnumerable<int> classes = excludeTrueLabel ? Enumerable.Range(1, k - 1) : Enumerable.Range(0, k);
        AssertUniform(counts, draws, classes, excludeTrueLabel ? "true label excluded" : "all K classes");
        if (excludeTrueLabel)
        {
            Assert.Equal(0, counts[0]);
        }
    }

    [Theory]
    [InlineData("random-label")]
    [InlineData("salun")]
    public void Run_Defaults_ReportTheLoopRun(string method)
    {
        using var threads = new SingleThread();
        using (UnlearningOutcome outcome = MethodRegistry.Create(method, [new("epochs", "1"), new("batch_size", "64")]).Run(setup.Context, CancellationToken.None))
        {
            Assert.Equal(1, outcome.Diagnostics["forget_then_retain"]); // auto on a 4-class problem
        }
        using (UnlearningOutcome outcome = MethodRegistry.Create(method, [new("epochs", "1"), new("batch_size", "64"), new("loop", "mixed")]).Run(setup.Context, CancellationToken.None))
        {
            Assert.Equal(0, outcome.Diagnostics["forget_then_retain"]);
        }
    }

    [Theory]
    [InlineData("random-label")]
    [InlineData("salun")]
    public void Defaults_AreTheAuthorsTenEpochsAndAllKLabels(string method)
    {
        var described = SettingsBinder.Describe(MethodRegistry.Options(MethodRegistry.Find(method)));
        Assert.Equal(10, described["epochs"]);
        Assert.Equal(false, described["exclude_true_label"]);
        Assert.Equal(RandomLabelLoop.Auto, described["loop"]);
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
            a = setup.Flatten(outcome.Model);
        }
        using (UnlearningOutcome outcome = method.Run(Contexts.With(setup, seed: 5), CancellationToken.None))
        {
            b = setup.Flatten(outcome.Model);
        }
        using (UnlearningOutcome outcome = method.Run(Contexts.With(setup, seed: 6), CancellationToken.None))
        {
            c = setup.Flatten(outcome.Model);
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

    private List<(long[] Ids, long[] Labels)> Record(RandomLabelLoop loop, int epochs, int batchSize, bool excludeTrueLabel = false)
    {
        using var threads = new SingleThread();
        var batches = new List<(long[] Ids, long[] Labels)>();
        using ClassifierModel model = setup.Context.CopyOriginal();
        using var optimizer = new SgdOptimizer([.. model.TrainableParameters()], 1e-4);
        RandomLabelMethod.Train(setup.Context, model, optimizer, "random-label", new RandomLabelTraining(epochs, batchSize, loop, excludeTrueLabel), "hint", null, CancellationToken.None, (ids, labels) => batches.Add((ids, labels)));
        return batches;
    }

    /// <summary>Every sample of D_f ∪ D_r appears exactly once in the epoch's batches.</summary>
    private static void AssertEachOnce(List<(long[] Ids, long[] Labels)> epoch, UnlearningContext context)
    {
        long[] seen = epoch.SelectMany(b => b.Ids).Order().ToArray();
        long[] expected = context.ForgetIds.Concat(context.RetainIds).Select(i => (long)i).Order().ToArray();
        Assert.Equal(expected, seen);
    }

    /// <summary>Each of <paramref name="classes"/> is drawn n/|classes| times within 6 binomial standard deviations.</summary>
    private static void AssertUniform(int[] counts, int n, IEnumerable<int> classes, string what)
    {
        int[] support = classes.ToArray();
        double p = 1.0 / support.Length;
        double sd = Math.Sqrt(n * p * (1 - p));
        foreach (int c in support)
        {
            Assert.True(Math.Abs(counts[c] - (n * p)) <= (6 * sd) + 1e-9, $"{what}: class {c} drawn {counts[c]} times of {n}, expected ~{n * p:F0}");
        }
        Assert.Equal(n, support.Sum(c => counts[c]));
    }
}
