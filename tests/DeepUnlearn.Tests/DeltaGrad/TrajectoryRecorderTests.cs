using System.Linq;
using DeepUnlearn.Engine;
using DeepUnlearn.Models;
using TorchSharp;
using static TorchSharp.torch;
using DeepUnlearn.Training;
using DeepUnlearn.Training.Trajectory;
using Xunit;

namespace DeepUnlearn.Tests.DeltaGrad;

public class TrajectoryRecorderTests
{
    [Fact]
    public void Observer_RecordsFlatParametersAndGradientsOfTheStep()
    {
        using ClassifierModel model = ModelRegistry.Create("smallcnn", new ModelOptions { InChannels = 1, ImageSize = 28, Seed = 1 });
        // After building: TorchSharp's count rises by one for good with every Parameter made (see LiveTensors).
        long live = LiveTensors.Settled();
        using (var scope = torch.NewDisposeScope())
        {
            Tensor[] parameters = model.TrainableParameters().ToArray();
            long count = parameters.Sum(p => p.numel());
            var meta = new TrajectoryMetadata("smallcnn", "test", count, 100, 5e-4, 10);
            using TrainingTrajectory trajectory = TrainingTrajectory.InMemory(meta);
            using var generator = new Generator(2);
            Tensor images = torch.randn([3, 1, 28, 28], ScalarType.Float32, generator: generator);
            Tensor labels = torch.tensor(new long[] { 1, 2, 3 });
            torch.nn.functional.cross_entropy(model.call(images), labels).backward();

            TrajectoryRecorder.Observer(trajectory)(new TrainingStep(0, 0, 0, [7, 8, 9], 0.05, model));

            Assert.Equal(1, trajectory.StepCount);
            Assert.Equal(new long[] { 7, 8, 9 }, trajectory.BatchIds(0));
            Assert.Equal(0.05, trajectory.LearningRate(0));
            Tensor w = trajectory.ReadParameters(0, torch.CPU);
            Tensor g = trajectory.ReadGradient(0, torch.CPU);
            Assert.Equal(0, Synthetic.MaxAbsDiff(w, torch.cat(parameters.Select(p => p.detach().reshape(-1)).ToArray())));
            Assert.Equal(0, Synthetic.MaxAbsDiff(g, torch.cat(parameters.Select(p => p.grad!.reshape(-1)).ToArray())));

            // Round trip back into the model.
            TrajectoryRecorder.LoadParameters(w.mul(2), parameters);
            Assert.True(Synthetic.MaxAbsDiff(TrajectoryRecorder.FlattenParameters(parameters), w.mul(2)) < 1e-7);
            model.zero_grad();
        }
        Assert.Equal(live, LiveTensors.Count);
    }
}
