using System;
using System.Diagnostics;
using DeepUnlearn.Data;
using DeepUnlearn.Engine;
using DeepUnlearn.Evaluation;
using DeepUnlearn.Models;
using DeepUnlearn.Training;
using TorchSharp;

namespace DeepUnlearn.Tests.Integration;

/// <summary>
/// An original model for integration tests on the real Fashion-MNIST (Debian's dataset-fashion-mnist):
/// smallcnn trained for one epoch with the <see cref="Trainer"/> (≈ 85–88% test accuracy), built once for the
/// test classes of the <see cref="FashionMnistCollection"/> on first use.
/// </summary>
public sealed class FashionMnistOriginal : IDisposable
{
    private readonly Lazy<(VisionData Data, ClassifierModel Model, double Seconds, double TestAccuracy)> _trained = new(Train);

    /// <summary>The recipe of the original model.</summary>
    public static TrainingConfig Recipe { get; } = new()
    {
        Epochs = 1,
        BatchSize = 64,
        LearningRate = 0.01,
        Momentum = 0.9,
        WeightDecay = 5e-4,
        Schedule = ScheduleKind.Constant,
        Augment = false,
        Workers = 2,
        Seed = 0,
    };

    public VisionData Data => _trained.Value.Data;

    /// <summary>The trained model (evaluation mode). Methods copy it; never mutate it.</summary>
    public ClassifierModel Model => _trained.Value.Model;

    /// <summary>Wall time of the training.</summary>
    public double TrainingSeconds => _trained.Value.Seconds;

    /// <summary>Test accuracy of the original model, all classes.</summary>
    public double TestAccuracy => _trained.Value.TestAccuracy;

    /// <summary>Accuracy (%) of <paramref name="model"/> on <paramref name="ids"/> of the training split.</summary>
    public double Accuracy(ClassifierModel model, int[] ids)
    {
        using DataLoader loader = Data.TrainLoader(ids, training: false, 500, 0, torch.CPU, workers: 2);
        return ModelEvaluator.Predict(model, loader).AccuracyPercent();
    }

    public void Dispose()
    {
        if (_trained.IsValueCreated)
        {
            _trained.Value.Model.Dispose();
        }
    }

    private static (VisionData, ClassifierModel, double, double) Train()
    {
        TorchRuntime.EnsureInitialized();
        var clock = Stopwatch.StartNew();
        VisionData data = VisionData.Open("fashion-mnist");
        ClassifierModel model = ModelRegistry.Create("smallcnn", new ModelOptions { InChannels = 1, ImageSize = 28, NumClasses = 10, Seed = 0 });
        using (DataLoader train = data.TrainLoader(data.Split.Train, training: true, Recipe.BatchSize, Recipe.Seed, torch.CPU, Recipe.Workers, augment: false))
        {
            new Trainer().Fit(model, train, null, Recipe);
        }
        model.eval();
        double seconds = clock.Elapsed.TotalSeconds;
        using DataLoader test = data.TestLoader(500, torch.CPU, workers: 2);
        double testAccuracy = ModelEvaluator.Predict(model, test).AccuracyPercent();
        return (data, model, seconds, testAccuracy);
    }
}
