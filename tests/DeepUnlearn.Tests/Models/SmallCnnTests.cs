using System;
using System.Diagnostics;
using DeepUnlearn.Data;
using DeepUnlearn.Models;
using DeepUnlearn.Tests.Support;
using DeepUnlearn.Torch;
using DeepUnlearn.Torch.Nn;
using DeepUnlearn.Torch.Optim;
using Xunit;
using Xunit.Abstractions;

namespace DeepUnlearn.Tests.Models;

public class SmallCnnTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(28, 3136)]
    [InlineData(32, 4096)]
    public void Fc1_AdaptsToTheImageSize(int imageSize, long fc1Inputs)
    {
        using var scope = TensorScope.Begin();
        using var model = new SmallCnn(1, 10, imageSize);
        Assert.Equal([128L, fc1Inputs], model.Fc1.Weight.ShapeArray());
        Assert.Equal(128, model.FeatureDim);
        Assert.Equal("fc2", model.HeadName);
    }

    [Fact]
    public void Constructor_TooSmallImage_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new SmallCnn(1, 10, 3));
    }

    // The zoo's promise for the demo: one epoch of plain SGD on the real Fashion-MNIST reaches 85% test
    // accuracy (Debian's dataset-fashion-mnist).
    [SlowFact]
    public void OneEpochSgd_FashionMnist_Reaches85PercentTestAccuracy()
    {
        (float[] trainX, long[] trainY) = Load(DatasetSplit.Train);
        (float[] testX, long[] testY) = Load(DatasetSplit.Test);
        const int batch = 64;
        const double lr = 0.01;
        const double momentum = 0.9;
        var clock = Stopwatch.StartNew();

        using var model = (SmallCnn)ModelRegistry.Create("smallcnn", new ModelOptions { InChannels = 1, ImageSize = 28, Seed = 0 });
        using Tensor allX = TensorScope.Detach(Tensor.From<float>(trainX, [trainY.Length, 1, 28, 28]));
        using Tensor allY = TensorScope.Detach(Tensor.From<long>(trainY, [trainY.Length]));
        using var generator = new Generator(0);
        using Tensor order = TensorScope.Detach(Tensor.Randperm(trainY.Length, generator: generator));
        using var sgd = new Sgd(model.Parameters(), lr, momentum);
        for (long start = 0; start < trainY.Length; start += batch)
        {
            using var scope = TensorScope.Begin();
            Tensor ids = order.Narrow(0, start, Math.Min(batch, trainY.Length - start));
            Tensor loss = Functional.CrossEntropy(model.Forward(allX[ids]), allY[ids]);
            sgd.ZeroGrad();
            loss.Backward();
            sgd.Step();
        }
        double trainSeconds = clock.Elapsed.TotalSeconds;

        model.Eval();
        long correct = 0;
        using (LibTorch.NoGrad())
        {
            for (long start = 0; start < testY.Length; start += 1000)
            {
                using var scope = TensorScope.Begin();
                long n = Math.Min(1000, testY.Length - start);
                Tensor x = Tensor.From<float>(testX.AsSpan((int)(start * 784), (int)(n * 784)), [n, 1, 28, 28]);
                Tensor y = Tensor.From<long>(testY.AsSpan((int)start, (int)n), [n]);
                correct += (long)model.Forward(x).ArgMax(1).Eq(y).Sum().Item();
            }
        }
        double accuracy = (double)correct / testY.Length;
        output.WriteLine($"smallcnn, 1 epoch SGD(lr {lr}, momentum {momentum}, batch {batch}): test accuracy {accuracy:P2}, training {trainSeconds:F1} s on {LibTorch.NumThreads} threads");
        Assert.True(accuracy >= 0.85, $"test accuracy {accuracy:P2} < 85%");
    }

    // Images normalised with Fashion-MNIST's channel statistics (mean 0.2860, std 0.3530).
    private static (float[] Images, long[] Labels) Load(DatasetSplit split)
    {
        InMemoryVisionDataset data = FashionMnist.Load(split);
        ChannelStatistics stats = ChannelStatistics.FashionMnist;
        ReadOnlySpan<byte> pixels = data.Pixels.Span;
        var x = new float[pixels.Length];
        for (int i = 0; i < x.Length; i++)
        {
            x[i] = ((pixels[i] / 255f) - stats.Mean[0]) / stats.Std[0];
        }
        var y = new long[data.Count];
        for (int i = 0; i < y.Length; i++)
        {
            y[i] = data.Label(i);
        }
        return (x, y);
    }
}
