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

public class DeltaGradStreamTests
{
    private const int N = 240;
    private const int D = 6;
    private const int K = 3;

    private static readonly long[] s_changed = [3, 17, 18, 40, 77, 99, 150, 151, 239];

    [Theory]
    [InlineData(0, DatasetChangeKind.Deletion)]
    [InlineData(32, DatasetChangeKind.Deletion)]
    [InlineData(0, DatasetChangeKind.Addition)]
    [InlineData(32, DatasetChangeKind.Addition)]
    public void Run_PeriodOne_EveryRequestEqualsExactRetraining(int batchSize, DatasetChangeKind kind)
    {
        long live = LiveTensors.Settled();
        using (var scope = torch.NewDisposeScope())
        {
            using SampleTable data = Synthetic.Clusters(N, D, K, seed: 31);
            using var model = new MultinomialLogisticRegression(D, K, ScalarType.Float64, seed: 3);
            using TrainingTrajectory trajectory = Train(model, data, kind, batchSize, batchSize == 0 ? 25 : 3);
            DatasetChange whole = kind == DatasetChangeKind.Deletion ? DatasetChange.Delete(s_changed) : DatasetChange.Add(s_changed, placementSeed: 8);

            using DeltaGradStreamResult result = DeltaGradStream.Run(model, data, trajectory, whole.SplitInto(3), new DeltaGradOptions { Period = 1 });

            Assert.Equal([3, 6, 9], result.Steps.Select(s => s.CumulativeChangedSamples));
            Assert.All(result.Steps, s => Assert.Equal(0, s.ApproximateSteps));
            // Request k replays the batches request k − 1 recorded; retraining chains DatasetChange.Apply from the
            // original batches. With every gradient exact the two must agree after every request.
            Assert.All(result.Steps, s => Assert.True(s.DistanceToRetrain < 1e-12, $"request {s.Request}: ‖w_DG − w_RT‖ = {s.DistanceToRetrain}"));
            Assert.True(result.Steps[^1].OriginalDistanceToRetrain > result.Steps[0].OriginalDistanceToRetrain);
            Assert.True(result.Steps[0].OriginalDistanceToRetrain > 1e-4, "the requests must move the model for the test to mean anything");
            Assert.True(Synthetic.MaxAbsDiff(result.UnlearnedParameters, result.RetrainedParameters) < 1e-12);
        }
        Assert.Equal(live, LiveTensors.Count);
    }

    [Theory]
    [InlineData(0, DatasetChangeKind.Deletion)]
    [InlineData(32, DatasetChangeKind.Deletion)]
    [InlineData(0, DatasetChangeKind.Addition)]
    public void Run_PeriodOne_StreamEqualsTheBatchRequest(int batchSize, DatasetChangeKind kind)
    {
        // Deleting R1 then R2 leaves every batch without R1 ∪ R2, as one request does; with full-batch GD every
        // step gets all added samples, so adding A1 then A2 is adding A1 ∪ A2. (Mini-batch additions place each
        // request's samples in batches of their own draw, so there the stream is a different, equally valid run.)
        using var scope = torch.NewDisposeScope();
        using SampleTable data = Synthetic.Clusters(N, D, K, seed: 32);
        using var model = new MultinomialLogisticRegression(D, K, ScalarType.Float64, seed: 4);
        using TrainingTrajectory trajectory = Train(model, data, kind, batchSize, batchSize == 0 ? 25 : 3);
        DatasetChange whole = kind == DatasetChangeKind.Deletion ? DatasetChange.Delete(s_changed) : DatasetChange.Add(s_changed, placementSeed: 8);
        var exact = new DeltaGradOptions { Period = 1 };

        using DeltaGradStreamResult stream = DeltaGradStream.Run(model, data, trajectory, whole.SplitInto(4), exact);
        using DeltaGradResult batch = DeltaGradComparison.Run(model, data, trajectory, whole, exact);

        Assert.True(Synthetic.MaxAbsDiff(stream.RetrainedParameters, batch.RetrainedParameters) < 1e-12);
        Assert.True(Synthetic.MaxAbsDiff(stream.UnlearnedParameters, batch.UnlearnedParameters) < 1e-12);
        Assert.True(batch.Metrics.OriginalDistanceToRetrain > 1e-4);
    }

    [Fact]
    public void Run_ApproximateRequests_ReplayThePathThePreviousRequestLeft()
    {
        using var scope = torch.NewDisposeScope();
        using SampleTable data = Synthetic.Clusters(N, D, K, seed: 33);
        using var model = new MultinomialLogisticRegression(D, K, ScalarType.Float64, seed: 5);
        using TrainingTrajectory trajectory = Train(model, data, DatasetChangeKind.Deletion, 48, 6);
        var options = new DeltaGradOptions { Period = 4, BurnIn = 2 };
        DatasetChange first = DatasetChange.Delete([10, 20, 30]);
        DatasetChange second = DatasetChange.Delete([40, 50]);

        using DeltaGradStreamResult stream = DeltaGradStream.Run(model, data, trajectory, [first, second], options);

        // The online chain by hand: the second request replays the path (batches, w^I_t, estimated gradients)
        // the first one recorded, not the original trajectory.
        var unlearner = new DeltaGradUnlearner(options);
        using TrainingTrajectory updated = TrainingTrajectory.InMemory(trajectory.Metadata);
        using DeltaGradOutcome one = unlearner.Run(model, data, trajectory, first, updated);
        using DeltaGradOutcome two = unlearner.Run(model, data, updated, second);
        Assert.True(Synthetic.MaxAbsDiff(stream.UnlearnedParameters, two.Parameters) < 1e-12);
        Assert.True(stream.Steps[1].ApproximateSteps > 0);

        // And it is not the batch request in disguise: replaying the original path for both requests at once
        // estimates different gradients.
        using DeltaGradOutcome both = unlearner.Run(model, data, trajectory, DatasetChange.Delete([10, 20, 30, 40, 50]));
        Assert.True(Synthetic.MaxAbsDiff(stream.UnlearnedParameters, both.Parameters) > 1e-9);
    }

    [Fact]
    public void Run_DeleteThenAddBack_FullBatchPeriodOne_ReturnsTheOriginalModel()
    {
        using var scope = torch.NewDisposeScope();
        using SampleTable data = Synthetic.Clusters(N, D, K, seed: 34);
        using var model = new MultinomialLogisticRegression(D, K, ScalarType.Float64, seed: 6);
        using TrainingTrajectory trajectory = Train(model, data, DatasetChangeKind.Deletion, 0, 25);
        using Tensor original = trajectory.FinalParameters(torch.CPU);

        using DeltaGradStreamResult result = DeltaGradStream.Run(
            model, data, trajectory, [DatasetChange.Delete(s_changed), DatasetChange.Add(s_changed)], new DeltaGradOptions { Period = 1 });

        Assert.True(result.Steps[0].OriginalDistanceToRetrain > 1e-4);
        Assert.True(result.Steps[1].OriginalDistanceToRetrain < 1e-12, $"‖w_orig − w_RT‖ = {result.Steps[1].OriginalDistanceToRetrain}");
        Assert.True(Synthetic.MaxAbsDiff(result.UnlearnedParameters, original) < 1e-12);
    }

    [Theory]
    [InlineData(DatasetChangeKind.Deletion)]
    [InlineData(DatasetChangeKind.Addition)]
    public void Run_DefaultOptions_StaysNearRetrainingRequestAfterRequest(DatasetChangeKind kind)
    {
        using var scope = torch.NewDisposeScope();
        using SampleTable data = Synthetic.Clusters(N, D, K, seed: 35);
        using var model = new MultinomialLogisticRegression(D, K, ScalarType.Float64, seed: 7);
        // Full-batch GD, 130 steps: the defaults (j0 = 20, T0 = 5) compute 43 of them exactly.
        using TrainingTrajectory trajectory = Train(model, data, kind, 0, 130);
        DatasetChange whole = kind == DatasetChangeKind.Deletion ? DatasetChange.Delete(s_changed[..5]) : DatasetChange.Add(s_changed[..5]);

        using DeltaGradStreamResult result = DeltaGradStream.Run(model, data, trajectory, whole.SplitInto(5));

        Assert.Equal(5, result.Steps.Count);
        Assert.All(result.Steps, s => Assert.True(s.ApproximateSteps > 2 * s.ExactSteps));
        // Errors carry over from request to request; one request of 1/240 of the data, or five, stay within a few
        // per cent of the change's own effect.
        Assert.All(result.Steps, s => Assert.True(s.RelativeDistance < 0.05, $"request {s.Request}: ratio {s.RelativeDistance}"));
        Assert.All(result.Steps.Zip(result.Steps.Skip(1)), p => Assert.True(p.Second.CumulativeDeltaGradSeconds > p.First.CumulativeDeltaGradSeconds));
    }

    [Fact]
    public void Run_RequestsThatDoNotFitTheStream_ThrowBeforeAnyWork()
    {
        using var scope = torch.NewDisposeScope();
        using SampleTable data = Synthetic.Clusters(N, D, K, seed: 36);
        using var model = new MultinomialLogisticRegression(D, K, ScalarType.Float64, seed: 8);
        using TrainingTrajectory trajectory = Train(model, data, DatasetChangeKind.Addition, 0, 3);

        var twice = Assert.Throws<ArgumentException>(() => DeltaGradStream.Run(model, data, trajectory, [DatasetChange.Delete([1]), DatasetChange.Delete([1, 2])]));
        Assert.Contains("request 2 cannot delete sample id 1", twice.Message, StringComparison.Ordinal);
        var trained = Assert.Throws<ArgumentException>(() => DeltaGradStream.Run(model, data, trajectory, [DatasetChange.Add([s_changed[0]]), DatasetChange.Add([0])]));
        Assert.Contains("request 2 cannot add sample id 0", trained.Message, StringComparison.Ordinal);
        var notTrained = Assert.Throws<ArgumentException>(() => DeltaGradStream.Run(model, data, trajectory, [DatasetChange.Delete([s_changed[1]])]));
        Assert.Contains("request 1 cannot delete", notTrained.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => DeltaGradStream.Run(model, data, trajectory, []));
    }

    /// <summary>Records a run on all N samples for a deletion, or without <see cref="s_changed"/> for an addition.</summary>
    private static TrainingTrajectory Train(FlatModel model, SampleTable data, DatasetChangeKind kind, int batchSize, int epochs)
    {
        long[] ids = kind == DatasetChangeKind.Deletion ? Synthetic.Range(N) : Synthetic.Range(N).Except(s_changed).ToArray();
        return DeltaGradUnlearnerTests.Train(model, data, ids, batchSize, epochs);
    }
}
