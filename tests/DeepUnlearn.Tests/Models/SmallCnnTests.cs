using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.IO.Compression;
using DeepUnlearn.Models;
using DeepUnlearn.Tests.Support;
using DeepUnlearn.Torch;
using DeepUnlearn.Torch.Nn;
using Xunit;
using Xunit.Abstractions;

namespace DeepUnlearn.Tests.Models;

public class SmallCnnTests(ITestOutputHelper output)
{
    private const string FashionMnist = "/usr/share/datasets/fashion-mnist";

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
    // accuracy. Reads Debian's dataset-fashion-mnist directly (the IDX format) to depend on nothing else.
    [SlowFact]
    public void OneEpochSgd_FashionMnist_Reaches85PercentTestAccuracy()
    {
        Assert.True(File.Exists(Path.Combine(FashionMnist, "train-images-idx3-ubyte.gz")), $"Fashion-MNIST is not installed under {FashionMnist} (apt-get install dataset-fashion-mnist)");
        (float[] trainX, long[] trainY) = ReadIdx("train");
        (float[] testX, long[] testY) = ReadIdx("t10k");
        const int batch = 64;
        const double lr = 0.01;
        const double momentum = 0.9;
        var clock = Stopwatch.StartNew();

        using var model = (SmallCnn)ModelRegistry.Create("smallcnn", new ModelOptions { InChannels = 1, ImageSize = 28, Seed = 0 });
        using Tensor allX = TensorScope.Detach(Tensor.From<float>(trainX, [trainY.Length, 1, 28, 28]));
        using Tensor allY = TensorScope.Detach(Tensor.From<long>(trainY, [trainY.Length]));
        using var generator = new Generator(0);
        using Tensor order = TensorScope.Detach(Tensor.Randperm(trainY.Length, generator: generator));
        var buffers = new List<Tensor>();
        for (long start = 0; start < trainY.Length; start += batch)
        {
            using var scope = TensorScope.Begin();
            Tensor ids = order.Narrow(0, start, Math.Min(batch, trainY.Length - start));
            Tensor loss = Functional.CrossEntropy(model.Forward(allX[ids]), allY[ids]);
            model.ZeroGrad();
            loss.Backward();
            using var noGrad = LibTorch.NoGrad();
            int i = 0;
            foreach (Tensor p in model.Parameters())
            {
                Tensor grad = p.Grad!;
                if (buffers.Count <= i)
                {
                    buffers.Add(TensorScope.Detach(grad.Clone()));
                }
                else
                {
                    buffers[i].MulInPlace(momentum).AddInPlace(grad);
                }
                p.SubInPlace(buffers[i], lr);
                i++;
            }
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
        foreach (Tensor b in buffers)
        {
            b.Dispose();
        }
        double accuracy = (double)correct / testY.Length;
        output.WriteLine($"smallcnn, 1 epoch SGD(lr {lr}, momentum {momentum}, batch {batch}): test accuracy {accuracy:P2}, training {trainSeconds:F1} s on {LibTorch.NumThreads} threads");
        Assert.True(accuracy >= 0.85, $"test accuracy {accuracy:P2} < 85%");
    }

    // IDX (big-endian header, then bytes) → images normalised with Fashion-MNIST's mean 0.2860 and std 0.3530.
    private static (float[] Images, long[] Labels) ReadIdx(string split)
    {
        byte[] images = Gunzip(Path.Combine(FashionMnist, $"{split}-images-idx3-ubyte.gz"));
        byte[] labels = Gunzip(Path.Combine(FashionMnist, $"{split}-labels-idx1-ubyte.gz"));
        Assert.Equal(0x803, BinaryPrimitives.ReadInt32BigEndian(images));
        Assert.Equal(0x801, BinaryPrimitives.ReadInt32BigEndian(labels));
        int n = BinaryPrimitives.ReadInt32BigEndian(labels.AsSpan(4));
        var x = new float[n * 784];
        for (int i = 0; i < x.Length; i++)
        {
            x[i] = ((images[16 + i] / 255f) - 0.2860f) / 0.3530f;
        }
        var y = new long[n];
        for (int i = 0; i < n; i++)
        {
            y[i] = labels[8 + i];
        }
        return (x, y);
    }

    private static byte[] Gunzip(string path)
    {
        using var file = File.OpenRead(path);
        using var gzip = new GZipStream(file, CompressionMode.Decompress);
        using var memory = new MemoryStream();
        gzip.CopyTo(memory);
        return memory.ToArray();
    }
}
