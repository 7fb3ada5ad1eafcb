using System;
using DeepUnlearn.Data;
using TorchSharp;
using static TorchSharp.torch;
using DeepUnlearn.Unlearning.Methods.DeltaGrad;

namespace DeepUnlearn.Cli.Commands;

/// <summary>Training and test samples for <c>deepunlearn deltagrad</c>, as flat feature rows.</summary>
internal static class DeltaGradData
{
    public const string FashionMnist = "fashion-mnist";
    public const string Synthetic = "synthetic";
    public const string DefaultFashionMnistDirectory = Data.FashionMnist.DefaultDirectory;

    public static (SampleTable Train, SampleTable Test) Load(string dataset, string? directory, int trainSize, ScalarType dtype, Device device, ulong seed) => dataset switch
    {
        Synthetic => LoadSynthetic(trainSize == 0 ? 2000 : trainSize, dtype, device, seed),
        FashionMnist => LoadFashionMnist(directory, trainSize, dtype, device),
        _ => throw new ArgumentException($"unknown dataset '{dataset}'; valid: {FashionMnist}, {Synthetic}"),
    };

    /// <summary>
    /// Fashion-MNIST as 784 pixels in [0, 1], centred by the training mean (train and test alike), optionally
    /// only the first <paramref name="trainSize"/> training images.
    /// </summary>
    private static (SampleTable Train, SampleTable Test) LoadFashionMnist(string? directory, int trainSize, ScalarType dtype, Device device)
    {
        using var scope = torch.NewDisposeScope();
        using SampleTable rawTrain = SampleTable.FromImages(Data.FashionMnist.Load(DatasetSplit.Train, directory), DatasetSplit.Train, dtype, device);
        using SampleTable rawTest = SampleTable.FromImages(Data.FashionMnist.Load(DatasetSplit.Test, directory), DatasetSplit.Test, dtype, device);
        SampleTable train = rawTrain;
        SampleTable? subset = null;
        if (trainSize > 0 && trainSize < rawTrain.Count)
        {
            subset = new SampleTable(
                rawTrain.Features.narrow(0, 0, trainSize).clone().MoveToOuterDisposeScope(),
                rawTrain.Labels.narrow(0, 0, trainSize).clone().MoveToOuterDisposeScope(),
                $"{rawTrain.Identity}[0:{trainSize}]",
                ownsTensors: true);
            train = subset;
        }
        using (subset)
        {
            Tensor mean = train.FeatureMean();
            return (train.Centered(mean), rawTest.Centered(mean, $"centred-by-{train.Identity}"));
        }
    }

    /// <summary>Gaussian clusters: 20 features, 5 classes, 500 test samples, all drawn from <paramref name="seed"/>.</summary>
    private static (SampleTable Train, SampleTable Test) LoadSynthetic(int trainSize, ScalarType dtype, Device device, ulong seed)
    {
        const int Features = 20;
        const int Classes = 5;
        const int TestSize = 500;
        using var scope = torch.NewDisposeScope();
        using var generator = new Generator(seed);
        Tensor centres = torch.randn([Classes, Features], ScalarType.Float64, generator: generator).mul(0.6);
        SampleTable Draw(int count, string split)
        {
            Tensor labels = torch.randint(0, Classes, [count], ScalarType.Int64, generator: generator);
            Tensor x = centres.index_select(0, labels).add(torch.randn([count, Features], ScalarType.Float64, generator: generator)).to(dtype, device);
            return new SampleTable(x.MoveToOuterDisposeScope(), labels.to(device).MoveToOuterDisposeScope(), $"synthetic-clusters(seed {seed})/{split}", ownsTensors: true);
        }
        SampleTable train = Draw(trainSize, "train");
        SampleTable test = Draw(TestSize, "test");
        return (train, test);
    }
}
