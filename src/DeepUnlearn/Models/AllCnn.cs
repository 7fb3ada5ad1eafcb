using System;
using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace DeepUnlearn.Models;

/// <summary>
/// All-CNN-C (Springenberg, Dosovitskiy, Brox and Riedmiller, "Striving for simplicity: the all
/// convolutional net", ICLR 2015 workshop) with batch normalisation, as used by the SSD and bad-teacher
/// unlearning code: eight conv-BN-ReLU blocks of 96, 96, 192 (stride 2), 192, 192, 192 (stride 2), 192 and
/// 192 (1×1) filters — down-sampling by strided convolutions instead of pooling — then global average
/// pooling and one linear layer (the reference's replacement for the paper's final 1×1 class convolution).
/// State-dict names follow that code: <c>features.{0,1,2,4,5,6,8,9}.{0,1}</c> (conv, BN; indices 3 and 7
/// are the disabled dropout slots) and <c>classifier.0</c> (the head). The reference pools with
/// AvgPool2d(8), which is global pooling at 32×32; global average pooling here also serves 28×28 inputs.
/// Layers keep PyTorch's default initialisation, as the reference.
/// </summary>
public sealed class AllCnn : ClassifierModel
{
    [ComponentName(Name = "features")]
    private readonly Sequential _features;
    [ComponentName(Name = "classifier")]
    private readonly Sequential _classifier;

    /// <summary>Creates the network.</summary>
    /// <param name="inChannels">Input channels.</param>
    /// <param name="numClasses">Number of classes K.</param>
    /// <param name="filtersPercentage">Width multiplier of the reference (1.0: 96 and 192 channels).</param>
    /// <param name="dropout">Whether the two dropout slots drop (p = 0.5) or pass through (the reference's default).</param>
    public AllCnn(int inChannels, int numClasses, double filtersPercentage = 1.0, bool dropout = false)
        : base(nameof(AllCnn))
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(inChannels, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(numClasses, 1);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(filtersPercentage);
        int n1 = Math.Max(1, (int)(96 * filtersPercentage));
        int n2 = Math.Max(1, (int)(192 * filtersPercentage));
        _features = nn.Sequential(
            ConvBnRelu(inChannels, n1, 3, 1),
            ConvBnRelu(n1, n1, 3, 1),
            ConvBnRelu(n1, n2, 3, 2),
            dropout ? nn.Dropout(0.5) : nn.Identity(),
            ConvBnRelu(n2, n2, 3, 1),
            ConvBnRelu(n2, n2, 3, 1),
            ConvBnRelu(n2, n2, 3, 2),
            dropout ? nn.Dropout(0.5) : nn.Identity(),
            ConvBnRelu(n2, n2, 3, 1),
            ConvBnRelu(n2, n2, 1, 1),
            nn.AdaptiveAvgPool2d(1),
            nn.Flatten());
        // The head is reached through _classifier only: a second Module field would be registered again under its
        // field name by RegisterComponents (a duplicate "_head.weight" in the state dict).
        _classifier = nn.Sequential(nn.Linear(n2, numClasses));
        RegisterComponents();
    }

    /// <inheritdoc />
    public override Linear Head => (Linear)_classifier[0];

    /// <inheritdoc />
    public override string HeadName => "classifier.0";

    /// <inheritdoc />
    public override Tensor Features(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return RunSequential(_features, input);
    }

    // The reference's Conv block: conv (no bias, "same" padding) - BN - ReLU.
    private static Sequential ConvBnRelu(int inChannels, int outChannels, int kernelSize, int stride) =>
        nn.Sequential(
            nn.Conv2d(inChannels, outChannels, kernelSize, stride, padding: (kernelSize - 1) / 2, bias: false),
            nn.BatchNorm2d(outChannels),
            nn.ReLU());
}
