using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using DeepUnlearn.Unlearning;
using DeepUnlearn.Unlearning.Methods.DeltaGrad;
using Xunit;

namespace DeepUnlearn.Tests.Unlearning.Methods;

public class DeltaGradMethodTests(TinyUnlearningSetup setup) : IClassFixture<TinyUnlearningSetup>
{
    private static DeltaGradMethodOptions Options(string? trajectory = null, int period = 5) =>
        new() { HeadEpochs = 6, BatchSize = 64, LearningRate = 0.5, BurnIn = 3, Period = period, Trajectory = trajectory };

    private float[] Run(DeltaGradMethodOptions options, out IReadOnlyDictionary<string, double> diagnostics)
    {
        using var single = new SingleThread();
        using UnlearningOutcome outcome = new DeltaGradMethod(options).Run(setup.Context, CancellationToken.None);
        diagnostics = outcome.Diagnostics;
        return setup.Flatten(outcome.Model);
    }

    [Fact]
    public void Run_ChangesOnlyTheHead()
    {
        float[] original = setup.Flatten(setup.Original);
        float[] unlearned = Run(Options(), out _);
        int headSize = (int)setup.Original.Head.Weight.NumEl + (int)setup.Original.Head.Bias!.NumEl;
        string[] names = setup.Original.StateDict().Where(kv => kv.Value.DType == Torch.DType.Float32).Select(kv => kv.Key).ToArray();
        Assert.Equal(original.Length, unlearned.Length);
        int changed = Enumerable.Range(0, original.Length).Count(i => original[i] != unlearned[i]);
        Assert.InRange(changed, 1, headSize);
        Assert.Contains(setup.Original.HeadName + ".weight", names);
    }

    [Fact]
    public void TrajectoryFile_IsRecordedOnceThenReplayedToTheSameWeights()
    {
        string path = Path.Combine(Path.GetTempPath(), $"du-deltagrad-{Guid.NewGuid():N}.trajectory");
        try
        {
            float[] first = Run(Options(path), out var recorded);
            Assert.True(File.Exists(path));
            Assert.True(recorded["trajectory_record_seconds"] > 0);
            float[] second = Run(Options(path), out var replayed);
            Assert.Equal(0, replayed["trajectory_record_seconds"]);
            Assert.Equal(first, second);
            float[] inMemory = Run(Options(), out _);
            Assert.Equal(first, inMemory);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void TrajectoryFile_OfAnotherWeightDecay_IsRefusedWithAClearError()
    {
        string path = Path.Combine(Path.GetTempPath(), $"du-deltagrad-{Guid.NewGuid():N}.trajectory");
        try
        {
            Run(Options(path), out _);
            var error = Assert.ThrowsAny<Exception>(() => Run(Options(path) with { WeightDecay = 0.1 }, out _));
            Assert.Contains("weight decay", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void ExactReplay_MatchesExactReplayWithAnotherPeriodApproximately()
    {
        // T0 = 1 computes every gradient exactly: DeltaGrad is then retraining the head on the retain set.
        float[] exact = Run(Options(period: 1), out var exactDiagnostics);
        float[] approximate = Run(Options(period: 5), out var approximateDiagnostics);
        Assert.Equal(0, exactDiagnostics["approximate_steps"]);
        Assert.True(approximateDiagnostics["approximate_steps"] > 0);
        double distance = Math.Sqrt(exact.Zip(approximate, (a, b) => (double)(a - b) * (a - b)).Sum());
        double norm = Math.Sqrt(exact.Sum(a => (double)a * a));
        Assert.True(distance < 0.05 * norm, $"‖w_DeltaGrad − w_retrain‖ = {distance:G3} vs ‖w‖ = {norm:G3}");
    }
}
