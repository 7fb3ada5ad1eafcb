using System;
using System.IO;
using DeepUnlearn.Data;
using DeepUnlearn.Data.Splits;
using DeepUnlearn.Engine;
using DeepUnlearn.Models;
using DeepUnlearn.Training;
using DeepUnlearn.Unlearning;
using TorchSharp;
using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;
using DataLoader = DeepUnlearn.Data.DataLoader;

namespace DeepUnlearn.Tests.Unlearning.Methods;

/// <summary>
/// A problem whose retain spaces are known: 4×4 gray images in three classes with identity normalisation; class 0
/// lights pixels 3..7, class 1 pixels 5..9, class 2 pixels 10..14 (random intensities), so the first layer's inputs
/// of a class span exactly its five coordinates, and class 0 shares three of them with class 1 (its gradient is not
/// orthogonal to the retain data by construction). A two-layer perceptron (16 → 12 → 3) is trained on it.
/// </summary>
public sealed class PguBlocksSetup : IDisposable
{
    public PguBlocksSetup()
    {
        using var threads = new SingleThread();
        torch.manual_seed(0).Dispose();
        Data = VisionData.FromDatasets("blocks", Blocks(30, seed: 1), Blocks(6, seed: 2), 0.1, 0);
        Recipe = new TrainingConfig { Epochs = 30, BatchSize = 16, LearningRate = 0.1, Workers = 0, Seed = 0, Augment = false };
        Original = new TinyPerceptron(16, 12, 3, seed: 3);
        using (DataLoader loader = Data.TrainLoader(Data.Split.Train, training: true, Recipe.BatchSize, 0, torch.CPU, workers: 0))
        {
            new Trainer().Fit(Original, loader, null, Recipe);
        }
        Original.eval();
        Directory = Path.Combine(Path.GetTempPath(), "du-pgu-blocks-" + Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(Directory);
    }

    public VisionData Data { get; }

    public TrainingConfig Recipe { get; }

    public ClassifierModel Original { get; }

    /// <summary>A scratch directory for checkpoint paths and sidecars.</summary>
    public string Directory { get; }

    /// <summary>A class request on <paramref name="original"/> whose checkpoint path (for sidecars) is <paramref name="checkpointPath"/>.</summary>
    public UnlearningContext Context(ClassifierModel original, string? checkpointPath, params int[] classes)
    {
        ForgetSets sets = ForgetRequest.ForClasses(classes).Resolve(Data.Train, Data.Split);
        return new UnlearningContext(original, Data, sets.Forget, sets.Retain, Data.Split.Validation, sets.ForgottenClasses, Recipe, torch.CPU, seed: 0)
        {
            Workers = 0,
            CheckpointPath = checkpointPath,
        };
    }

    /// <summary>The images of <paramref name="ids"/> as the model sees them [n, 1, 4, 4].</summary>
    public Tensor Images(int[] ids)
    {
        using DataLoader loader = Data.TrainLoader(ids, training: false, ids.Length, 0, torch.CPU, workers: 0);
        foreach (Batch batch in loader.Epoch(0))
        {
            return batch.Images.clone().DetachFromDisposeScope();
        }
        throw new ArgumentException("no ids", nameof(ids));
    }

    public void Dispose()
    {
        Original.Dispose();
        System.IO.Directory.Delete(Directory, recursive: true);
    }

    private static InMemoryVisionDataset Blocks(int perClass, int seed)
    {
        var rng = new Random(seed);
        int count = 3 * perClass;
        var pixels = new byte[count * 16];
        var labels = new int[count];
        for (int i = 0; i < count; i++)
        {
            int label = i % 3;
            labels[i] = label;
            int first = label == 0 ? 3 : 5 * label;
            for (int p = first; p < first + 5; p++)
            {
                pixels[(i * 16) + p] = (byte)rng.Next(60, 256);
            }
        }
        return new InMemoryVisionDataset("blocks", pixels, labels, 1, 4, 4, ["a", "b", "c"], ChannelStatistics.Identity(1));
    }

    /// <summary>fc2(relu(fc1(flatten(x)))), PyTorch's default initialisation from <c>seed</c>.</summary>
    private sealed class TinyPerceptron : ClassifierModel
    {
        [ComponentName(Name = "fc1")]
        private readonly Linear _fc1;
        [ComponentName(Name = "fc2")]
        private readonly Linear _fc2;
        private readonly int _inputs;
        private readonly int _hidden;
        private readonly int _classes;
        private readonly ulong _seed;

        public TinyPerceptron(int inputs, int hidden, int classes, ulong seed)
            : base(nameof(TinyPerceptron))
        {
            (_inputs, _hidden, _classes, _seed) = (inputs, hidden, classes, seed);
            _fc1 = nn.Linear(inputs, hidden);
            _fc2 = nn.Linear(hidden, classes);
            RegisterComponents();
            SeededInitializer.Initialize(this, seed, InitRules.PyTorchDefault);
        }

        public override Linear Head => _fc2;

        public override string HeadName => "fc2";

        public override Tensor Features(Tensor input)
        {
            ArgumentNullException.ThrowIfNull(input);
            using var scope = torch.NewDisposeScope();
            return _fc1.call(input.flatten(1)).relu().MoveToOuterDisposeScope();
        }

        protected override ClassifierModel CreateSibling() => new TinyPerceptron(_inputs, _hidden, _classes, _seed);
    }
}
