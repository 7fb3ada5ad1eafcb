using System;
using System.Linq;
using DeepUnlearn.Engine;
using TorchSharp;
using DeepUnlearn.Unlearning.Methods.DeltaGrad;
using Xunit;

namespace DeepUnlearn.Tests.DeltaGrad;

public class DeltaGradBenchmarkTests
{
    [Fact]
    public void Run_DeletionAndAddition_EveryRowAndStreamRequestMatchesItsRetrainingAtPeriodOne()
    {
        long live = LiveTensors.Settled();
        using (var scope = torch.NewDisposeScope())
        {
            using SampleTable data = Synthetic.Clusters(600, 6, 3, seed: 41);
            using SampleTable test = Synthetic.Clusters(200, 6, 3, seed: 41, identity: "synthetic/test");
            var recipe = new DeltaGradRecipe { BatchSize = 100, Epochs = 3, LearningRate = 0.2 };
            var plan = new DeltaGradBenchmarkPlan { Rates = [0.01, 0.05], StreamRequests = 2, StreamRequestSize = 2 };

            DeltaGradBenchmarkReport report = DeltaGradBenchmark.Run(data, test, recipe, new DeltaGradOptions { Period = 1 }, plan);

            // 5 % of 600 samples are held out so that they can be added; the original trains on the rest.
            Assert.Equal(30, report.HeldOutSamples);
            Assert.Equal(570, report.TrainingSamples);
            Assert.Equal(["deletion", "addition", "deletion", "addition"], report.Rows.Select(r => r.Metrics.Change));
            Assert.Equal([6, 6, 28, 28], report.Rows.Select(r => r.Metrics.ChangedSamples));
            Assert.All(report.Rows, r => Assert.Equal(570, r.Metrics.TrainingSamples));
            Assert.Equal(["deletion", "deletion", "addition", "addition"], report.Stream.Select(s => s.Change));
            Assert.Equal([2, 4, 2, 4], report.Stream.Select(s => s.CumulativeChangedSamples));
            // With every gradient exact, each DeltaGrad run is exact retraining: the rows' retraining (and the
            // additions' placement of held-out samples) is the same run DeltaGrad replays.
            Assert.All(report.Rows, r => Assert.True(r.Metrics.DistanceToRetrain < 1e-12, $"{r.Metrics.Change} {r.Rate}: {r.Metrics.DistanceToRetrain}"));
            Assert.All(report.Rows, r => Assert.True(r.Metrics.OriginalDistanceToRetrain > 1e-5));
            Assert.All(report.Stream, s => Assert.True(s.DistanceToRetrain < 1e-12));
            Assert.All(report.Rows, r => Assert.Equal(r.Metrics.TestAccuracyRetrain, r.Metrics.TestAccuracyDeltaGrad));
        }
        Assert.Equal(live, LiveTensors.Count);
    }

    [Fact]
    public void Run_DeletionOnly_TrainsOnEverySample()
    {
        using var scope = torch.NewDisposeScope();
        using SampleTable data = Synthetic.Clusters(300, 4, 3, seed: 42);
        var plan = new DeltaGradBenchmarkPlan { Rates = [0.01], Changes = [DatasetChangeKind.Deletion] };

        DeltaGradBenchmarkReport report = DeltaGradBenchmark.Run(data, null, new DeltaGradRecipe { Epochs = 30 }, null, plan);

        Assert.Equal(0, report.HeldOutSamples);
        Assert.Equal(300, report.TrainingSamples);
        DeltaGradBenchmarkRow row = Assert.Single(report.Rows);
        Assert.Equal(3, row.Metrics.ChangedSamples);
        Assert.Null(row.Metrics.TestAccuracyDeltaGrad);
        Assert.Empty(report.Stream);
    }

    [Fact]
    public void AuthorsSettings_StatesTheDefaultsDeltaGradOptionsTakes()
    {
        // DeltaGradOptions documents its defaults as the authors' README command; the statement printed next to
        // every benchmark must not drift from them.
        var defaults = new DeltaGradOptions();
        Assert.Contains($"T0 {defaults.Period}, j0 {defaults.BurnIn}, m {defaults.History}", DeltaGradBenchmark.AuthorsSettings, StringComparison.Ordinal);
        Assert.Equal(defaults.BurnIn, new DeltaGradMethodOptions().BurnIn);
        Assert.Equal(defaults.Period, new DeltaGradMethodOptions().Period);
        Assert.Equal(defaults.History, new DeltaGradMethodOptions().History);
    }

    [Theory]
    [InlineData(0.0, 1, 0)]
    [InlineData(1.0, 1, 0)]
    [InlineData(0.01, 0, 0)]
    [InlineData(0.01, 1, -1)]
    public void Validate_OutOfRange_Throws(double rate, int repeats, int stream)
    {
        var plan = new DeltaGradBenchmarkPlan { Rates = [rate], Repeats = repeats, StreamRequests = stream };
        Assert.Throws<ArgumentOutOfRangeException>(plan.Validate);
    }

    [Fact]
    public void Validate_SameChangeTwice_Throws()
    {
        var plan = new DeltaGradBenchmarkPlan { Changes = [DatasetChangeKind.Addition, DatasetChangeKind.Addition] };
        var error = Assert.Throws<ArgumentOutOfRangeException>(plan.Validate);
        Assert.Contains("each once", error.Message, StringComparison.Ordinal);
    }
}
