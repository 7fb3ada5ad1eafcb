using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using TorchSharp;
using static TorchSharp.torch;
using DeepUnlearn.Unlearning;
using DeepUnlearn.Unlearning.Methods.DeltaGrad;
using Xunit;

namespace DeepUnlearn.Tests.Unlearning.Methods;

public class DeltaGradMethodTests(TinyUnlearningSetup setup) : IClassFixture<TinyUnlearningSetup>
{
    private static DeltaGradMethodOptions Options(string? trajectory = null, int period = 5) =>
        new() { HeadEpochs = 10, BatchSize = 64, LearningRate = 0.5, BurnIn = 3, Period = period, Trajectory = trajectory };

    /// <summary>A sample-wise request: <paramref name="count"/> training ids spread over the whole split.</summary>
    private UnlearningContext SampleRequest(int count)
    {
        UnlearningContext c = setup.Context;
        int[] train = c.RetainIds.Concat(c.ForgetIds).Order().ToArray();
        int[] forget = train.Where((_, i) => i % (train.Length / count) == 0).Take(count).ToArray();
        return new UnlearningContext(setup.Original, setup.Data, forget, train.Except(forget).ToArray(), c.ValidationIds, [], setup.Recipe, torch.CPU, 0) { Workers = 0 };
    }

    private (float[] Head, float[] All, IReadOnlyDictionary<string, double> Diagnostics, double ForgetAccuracy, string Label) Run(DeltaGradMethodOptions options, UnlearningContext? context = null)
    {
        using var single = new SingleThread();
        using UnlearningOutcome outcome = new DeltaGradMethod(options).Run(context ?? setup.Context, CancellationToken.None);
        using Tensor weights = outcome.Model.Head.weight!.flatten();
        float[] head = weights.data<float>().ToArray().Concat(outcome.Model.Head.bias!.data<float>().ToArray()).ToArray();
        return (head, setup.Flatten(outcome.Model), outcome.Diagnostics, setup.ForgetAccuracy(outcome.Model), outcome.Label("deltagrad-head"));
    }

    private static double Norm(IEnumerable<double> values) => Math.Sqrt(values.Sum(v => v * v));

    [Theory]
    [InlineData(4)]
    [InlineData(40)]
    public void SampleDeletion_ApproximateReplay_TracksTheExactOne(int deleted)
    {
        // T0 = 1 computes every gradient: the exact replay is retraining the head without the deleted ids.
        UnlearningContext request = SampleRequest(deleted);
        var exact = Run(Options(period: 1), request);
        var approximate = Run(Options(period: 5), request);
        Assert.Equal(0, exact.Diagnostics["approximate_steps"]);
        Assert.True(approximate.Diagnostics["approximate_steps"] > approximate.Diagnostics["exact_steps"]);
        double distance = Norm(exact.Head.Zip(approximate.Head, (a, b) => (double)a - b));
        double norm = Norm(exact.Head.Select(a => (double)a));
        Assert.True(distance < 1e-3 * norm, $"‖w_DG − w_exact‖ = {distance:G3} vs ‖w_exact‖ = {norm:G3}");
    }

    [Fact]
    public void ClassRequest_ReplaysExactly_AndTheHeadNoLongerPredictsTheClass()
    {
        var result = Run(Options(period: 5));
        Assert.Equal(1, result.Diagnostics["exact_replay_for_classes"]);
        Assert.Equal(0, result.Diagnostics["approximate_steps"]);
        Assert.Equal(0, result.ForgetAccuracy);
        // Reports name the run for what it was: the head only, replayed exactly.
        Assert.Equal("deltagrad-head (T0=1)", result.Label);
        var approximate = Run(Options(period: 5) with { ApproximateClassRequests = true });
        Assert.Equal(0, approximate.Diagnostics["exact_replay_for_classes"]);
        Assert.True(approximate.Diagnostics["approximate_steps"] > 0);
        Assert.Equal("deltagrad-head (T0=5)", approximate.Label);
    }

    [Fact]
    public void Run_ChangesOnlyTheHead()
    {
        float[] original = setup.Flatten(setup.Original);
        var result = Run(Options());
        Assert.Equal(original.Length, result.All.Length);
        int changed = Enumerable.Range(0, original.Length).Count(i => original[i] != result.All[i]);
        Assert.InRange(changed, 1, result.Head.Length);
    }

    [Fact]
    public void TrajectoryFile_IsRecordedOnceThenReplayedToTheSameWeights()
    {
        string path = Path.Combine(Path.GetTempPath(), $"du-deltagrad-{Guid.NewGuid():N}.trajectory");
        try
        {
            UnlearningContext request = SampleRequest(4);
            var first = Run(Options(path), request);
            Assert.True(File.Exists(path));
            Assert.True(first.Diagnostics["trajectory_record_seconds"] > 0);
            var second = Run(Options(path), request);
            Assert.Equal(0, second.Diagnostics["trajectory_record_seconds"]);
            Assert.Equal(first.All, second.All);
            Assert.Equal(first.All, Run(Options(), request).All);
        }
        finally
        {
            File.Delete(path);
            File.Delete(path + ".ids");
        }
    }

    [Fact]
    public void TrajectoryFile_OfAnotherWeightDecay_IsRefusedWithAClearError()
    {
        string path = Path.Combine(Path.GetTempPath(), $"du-deltagrad-{Guid.NewGuid():N}.trajectory");
        try
        {
            Run(Options(path));
            var error = Assert.ThrowsAny<Exception>(() => Run(Options(path) with { WeightDecay = 0.1 }));
            Assert.Contains("weight decay", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
            File.Delete(path + ".ids");
        }
    }

    public static TheoryData<string> ChangedHeadSettings => ["head_epochs", "batch_size", "learning_rate", "warm_start"];

    [Theory]
    [MemberData(nameof(ChangedHeadSettings))]
    public void TrajectoryFile_RecordedWithOtherHeadSettings_IsRefusedNamingThem(string setting)
    {
        // Issue 13 item 10: a reused trajectory was replayed as recorded while the report claimed the new settings.
        string path = Path.Combine(Path.GetTempPath(), $"du-deltagrad-{Guid.NewGuid():N}.trajectory");
        try
        {
            Run(Options(path));
            byte[] recorded = File.ReadAllBytes(path);
            DeltaGradMethodOptions changed = setting switch
            {
                "head_epochs" => Options(path) with { HeadEpochs = 7 },
                "batch_size" => Options(path) with { BatchSize = 48 },
                "learning_rate" => Options(path) with { LearningRate = 0.25 },
                _ => Options(path) with { WarmStart = true },
            };
            var error = Assert.Throws<DeepUnlearn.Training.Trajectory.TrajectoryFormatException>(() => Run(changed));
            Assert.Contains("recorded with other settings", error.Message, StringComparison.Ordinal);
            Assert.Contains("deltagrad-head.head_epochs, batch_size, learning_rate, warm_start", error.Message, StringComparison.Ordinal);
            Assert.Equal(recorded, File.ReadAllBytes(path));
        }
        finally
        {
            File.Delete(path);
            File.Delete(path + ".ids");
        }
    }
}
