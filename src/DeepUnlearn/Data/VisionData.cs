using System;
using System.Collections.Generic;
using System.IO;
using DeepUnlearn.Data.Splits;
using DeepUnlearn.Data.Transforms;
using static TorchSharp.torch;
using Microsoft.Extensions.Logging;

namespace DeepUnlearn.Data;

/// <summary>
/// A dataset specification opened for an experiment: its training and test splits, the seeded
/// train/validation split of the SalUn protocol, and loaders over any id subset with the dataset's
/// training or evaluation transforms. One place decides how every command feeds its model.
/// </summary>
public sealed class VisionData
{
    private VisionData(string specification, IVisionDataset train, IVisionDataset test, TrainValidationSplit split, int imageSize)
    {
        Specification = specification;
        Train = train;
        Test = test;
        Split = split;
        ImageSize = imageSize;
    }

    /// <summary>The specification it was opened from (<c>fashion-mnist</c>, <c>cifar10:DIR</c>, ...).</summary>
    public string Specification { get; }

    /// <summary>The training split (ids index it).</summary>
    public IVisionDataset Train { get; }

    /// <summary>The test split.</summary>
    public IVisionDataset Test { get; }

    /// <summary>The seeded, class-stratified train/validation split of <see cref="Train"/>.</summary>
    public TrainValidationSplit Split { get; }

    /// <summary>
    /// Where the loaders of <see cref="TrainLoader"/> and <see cref="TestLoader"/> finish their batches (the float
    /// conversion, flip and normalisation): by default on the device for CUDA, on the host for the CPU.
    /// </summary>
    public AugmentationPlacement Augmentation { get; set; } = AugmentationPlacement.Auto;

    /// <summary>The model input size: the images' size, or the crop size for folders of varying sizes.</summary>
    public int ImageSize { get; }

    /// <summary>Every id of the test split.</summary>
    public int[] TestIds
    {
        get
        {
            var ids = new int[Test.Count];
            for (int i = 0; i < ids.Length; i++)
            {
                ids[i] = i;
            }
            return ids;
        }
    }

    /// <summary>Opens <paramref name="specification"/> (see <see cref="DatasetCatalog"/>) and draws the validation split.</summary>
    /// <param name="specification">The dataset.</param>
    /// <param name="validationFraction">Share of each class held out for validation (SalUn: 0.1).</param>
    /// <param name="splitSeed">Seed of the validation draw.</param>
    /// <param name="folderImageSize">Crop size for image folders (ImageNet-style data).</param>
    /// <param name="loggerFactory">Logging.</param>
    public static VisionData Open(string specification, double validationFraction = TrainValidationSplit.DefaultValidationFraction, ulong splitSeed = 0, int folderImageSize = 224, ILoggerFactory? loggerFactory = null)
    {
        IVisionDataset train = DatasetCatalog.Open(specification, DatasetSplit.Train, loggerFactory);
        IVisionDataset test = DatasetCatalog.Open(specification, DatasetSplit.Test, loggerFactory);
        CheckSplitsAgree(specification, train, test);
        var split = TrainValidationSplit.Create(train, validationFraction, splitSeed);
        int imageSize = train.Height == 0 ? folderImageSize : train.Height;
        return new VisionData(specification, train, test, split, imageSize);
    }

    /// <summary>
    /// Checks that the test split can be read with the training split's labels and by a model trained on it: the same
    /// class names in the same order (a renamed class folder keeps the count and swaps labels), and the same channels
    /// and image size where the images have one size (IDX, CIFAR). Runs before any training, so a bad split fails in
    /// seconds with both sides named, not with a shape error from libtorch after training.
    /// </summary>
    /// <exception cref="InvalidDataException">The splits disagree.</exception>
    public static void CheckSplitsAgree(string specification, IVisionDataset train, IVisionDataset test)
    {
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(test);
        ClassNameCheck.EnsureSame($"the training split of '{specification}'", train.ClassNames, "its test split", test.ClassNames,
            "the test (or val) split must hold the same classes, named alike");
        if (test.Channels != train.Channels || test.Height != train.Height || test.Width != train.Width)
        {
            throw new InvalidDataException(
                $"'{specification}': the test images are {Shape(test)} but the training images are {Shape(train)}; both splits must have one image format");
        }
    }

    private static string Shape(IVisionDataset data) => data.Height == 0
        ? $"{data.Channels}-channel images of varying size"
        : $"{data.Channels}x{data.Height}x{data.Width} (channels x height x width)";

    /// <summary>Wraps already opened datasets (tests, synthetic data).</summary>
    public static VisionData FromDatasets(string specification, IVisionDataset train, IVisionDataset test, double validationFraction = TrainValidationSplit.DefaultValidationFraction, ulong splitSeed = 0) =>
        new(specification, train, test, TrainValidationSplit.Create(train, validationFraction, splitSeed), train.Height == 0 ? 224 : train.Height);

    /// <summary>
    /// A loader over <paramref name="ids"/> of the training split: shuffled with the training augmentation
    /// when <paramref name="training"/>, in order with the evaluation transform otherwise.
    /// </summary>
    public DataLoader TrainLoader(IEnumerable<int> ids, bool training, int batchSize, ulong seed, Device device, int workers = 2, bool augment = true) =>
        new(Train, new DataLoaderOptions { BatchSize = batchSize, Shuffle = training, Seed = seed, Device = device, Workers = workers, Augmentation = Augmentation },
            training && augment ? TransformPresets.Train(Train, ImageSize) : TransformPresets.Eval(Train, ImageSize), ids);

    /// <summary>An evaluation loader over <paramref name="ids"/> of the test split (all when null).</summary>
    public DataLoader TestLoader(int batchSize, Device device, IEnumerable<int>? ids = null, int workers = 2) =>
        new(Test, new DataLoaderOptions { BatchSize = batchSize, Shuffle = false, Device = device, Workers = workers, Augmentation = Augmentation },
            TransformPresets.Eval(Test, ImageSize), ids);
}
