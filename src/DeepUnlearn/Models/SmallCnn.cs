using System;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace DeepUnlearn.Models;

/// <summary>
/// A small LeNet-style CNN for 28×28 (Fashion-MNIST) and 32×32 (CIFAR) images, fast on a few CPU cores:
/// conv3×3(32)-BN-ReLU-maxpool2, conv3×3(64)-BN-ReLU-maxpool2, flatten, fc1 (128)-ReLU, fc2 (K).
/// State-dict names: <c>conv1</c>, <c>bn1</c>, <c>conv2</c>, <c>bn2</c>, <c>fc1</c>, <c>fc2</c> (the head).
/// Layers keep PyTorch's default initialisation.
/// </summary>
public sealed class SmallCnn : ClassifierModel
{
    /// <summary>Channels of the first convolution.</summary>
    public const int Width1 = 32;

    /// <summary>Channels of the second convolution.</summary>
    public const int Width2 = 64;

    /// <summary>Width of the hidden fully connected layer (the feature dimension).</summary>
    public const int Hidden = 128;

    /// <summary>Creates the network for square <paramref name="imageSize"/>-pixel inputs.</summary>
    /// <param name="inChannels">Input channels (1 for Fashion-MNIST, 3 for CIFAR).</param>
    /// <param name="numClasses">Number of classes K.</param>
    /// <param name="imageSize">Input height and width (at least 4); fixes the width of <c>fc1</c>.</param>
    /// <param name="generator">Random generator for the initialisation (libtorch's default when null).</param>
    public SmallCnn(int inChannels, int numClasses, int imageSize, Generator? generator = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(inChannels, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(numClasses, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(imageSize, 4);
        ImageSize = imageSize;
        long pooled = imageSize / 2 / 2;
        Conv1 = RegisterModule("conv1", new Conv2d(inChannels, Width1, 3, padding: 1, bias: false, generator: generator));
        Bn1 = RegisterModule("bn1", new BatchNorm2d(Width1));
        Conv2 = RegisterModule("conv2", new Conv2d(Width1, Width2, 3, padding: 1, bias: false, generator: generator));
        Bn2 = RegisterModule("bn2", new BatchNorm2d(Width2));
        Fc1 = RegisterModule("fc1", new Linear(Width2 * pooled * pooled, Hidden, generator: generator));
        Fc2 = RegisterModule("fc2", new Linear(Hidden, numClasses, generator: generator));
    }

    /// <summary>The input height and width the network was built for.</summary>
    public int ImageSize { get; }

    /// <summary>First convolution.</summary>
    public Conv2d Conv1 { get; }

    /// <summary>First batch norm.</summary>
    public BatchNorm2d Bn1 { get; }

    /// <summary>Second convolution.</summary>
    public Conv2d Conv2 { get; }

    /// <summary>Second batch norm.</summary>
    public BatchNorm2d Bn2 { get; }

    /// <summary>Hidden fully connected layer.</summary>
    public Linear Fc1 { get; }

    /// <summary>Classification layer.</summary>
    public Linear Fc2 { get; }

    /// <inheritdoc />
    public override Linear Head => Fc2;

    /// <inheritdoc />
    public override string HeadName => "fc2";

    /// <inheritdoc />
    public override Tensor Features(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        Tensor x = Then(Conv1.call(input), Bn1);
        x.relu_();
        x = Pool(x);
        x = Then(Then(x, Conv2), Bn2);
        x.relu_();
        x = Pool(x);
        using (Tensor conv = x)
        {
            x = conv.flatten(1);
        }
        x = Then(x, Fc1);
        return x.relu_();
    }

    private static Tensor Pool(Tensor x)
    {
        using (x)
        {
            return torch.nn.functional.max_pool2d(x, 2);
        }
    }
}
