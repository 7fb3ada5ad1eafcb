using System;
using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace DeepUnlearn.Models;

/// <summary>
/// The two-convolution residual block of ResNet-18/34 (torchvision's BasicBlock): conv3×3(stride)-BN-ReLU,
/// conv3×3-BN, plus the shortcut (identity, or <c>downsample</c> = conv1×1(stride)-BN), then ReLU.
/// Children: <c>conv1</c>, <c>bn1</c>, <c>conv2</c>, <c>bn2</c>, <c>downsample.0</c>, <c>downsample.1</c>.
/// </summary>
public sealed class ResNetBasicBlock : nn.Module<Tensor, Tensor>
{
    /// <summary>Output channels are <c>planes · Expansion</c>.</summary>
    public const int Expansion = 1;

    [ComponentName(Name = "conv1")]
    private readonly Conv2d _conv1;
    [ComponentName(Name = "bn1")]
    private readonly BatchNorm2d _bn1;
    [ComponentName(Name = "conv2")]
    private readonly Conv2d _conv2;
    [ComponentName(Name = "bn2")]
    private readonly BatchNorm2d _bn2;
    [ComponentName(Name = "downsample")]
    private readonly Sequential? _downsample;

    /// <summary>Creates the block; a down-sampling shortcut is added when the stride or width changes.</summary>
    public ResNetBasicBlock(int inPlanes, int planes, int stride = 1)
        : base(nameof(ResNetBasicBlock))
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(inPlanes, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(planes, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(stride, 1);
        _conv1 = nn.Conv2d(inPlanes, planes, 3, stride, padding: 1, bias: false);
        _bn1 = nn.BatchNorm2d(planes);
        _conv2 = nn.Conv2d(planes, planes, 3, padding: 1, bias: false);
        _bn2 = nn.BatchNorm2d(planes);
        if (stride != 1 || inPlanes != planes * Expansion)
        {
            _downsample = ResNet.DownsampleShortcut(inPlanes, planes * Expansion, stride);
        }
        RegisterComponents();
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        Tensor output = ClassifierModel.Then(_conv1.call(input), _bn1);
        output.relu_();
        output = ClassifierModel.Then(ClassifierModel.Then(output, _conv2), _bn2);
        ResNet.AddShortcut(output, input, _downsample);
        return output.relu_();
    }
}
