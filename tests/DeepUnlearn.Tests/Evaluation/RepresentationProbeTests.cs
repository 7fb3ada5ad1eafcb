using System;
using System.Linq;
using DeepUnlearn.Data;
using DeepUnlearn.Evaluation;
using DeepUnlearn.Models;
using DeepUnlearn.Tests.Bayesian;
using DeepUnlearn.Tests.Unlearning;
using DeepUnlearn.Training;
using TorchSharp;
using TorchSharp.Modules;
using Xunit;
using static TorchSharp.torch;
using DataLoader = DeepUnlearn.Data.DataLoader;

namespace DeepUnlearn.Tests.Evaluation;

/// <summary>
/// The representation probe against cases whose answer is known: a head-only change leaves the forgotten class as
/// decodable as in the original (the features are the same tensors); a model whose features provably carry nothing
/// of the class (trained without it, from weights that ignore the only pixel the class differs by) decodes it at
/// exactly chance; the same model trained with the class decodes it.
/// </summary>
public class RepresentationProbeTests(TinyUnlearningSetup setup) : IClassFixture<TinyUnlearningSetup>
{
    private const int Size = 6;
    private const int MarkerPixel = (Size * Size) - 1;

    [Fact]
    public void Evaluate_HeadOnlyChange_ForgottenClassStillDecodable()
    {
        // The head never predicts class 0 (UA = 100), the features are untouched.
        using ClassifierModel model = setup.Original.DeepCopy();
        using (torch.no_grad())
        using (torch.NewDisposeScope())
        {
            model.Head.bias!.narrow(0, 0, 1).fill_(-1e4);
        }
        var evaluator = new UnlearningEvaluator(setup.Context);
        UnlearningMetrics original = evaluator.Metrics("original", evaluator.Evaluate(setup.Original), 0);
        UnlearningMetrics headOnly = evaluator.Metrics("head-only", evaluator.Evaluate(model), 1);

        Assert.Equal(100, headOnly.UnlearningAccuracy, 10);
        Assert.InRange(headOnly.ProbeAccuracy!.Value, 90, 100);
        Assert.InRange(headOnly.ProbeAuc!.Value, 0.95, 1);
        // Same features, same probe split: the same verdict to the last digit.
        Assert.Equal(original.ProbeAccuracy!.Value, headOnly.ProbeAccuracy.Value, 12);
        Assert.Equal(original.ProbeAuc!.Value, headOnly.ProbeAuc.Value, 12);
    }

    [Fact]
    public void Evaluate_ProbeOff_NoProbeNumbers()
    {
        var evaluator = new UnlearningEvaluator(setup.Context) { Probe = false };
        UnlearningMetrics metrics = evaluator.Metrics("original", evaluator.Evaluate(setup.Original), 0);
        Assert.Null(metrics.ProbeAccuracy);
        Assert.Null(metrics.ProbeAuc);
    }

    [Fact]
    public void Run_ModelTrainedWithoutTheClass_DecodesItAtExactlyChance()
    {
        using var threads = new SingleThread();
        var (data, split) = TwinData();
        using MarkerMlp retrained = Train(data, withClass0: false);
        // Trained without class 0, the marker pixel's weights never receive a gradient (the pixel is 0 in every training
        // image) and stay 0: a probe sample and its twin without the marker have bit-identical features.
        ProbeResult result = RepresentationProbe.Run(retrained, data, split, torch.CPU);
        Assert.Equal(50, result.AccuracyPercent, 12);
        Assert.Equal(0.5, result.Auc, 12);
        Assert.Equal(split.EvalIds.Length, result.EvalCount);
    }

    [Fact]
    public void Run_SameModelTrainedWithTheClass_DecodesIt()
    {
        // The control for the test above: the fixture can tell, and the probe sees the marker once it is learned.
        using var threads = new SingleThread();
        var (data, split) = TwinData();
        using MarkerMlp original = Train(data, withClass0: true);
        ProbeResult result = RepresentationProbe.Run(original, data, split, torch.CPU);
        Assert.InRange(result.AccuracyPercent, 90, 100);
        Assert.InRange(result.Auc, 0.95, 1);
    }

    [Fact]
    public void Balanced_FourClasses_BalancedDisjointSeededAndOnlyTheForgottenClassPositive()
    {
        int[] labels = Enumerable.Range(0, 400).Select(i => i % 4).ToArray();
        ProbeSplit split = ProbeSplit.Balanced(labels, [2], seed: 3);
        ProbeSplit again = ProbeSplit.Balanced(labels, [2], seed: 3);
        ProbeSplit other = ProbeSplit.Balanced(labels, [2], seed: 4);

        Assert.Equal(100, split.TrainIds.Length);
        Assert.Equal(100, split.EvalIds.Length);
        Assert.Equal(50, split.TrainPositive.Count(p => p));
        Assert.Equal(50, split.EvalPositive.Count(p => p));
        Assert.Empty(split.TrainIds.Intersect(split.EvalIds));
        Assert.All(split.TrainIds.Zip(split.TrainPositive).Concat(split.EvalIds.Zip(split.EvalPositive)), t => Assert.Equal(labels[t.First] == 2, t.Second));
        Assert.Equal(split.TrainIds, again.TrainIds);
        Assert.NotEqual(split.TrainIds, other.TrainIds);
        Assert.Equal(10, ProbeSplit.Balanced(labels, [2], 0, maxPositives: 10).TrainIds.Length);
        Assert.Throws<ArgumentException>(() => ProbeSplit.Balanced(labels, [7], 0));
    }

    /// <summary>
    /// Training images of classes 1–3 (a bright quadrant each, plus noise) and class 0 = the image of a random other
    /// class with one extra bright pixel (the marker). The test split: m class-0 images and, as their twins, the
    /// same m images without the marker (labelled with their base class); the probe split keeps each twin pair in the
    /// same half.
    /// </summary>
    internal static (VisionData Data, ProbeSplit Split) TwinData()
    {
        const int train = 480;
        const int m = 80;
        var random = new Random(21);
        var (trainPixels, trainLabels) = Images(random, train, marked: i => i % 4 == 0);
        var basePixels = new byte[2 * m * Size * Size];
        var baseLabels = new int[2 * m];
        var (pixels, labels) = Images(random, m, marked: _ => false);
        for (int i = 0; i < m; i++)
        {
            Array.Copy(pixels, i * Size * Size, basePixels, i * Size * Size, Size * Size);
            Array.Copy(pixels, i * Size * Size, basePixels, (m + i) * Size * Size, Size * Size);
            basePixels[(i * Size * Size) + MarkerPixel] = 255;
            baseLabels[i] = 0;
            baseLabels[m + i] = labels[i];
        }
        string[] names = ["marked", "a", "b", "c"];
        // No mean subtraction, so an unlit marker pixel is exactly 0 at the model's input.
        var trainSet = new InMemoryVisionDataset("twins", trainPixels, trainLabels, 1, Size, Size, names, ChannelStatistics.Identity(1));
        var testSet = new InMemoryVisionDataset("twins", basePixels, baseLabels, 1, Size, Size, names, ChannelStatistics.Identity(1));
        VisionData data = VisionData.FromDatasets("twins", trainSet, testSet, 0.1, 0);
        int half = m / 2;
        var split = new ProbeSplit(
            [.. Enumerable.Range(0, half), .. Enumerable.Range(m, half)],
            [.. Enumerable.Repeat(true, half), .. Enumerable.Repeat(false, half)],
            [.. Enumerable.Range(half, m - half), .. Enumerable.Range(m + half, m - half)],
            [.. Enumerable.Repeat(true, m - half), .. Enumerable.Repeat(false, m - half)]);
        return (data, split);
    }

    private static (byte[] Pixels, int[] Labels) Images(Random random, int count, Func<int, bool> marked)
    {
        var pixels = new byte[count * Size * Size];
        var labels = new int[count];
        int cell = Size / 2;
        for (int i = 0; i < count; i++)
        {
            int baseClass = 1 + random.Next(3);
            int top = baseClass / 2 * cell;
            int left = baseClass % 2 * cell;
            for (int y = 0; y < Size; y++)
            {
                for (int x = 0; x < Size; x++)
                {
                    bool on = y >= top && y < top + cell && x >= left && x < left + cell;
                    pixels[(i * Size * Size) + (y * Size) + x] = (byte)Math.Clamp((on ? 170 : 30) + random.Next(-25, 26), 0, 254);
                }
            }
            // The marker pixel is 0 in every unmarked image, so nothing but class 0 ever lights it.
            pixels[(i * Size * Size) + MarkerPixel] = 0;
            if (marked(i))
            {
                pixels[(i * Size * Size) + MarkerPixel] = 255;
            }
            labels[i] = marked(i) ? 0 : baseClass;
        }
        return (pixels, labels);
    }

    internal static MarkerMlp Train(VisionData data, bool withClass0)
    {
        var model = new MarkerMlp(seed: 5);
        int[] ids = data.Split.Train.Where(id => withClass0 || data.Train.Label(id) != 0).ToArray();
        var recipe = new TrainingConfig { Epochs = 30, BatchSize = 32, LearningRate = 0.1, Workers = 0, Seed = 0, Augment = false };
        using DataLoader loader = data.TrainLoader(ids, training: true, recipe.BatchSize, 0, torch.CPU, workers: 0, augment: false);
        new Trainer().Fit(model, loader, null, recipe);
        model.eval();
        return model;
    }

    /// <summary>
    /// features = relu(W x + c) on the flattened image, logits = head(features); W starts with a zero column for the
    /// marker pixel, so only training on marked images can make the features depend on it.
    /// </summary>
    internal sealed class MarkerMlp : ClassifierModel
    {
        private readonly Linear _hidden;
        private readonly Linear _head;

        public MarkerMlp(int seed)
            : base(nameof(MarkerMlp))
        {
            using (torch.NewDisposeScope())
            {
                torch.manual_seed(seed).Dispose();
            }
            _hidden = torch.nn.Linear(Size * Size, 16);
            _head = torch.nn.Linear(16, 4);
            register_module("hidden", _hidden);
            register_module("fc", _head);
            using (torch.no_grad())
            using (torch.NewDisposeScope())
            {
                _hidden.weight!.narrow(1, MarkerPixel, 1).zero_();
            }
        }

        public override Linear Head => _head;

        public override string HeadName => "fc";

        public override Tensor Features(Tensor input)
        {
            using Tensor flat = input.flatten(1);
            using Tensor hidden = _hidden.call(flat);
            return torch.nn.functional.relu(hidden);
        }
    }
}
