using System;
using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace DeepUnlearn.Models;

/// <summary>
/// A small LeNet-style CNN for 28×28 (Fashion-MNIST) and 32×32 (CIFAR) images, fast on a few CPU cores:
/// conv3×3(32)-BN-ReLU-maxpool2, conv3×3(64)-BN-ReLU-maxpool2, flatten, fc1 (128)-ReLU, fc2 (K).
/// State-dict names: <c>conv1</c>, <c>bn1</c>, <c>conv2</c>, <c>bn2</c>, <c>fc1</c>, <c>fc2</c> (the head).
/// Layers get PyTorch's default initialisation (from the registry's seed).
/// </summary>
public sealed class SmallCnn : ClassifierModel
{
    /// <summary>Channels of the first convolution.</summary>
    public const int Width1 = 32;

    /// <summary>Channels of the second convolution.</summary>
    public const int Width2 = 64;

    /// <summary>Width of the hidden fully connected layer (the feature dimension).</summary>
    public const int Hidden = 128;

    [ComponentName(Name = "conv1")]
    private readonly Conv2d _conv1;
    [ComponentName(Name = "bn1")]
    private readonly BatchNorm2d _bn1;
    [ComponentName(Name = "conv2")]
    private readonly Conv2d _conv2;
    [ComponentName(Name = "bn2")]
    private readonly BatchNorm2d _bn2;
    [ComponentName(Name = "fc1")]
    private readonly Linear _fc1;
    [ComponentName(Name = "fc2")]
    private readonly Linear _fc2;

    /// <summary>Creates the network for square <paramref name="imageSize"/>-pixel inputs.</summary>
    /// <param name="inChannels">Input channels (1 for Fashion-MNIST, 3 for CIFAR).</param>
    /// <param name="numClasses">Number of classes K.</param>
    /// <param name="imageSize">Input height and width (at least 4); fixes the width of <c>fc1</c>.</param>
    public SmallCnn(int inChannels, int numClasses, int imageSize)
        : base(nameof(SmallCnn))
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(inChannels, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(numClasses, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(imageSize, 4);
        ImageSize = imageSize;
        long pooled = imageSize / 2 / 2;
        _conv1 = nn.Conv2d(inChannels, Width1, 3, padding: 1, bias: false);
        _bn1 = nn.BatchNorm2d(Width1);
        _conv2 = nn.Conv2d(Width1, Width2, 3, padding: 1, bias: false);
        _bn2 = nn.BatchNorm2d(Width2);
        _fc1 = nn.Linear(Width2 * pooled * pooled, Hidden);
        _fc2 = nn.Linear(Hidden, numClasses);
        RegisterComponents();
    }

    /// <summary>The input height and width the network was built for.</summary>
    public int ImageSize { get; }

    /// <inheritdoc />
    public override Linear Head => _fc2;

    /// <inheritdoc />
    public override string HeadName => "fc2";

    /// <inheritdoc />
    public override Tensor Features(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        Tensor x = Then(_conv1.call(input), _bn1);
        x.relu_();
        x = Pool(x);
        x = Then(Then(x, _conv2), _bn2);
        x.relu_();
        x = Pool(x);
        using (Tensor conv = x)
        {
            x = conv.flatten(1);
        }
        x = Then(x, _fc1);
        return x.relu_();
    }

    private static Tensor Pool(Tensor x)
    {
        using (x)
        {
            return nn.functional.max_pool2d(x, 2);
        }
    }
}
