using System;
using System.IO;
using System.Linq;
using DeepUnlearn.Data;
using DeepUnlearn.Models;
using DeepUnlearn.Tests.Data;
using TorchSharp;
using static TorchSharp.torch;
using DeepUnlearn.Training;
using Xunit;

namespace DeepUnlearn.Tests.Training;

public class TrainerTests
{
    private static readonly TrainingConfig s_recipe = new() { Epochs = 3, BatchSize = 32, LearningRate = 0.05, Workers = 1, Seed = 3 };

    private static (ClassifierModel Model, VisionData Data, CheckpointMetadata Metadata) Setup(ulong initSeed)
    {
        var train = SyntheticData.Squares(320, seed: 1);
        var test = SyntheticData.Squares(80, seed: 2);
        var data = VisionData.FromDatasets("squares", train, test, 0.1, 0);
        ClassifierModel model = ModelRegistry.Create("smallcnn", new ModelOptions { NumClasses = 4, InChannels = 1, ImageSize = 12, Seed = initSeed });
        var metadata = new CheckpointMetadata
        {
            Model = model.Spec!,
            Dataset = "squares",
            ClassNames = train.ClassNames.ToArray(),
            NormalizationMean = train.Normalization.Mean.ToArray(),
            NormalizationStd = train.Normalization.Std.ToArray(),
        };
        return (model, data, metadata);
    }

    private static float[][] Weights(ClassifierModel model) =>
        model.state_dict().Where(kv => kv.Value.dtype == ScalarType.Float32).Select(kv => kv.Value.data<float>().ToArray()).ToArray();

    private static TrainingResult Fit(ClassifierModel model, VisionData data, CheckpointMetadata metadata, string? directory, bool resume, int? stopAfter, Trainer? trainer = null)
    {
        using DataLoader train = data.TrainLoader(data.Split.Train, training: true, s_recipe.BatchSize, s_recipe.Seed, torch.CPU, workers: 1);
        using DataLoader validation = data.TrainLoader(data.Split.Validation, training: false, 64, 0, torch.CPU, workers: 1);
        return (trainer ?? new Trainer()).Fit(model, train, validation, s_recipe, new TrainingOptions
        {
            CheckpointDirectory = directory,
            Resume = resume,
            Metadata = metadata,
            StopAfterEpochs = stopAfter,
        });
    }

    [Fact]
    public void Fit_InterruptedAndResumed_EndsWithTheSameWeightsAsUninterrupted()
    {
        SeedGlobalGenerator(11);
        var (straight, data, metadata) = Setup(initSeed: 5);
        float[][] expected;
        using (straight)
        {
            Fit(straight, data, metadata, directory: null, resume: false, stopAfter: null);
            expected = Weights(straight);
        }

        using var dir = new TempDirectory();
        SeedGlobalGenerator(11);
        var (first, _, _) = Setup(initSeed: 5);
        using (first)
        {
            TrainingResult partial = Fit(first, data, metadata, dir.Path, resume: false, stopAfter: 1);
            Assert.Single(partial.Epochs);
        }
        Assert.Equal(1, Checkpoint.ReadMetadata(Path.Combine(dir.Path, Trainer.LastCheckpoint)).Epoch);

        // A fresh process would start from other weights and another RNG state: the resume must restore both.
        SeedGlobalGenerator(999);
        var (resumed, _, _) = Setup(initSeed: 77);
        using (resumed)
        {
            TrainingResult rest = Fit(resumed, data, metadata, dir.Path, resume: true, stopAfter: null);
            Assert.Equal(1, rest.StartEpoch);
            Assert.Equal([1, 2], rest.Epochs.Select(e => e.Epoch).ToArray());
            float[][] actual = Weights(resumed);
            Assert.Equal(expected.Length, actual.Length);
            for (int i = 0; i < expected.Length; i++)
            {
                Assert.Equal(expected[i], actual[i]);
            }
        }
    }

    /// <summary>A write that a kill interrupts: the test's stand-in for SIGKILL between two atomic writes.</summary>
    private sealed class KilledException : Exception;

    [Theory]
    [InlineData(Trainer.CheckpointWrite.Best)]
    [InlineData(Trainer.CheckpointWrite.PendingState)]
    [InlineData(Trainer.CheckpointWrite.Weights)]
    [InlineData(Trainer.CheckpointWrite.CommitState)]
    public void Fit_KilledBeforeAnyCheckpointWrite_ResumesToTheUninterruptedWeights_AndKeepsTheBestEpoch(Trainer.CheckpointWrite killedAt)
    {
        SeedGlobalGenerator(11);
        var (straight, data, metadata) = Setup(initSeed: 5);
        float[][] expected;
        TrainingResult uninterrupted;
        using (straight)
        {
            uninterrupted = Fit(straight, data, metadata, directory: null, resume: false, stopAfter: null);
            expected = Weights(straight);
        }
        // The best epoch of the whole run (the first of equals, as the trainer keeps the first).
        double bestAccuracy = uninterrupted.Epochs.Max(e => e.ValidationAccuracy!.Value);
        int bestEpoch = uninterrupted.Epochs.First(e => e.ValidationAccuracy == bestAccuracy).Epoch + 1;

        using var dir = new TempDirectory();
        // Kill at the chosen write of each epoch in turn, resuming after every kill, until the run is complete;
        // epoch 1 always improves, so a kill at Best happens at least once.
        int kills = 0;
        for (int attempt = 0; attempt < 2 * s_recipe.Epochs + 1; attempt++)
        {
            int boundaryCalls = 0;
            int killAtCall = attempt + 1;
            var trainer = new Trainer
            {
                WriteBoundary = write =>
                {
                    if (write == killedAt && ++boundaryCalls == killAtCall)
                    {
                        throw new KilledException();
                    }
                },
            };
            // Each attempt is a new process of the same command: same seeds; when a checkpoint exists the resume
            // restores weights and RNG state over them (Fit_InterruptedAndResumed checks that from other seeds).
            SeedGlobalGenerator(11);
            var (model, _, _) = Setup(initSeed: 5);
            using (model)
            {
                try
                {
                    Fit(model, data, metadata, dir.Path, resume: attempt > 0, stopAfter: null, trainer);
                }
                catch (KilledException)
                {
                    kills++;
                    continue;
                }
                float[][] actual = Weights(model);
                for (int i = 0; i < expected.Length; i++)
                {
                    Assert.Equal(expected[i], actual[i]);
                }
            }
            break;
        }
        Assert.True(kills > 0, "the boundary was never reached");
        Assert.Empty(Directory.GetFiles(dir.Path, "*.pending"));
        CheckpointMetadata best = Checkpoint.ReadMetadata(Path.Combine(dir.Path, Trainer.BestCheckpoint));
        Assert.Equal(bestAccuracy, best.ValidationAccuracy);
        Assert.Equal(bestEpoch, best.Epoch);
        Assert.Equal(s_recipe.Epochs, Checkpoint.ReadMetadata(Path.Combine(dir.Path, Trainer.LastCheckpoint)).Epoch);
    }

    private static void SeedGlobalGenerator(long seed)
    {
        using Generator generator = torch.manual_seed(seed);
    }

    [Fact]
    public void Fit_LearnsTheSyntheticTask()
    {
        var (model, data, metadata) = Setup(initSeed: 1);
        using (model)
        {
            TrainingResult result = Fit(model, data, metadata, null, false, null);
            Assert.True(result.BestValidationAccuracy >= 90, $"validation accuracy {result.BestValidationAccuracy}");
            Assert.True(result.Epochs[^1].TrainLoss < result.Epochs[0].TrainLoss);
        }
    }

    [Fact]
    public void Fit_ExplodingLearningRate_StopsWithDivergedError()
    {
        var (model, data, _) = Setup(initSeed: 1);
        using (model)
        {
            using DataLoader train = data.TrainLoader(data.Split.Train, training: true, 32, 0, torch.CPU, workers: 1);
            var recipe = s_recipe with { LearningRate = 1e30, Momentum = 0, WeightDecay = 0 };
            var e = Assert.Throws<TrainingDivergedException>(() => new Trainer().Fit(model, train, null, recipe));
            Assert.False(double.IsFinite(e.Loss));
            Assert.Contains("learning_rate", e.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Fit_TooFewModelOutputs_IsRejected()
    {
        var (unused, data, _) = Setup(initSeed: 1);
        unused.Dispose();
        using ClassifierModel model = ModelRegistry.Create("smallcnn", new ModelOptions { NumClasses = 2, InChannels = 1, ImageSize = 12 });
        using DataLoader train = data.TrainLoader(data.Split.Train, training: true, 32, 0, torch.CPU, workers: 1);
        var e = Assert.Throws<ArgumentException>(() => new Trainer().Fit(model, train, null, s_recipe));
        Assert.Contains("4 classes", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TrainingConfig_InvalidValues_AreRejectedWithWhatIsValid()
    {
        Assert.Contains("learning_rate", Assert.Throws<ArgumentException>(() => (s_recipe with { LearningRate = -1 }).Validate()).Message, StringComparison.Ordinal);
        Assert.Contains("milestones", Assert.Throws<ArgumentException>(() => (s_recipe with { Schedule = ScheduleKind.MultiStep }).Validate()).Message, StringComparison.Ordinal);
        Assert.Contains("nesterov", Assert.Throws<ArgumentException>(() => (s_recipe with { Nesterov = true, Optimizer = OptimizerKind.Adam }).Validate()).Message, StringComparison.Ordinal);
    }
}
