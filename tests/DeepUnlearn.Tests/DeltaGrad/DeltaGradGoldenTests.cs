using System;
using System.IO;
using System.Linq;
using System.Text.Json;
using TorchSharp;
using static TorchSharp.torch;
using DeepUnlearn.Training.Trajectory;
using DeepUnlearn.Unlearning.Methods.DeltaGrad;
using DeepUnlearn.Unlearning.Methods.DeltaGrad.Models;
using Xunit;

namespace DeepUnlearn.Tests.DeltaGrad;

/// <summary>
/// DeltaGrad's approximate steps against an independent NumPy implementation with a dense BFGS
/// recursion (Golden/make_deltagrad_golden.py): GD and SGD, deletion and addition.
/// </summary>
public class DeltaGradGoldenTests
{
    [Theory]
    [InlineData("gd-deletion")]
    [InlineData("sgd-deletion")]
    [InlineData("gd-addition")]
    [InlineData("sgd-addition")]
    public void Run_MatchesTheNumpyReference(string name)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "DeltaGrad", "Golden", "deltagrad.json")));
        JsonElement c = doc.RootElement.GetProperty("cases").EnumerateArray().Single(e => e.GetProperty("name").GetString() == name);
        int n = c.GetProperty("n").GetInt32();
        int d = c.GetProperty("features").GetInt32();
        int k = c.GetProperty("classes").GetInt32();
        double lambda = c.GetProperty("weight_decay").GetDouble();
        long[][] batches = c.GetProperty("batches").EnumerateArray().Select(b => b.EnumerateArray().Select(v => v.GetInt64()).ToArray()).ToArray();
        long[] ids = Longs(c.GetProperty("ids"));

        using var scope = torch.NewDisposeScope();
        using var data = new SampleTable(
            torch.tensor(Doubles(c.GetProperty("x")), [n, d]),
            torch.tensor(Longs(c.GetProperty("y"))),
            "golden/" + name);
        using var model = new MultinomialLogisticRegression(d, k, ScalarType.Float64);
        model.SetParameters(torch.tensor(Doubles(c.GetProperty("w0"))));
        BatchSchedule schedule = BatchSchedule.FromBatches(batches, c.GetProperty("steps_per_epoch").GetInt64());
        var meta = new TrajectoryMetadata(model.Identity, data.Identity, model.ParameterCount, n, lambda, schedule.StepsPerEpoch, ScalarType.Float64);
        using TrainingTrajectory trajectory = TrainingTrajectory.InMemory(meta);
        PlainTrainer.Train(model, data, schedule, LearningRateSchedule.Constant(c.GetProperty("learning_rate").GetDouble()), lambda, trajectory);
        AssertClose(Doubles(c.GetProperty("w_original")), model.GetParameters(), 1e-12);

        DatasetChange change = c.GetProperty("kind").GetString() == "deletion"
            ? DatasetChange.Delete(ids)
            : DatasetChange.Add(ids, c.GetProperty("placement_seed").GetUInt64());
        var options = new DeltaGradOptions
        {
            Period = c.GetProperty("period").GetInt32(),
            BurnIn = c.GetProperty("burn_in").GetInt32(),
            History = c.GetProperty("history").GetInt32(),
        };
        using DeltaGradResult result = DeltaGradComparison.Run(model, data, trajectory, change, options);
        Assert.True(result.Metrics.ApproximateSteps > 0);
        AssertClose(Doubles(c.GetProperty("w_retrain")), result.RetrainedParameters, 1e-12);
        AssertClose(Doubles(c.GetProperty("w_deltagrad")), result.UnlearnedParameters, 1e-10);
    }

    private static void AssertClose(double[] expected, Tensor actual, double tolerance)
    {
        double[] values = actual.data<double>().ToArray();
        Assert.Equal(expected.Length, values.Length);
        for (int i = 0; i < values.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - values[i]) <= tolerance, $"element {i}: expected {expected[i]}, got {values[i]}");
        }
    }

    private static double[] Doubles(JsonElement e) => e.EnumerateArray().Select(v => v.GetDouble()).ToArray();

    private static long[] Longs(JsonElement e) => e.EnumerateArray().Select(v => v.GetInt64()).ToArray();
}
