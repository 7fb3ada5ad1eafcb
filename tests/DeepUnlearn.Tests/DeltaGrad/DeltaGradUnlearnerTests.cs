using System;
using System.Linq;
using DeepUnlearn.Engine;
using TorchSharp;
using static TorchSharp.torch;
using DeepUnlearn.Training.Trajectory;
using DeepUnlearn.Unlearning.Methods.DeltaGrad;
using DeepUnlearn.Unlearning.Methods.DeltaGrad.Models;
using Xunit;

namespace DeepUnlearn.Tests.DeltaGrad;

public class DeltaGradUnlearnerTests
{
    private const int N = 240;
    private const int D = 6;
    private const int K = 3;
    private const double Lambda = 0.01;

    [Theory]
    [InlineData(0, DatasetChangeKind.Deletion)]
    [InlineData(32, DatasetChangeKind.Deletion)]
    [InlineData(0, DatasetChangeKind.Addition)]
    [InlineData(32, DatasetChangeKind.Addition)]
    public void Run_PeriodOne_EqualsExactRetraining(int batchSize, DatasetChangeKind kind)
    {
        long live = LiveTensors.Settled();
        using (var scope = torch.NewDisposeScope())
        {
            using SampleTable data = Synthetic.Clusters(N, D, K, seed: 11);
            using var model = new MultinomialLogisticRegression(D, K, ScalarType.Float64, seed: 5);
            long[] changed = [3, 17, 18, 40, 41, 42, 99, 150, 151, 239];
            long[] trainingIds = kind == DatasetChangeKind.Deletion
                ? Synthetic.Range(N)
                : Synthetic.Range(N).Except(changed).ToArray();
            DatasetChange change = kind == DatasetChangeKind.Deletion ? DatasetChange.Delete(changed) : DatasetChange.Add(changed, placementSeed: 4);
            using TrainingTrajectory trajectory = Train(model, data, trainingIds, batchSize, epochs: batchSize == 0 ? 25 : 3);

            using DeltaGradResult result = DeltaGradComparison.Run(model, data, trajectory, change, new DeltaGradOptions { Period = 1, BurnIn = 0, History = 2 });
            Assert.Equal(trajectory.StepCount, result.Metrics.ExactSteps);
            Assert.Equal(0, result.Metrics.ApproximateSteps);
            Assert.True(result.Metrics.OriginalDistanceToRetrain > 1e-4, "the change must move the model for the test to mean anything");
            Assert.True(Synthetic.MaxAbsDiff(result.UnlearnedParameters, result.RetrainedParameters) < 1e-12,
                $"DeltaGrad with T0 = 1 differs from retraining by {result.Metrics.DistanceToRetrain}");
        }
        Assert.Equal(live, LiveTensors.Count);
    }

    [Fact]
    public void Run_PeriodOneMlp_EqualsExactRetraining()
    {
        using var scope = torch.NewDisposeScope();
        using SampleTable data = Synthetic.Clusters(N, D, K, seed: 12);
        using var model = new TwoLayerPerceptron(D, K, hiddenUnits: 8, HiddenActivation.Sigmoid, ScalarType.Float64, seed: 2);
        using TrainingTrajectory trajectory = Train(model, data, Synthetic.Range(N), 40, epochs: 2);
        using DeltaGradResult result = DeltaGradComparison.Run(model, data, trajectory, DatasetChange.Delete([1, 2, 3, 100]), new DeltaGradOptions { Period = 1 });
        Assert.True(Synthetic.MaxAbsDiff(result.UnlearnedParameters, result.RetrainedParameters) < 1e-12);
        Assert.True(result.Metrics.OriginalDistanceToRetrain > 1e-5);
    }

    [Theory]
    [InlineData(0, DatasetChangeKind.Deletion)]
    [InlineData(60, DatasetChangeKind.Deletion)]
    [InlineData(0, DatasetChangeKind.Addition)]
    [InlineData(60, DatasetChangeKind.Addition)]
    public void Run_PaperDefaults_LandsNearRetrainingWithFewExactSteps(int batchSize, DatasetChangeKind kind)
    {
        using var scope = torch.NewDisposeScope();
        using SampleTable data = Synthetic.Clusters(N, D, K, seed: 13);
        using var model = new MultinomialLogisticRegression(D, K, ScalarType.Float64, seed: 6);
        long[] changed = [5, 6, 77, 200];
        long[] trainingIds = kind == DatasetChangeKind.Deletion ? Synthetic.Range(N) : Synthetic.Range(N).Except(changed).ToArray();
        DatasetChange change = kind == DatasetChangeKind.Deletion ? DatasetChange.Delete(changed) : DatasetChange.Add(changed, 9);
        // 130 steps: with the defaults (j0 = 20, T0 = 5) 21 + 22 of them are exact.
        using TrainingTrajectory trajectory = Train(model, data, trainingIds, batchSize, epochs: batchSize == 0 ? 130 : 33);

        using DeltaGradResult result = DeltaGradComparison.Run(model, data, trajectory, change);
        DeltaGradMetrics m = result.Metrics;
        Assert.True(m.ApproximateSteps >= 2 * m.ExactSteps, $"{m.ExactSteps} exact, {m.ApproximateSteps} approximate");
        // Deleting 4 of 240 samples is a large change (1.7 %); the estimate still lands far closer to
        // retraining than the original model is. Mini-batches add noise: the L-BFGS pairs come from other batches.
        double bound = batchSize == 0 ? 0.05 : 0.15;
        Assert.True(m.RelativeDistance < bound, $"‖w_DG − w_retrain‖ / ‖w_orig − w_retrain‖ = {m.RelativeDistance}");
    }

    [Fact]
    public void Run_FrozenFeatureHead_DeletesThroughFixedFeatures()
    {
        using var scope = torch.NewDisposeScope();
        using SampleTable raw = Synthetic.Clusters(N, D, K, seed: 17);
        // A frozen "backbone": a fixed random ReLU layer; the head only ever sees its [N, 16] outputs.
        using var generator = new Generator(99);
        Tensor projection = torch.randn([16, D], ScalarType.Float64, generator: generator);
        Tensor features = torch.nn.functional.linear(raw.Features, projection).relu();
        using var data = new SampleTable(features, raw.Labels, "random-relu-16/synthetic-train");
        using var head = new FrozenFeatureHead("random-relu-16", 16, K, ScalarType.Float64, seed: 3);
        using TrainingTrajectory trajectory = Train(head, data, Synthetic.Range(N), 0, epochs: 20);
        using DeltaGradResult exact = DeltaGradComparison.Run(head, data, trajectory, DatasetChange.Delete([7, 8, 9]), new DeltaGradOptions { Period = 1 });
        Assert.True(Synthetic.MaxAbsDiff(exact.UnlearnedParameters, exact.RetrainedParameters) < 1e-12);
        using DeltaGradResult fast = DeltaGradComparison.Run(head, data, trajectory, DatasetChange.Delete([7, 8, 9]));
        Assert.True(fast.Metrics.RelativeDistance < 0.05, $"relative distance {fast.Metrics.RelativeDistance}");
    }

    [Fact]
    public void Run_UpdatedTrajectory_RecordsTheReplayedPath()
    {
        using var scope = torch.NewDisposeScope();
        using SampleTable data = Synthetic.Clusters(N, D, K, seed: 14);
        using var model = new MultinomialLogisticRegression(D, K, ScalarType.Float64, seed: 7);
        using TrainingTrajectory trajectory = Train(model, data, Synthetic.Range(N), 48, epochs: 4);
        using TrainingTrajectory updated = TrainingTrajectory.InMemory(trajectory.Metadata);
        var unlearner = new DeltaGradUnlearner(new DeltaGradOptions { Period = 3, BurnIn = 2 });
        using DeltaGradOutcome first = unlearner.Run(model, data, trajectory, DatasetChange.Delete([10, 20]), updated);
        Assert.Equal(trajectory.StepCount, updated.StepCount);
        Assert.True(Synthetic.MaxAbsDiff(updated.FinalParameters(torch.CPU), first.Parameters) < 1e-12);
        Assert.DoesNotContain(10L, updated.BatchIds(0).Concat(updated.BatchIds(1)).Concat(updated.BatchIds(2)).Concat(updated.BatchIds(3)));

        // A second request replays the updated path; deleting an id deleted before is refused.
        Assert.Throws<ArgumentException>(() => unlearner.Run(model, data, updated, DatasetChange.Delete([10])));
        using DeltaGradOutcome second = unlearner.Run(model, data, updated, DatasetChange.Delete([30]));
        Assert.Equal(DatasetChangeKind.Deletion, second.Change.Kind);
    }

    [Fact]
    public void Run_InvalidRequests_Throw()
    {
        using var scope = torch.NewDisposeScope();
        using SampleTable data = Synthetic.Clusters(N, D, K, seed: 15);
        using var model = new MultinomialLogisticRegression(D, K, ScalarType.Float64);
        long[] ids = Synthetic.Range(N - 10);
        using TrainingTrajectory trajectory = Train(model, data, ids, 0, epochs: 3);
        var unlearner = new DeltaGradUnlearner();

        var notTrained = Assert.Throws<ArgumentException>(() => unlearner.Run(model, data, trajectory, DatasetChange.Delete([N - 1])));
        Assert.Contains("not in the training set", notTrained.Message, StringComparison.Ordinal);
        var already = Assert.Throws<ArgumentException>(() => unlearner.Run(model, data, trajectory, DatasetChange.Add([0])));
        Assert.Contains("already", already.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => unlearner.Run(model, data, trajectory, DatasetChange.Delete([N + 5])));

        using var other = new TwoLayerPerceptron(D, K, 4, dtype: ScalarType.Float64);
        Assert.Throws<TrajectoryFormatException>(() => unlearner.Run(other, data, trajectory, DatasetChange.Delete([0])));
        using SampleTable otherData = Synthetic.Clusters(N, D, K, seed: 15, identity: "synthetic/other");
        var wrongData = Assert.Throws<TrajectoryFormatException>(() => unlearner.Run(model, otherData, trajectory, DatasetChange.Delete([0])));
        Assert.Contains("another model or dataset", wrongData.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => new DeltaGradUnlearner(new DeltaGradOptions { Period = 0 }));
    }

    [Fact]
    public void Run_BatchOfOnlyDeletedSamples_IsSkippedLikeRetraining()
    {
        using var scope = torch.NewDisposeScope();
        using SampleTable data = Synthetic.Clusters(20, D, K, seed: 16);
        using var model = new MultinomialLogisticRegression(D, K, ScalarType.Float64);
        // Batch size 2 over 20 ids: some batch holds exactly two of the deleted ids when all but a few are deleted.
        using TrainingTrajectory trajectory = Train(model, data, Synthetic.Range(20), 2, epochs: 2);
        long[] deleted = Synthetic.Range(20).Where(i => i % 5 != 0).ToArray();
        using DeltaGradResult result = DeltaGradComparison.Run(model, data, trajectory, DatasetChange.Delete(deleted), new DeltaGradOptions { Period = 1 });
        Assert.True(result.Metrics.ExactSteps < trajectory.StepCount);
        Assert.True(Synthetic.MaxAbsDiff(result.UnlearnedParameters, result.RetrainedParameters) < 1e-12);
    }

    internal static TrainingTrajectory Train(FlatModel model, SampleTable data, long[] trainingIds, int batchSize, int epochs)
    {
        BatchSchedule schedule = batchSize == 0
            ? BatchSchedule.FullBatch(trainingIds, epochs)
            : BatchSchedule.Shuffled(trainingIds, batchSize, epochs, seed: 21);
        var meta = new TrajectoryMetadata(model.Identity, data.Identity, model.ParameterCount, data.Count, Lambda, schedule.StepsPerEpoch, ScalarType.Float64);
        TrainingTrajectory trajectory = TrainingTrajectory.InMemory(meta);
        PlainTrainer.Train(model, data, schedule, LearningRateSchedule.Constant(0.2), Lambda, trajectory);
        return trajectory;
    }
}
