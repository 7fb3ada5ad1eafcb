using System;
using System.Linq;
using DeepUnlearn.Data;
using DeepUnlearn.Data.Splits;
using DeepUnlearn.Evaluation;
using DeepUnlearn.Models;
using DeepUnlearn.Tests.Training;
using DeepUnlearn.Tests.Unlearning.Methods;
using TorchSharp;
using static TorchSharp.torch;
using DeepUnlearn.Training;
using DeepUnlearn.Unlearning;

namespace DeepUnlearn.Tests.Unlearning;

/// <summary>
/// A tiny class-forgetting problem shared by the method tests: smallcnn trained on 12×12 synthetic
/// "squares" (4 classes), asked to forget class 0. Built once per test class (xUnit class fixture).
/// </summary>
public sealed class TinyUnlearningSetup : IDisposable
{
    public TinyUnlearningSetup()
    {
        using var threads = new SingleThread();
        // The global generator, as before the port (the model and loaders are seeded on their own).
        torch.manual_seed(0).Dispose();
        var train = SyntheticData.Squares(480, seed: 1);
        var test = SyntheticData.Squares(160, seed: 2);
        Data = VisionData.FromDatasets("squares", train, test, 0.1, 0);
        Recipe = new TrainingConfig { Epochs = 4, BatchSize = 32, LearningRate = 0.05, Workers = 0, Seed = 0 };
        Original = ModelRegistry.Create("smallcnn", new ModelOptions { NumClasses = 4, InChannels = 1, ImageSize = 12, Seed = 0 });
        using (DataLoader loader = Data.TrainLoader(Data.Split.Train, training: true, Recipe.BatchSize, 0, torch.CPU, workers: 0))
        {
            new Trainer().Fit(Original, loader, null, Recipe);
        }
        Original.eval();
        ForgetSets sets = ForgetRequest.ForClasses(0).Resolve(train, Data.Split);
        Context = new UnlearningContext(Original, Data, sets.Forget, sets.Retain, Data.Split.Validation, sets.ForgottenClasses, Recipe, torch.CPU, seed: 0) { Workers = 0 };
        OriginalForgetAccuracy = ForgetAccuracy(Original);
    }

    public VisionData Data { get; }

    public TrainingConfig Recipe { get; }

    public ClassifierModel Original { get; }

    public UnlearningContext Context { get; }

    public double OriginalForgetAccuracy { get; }

    public double ForgetAccuracy(ClassifierModel model)
    {
        using DataLoader forget = Context.ForgetLoader(64, shuffle: false);
        return ModelEvaluator.Predict(model, forget).AccuracyPercent();
    }

    public float[] Flatten(ClassifierModel model)
    {
        using var scope = torch.NewDisposeScope();
        return model.state_dict().Where(kv => kv.Value.dtype == ScalarType.Float32).SelectMany(kv => kv.Value.data<float>().ToArray()).ToArray();
    }

    public void Dispose() => Original.Dispose();
}
