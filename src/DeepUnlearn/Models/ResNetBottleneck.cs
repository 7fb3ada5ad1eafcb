using System;
using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace DeepUnlearn.Models;

/// <summary>
/// The bottleneck residual block of ResNet-50 (torchvision's Bottleneck, stride on the 3×3 convolution):
/// conv1×1-BN-ReLU, conv3×3(stride)-BN-ReLU, conv1×1(4·planes)-BN, plus the shortcut, then ReLU.
/// Children: <c>conv1</c>, <c>bn1</c>, <c>conv2</c>, <c>bn2</c>, <c>conv3</c>, <c>bn3</c>, <c>downsample.0/1</c>.
/// </summary>
public sealed class ResNetBottleneck : nn.Module<Tensor, Tensor>
{
    /// <summary>Output channels are <c>planes · Expansion</c>.</summary>
    public const int Expansion = 4;

    [ComponentName(Name = "conv1")]
    private readonly Conv2d _conv1;
    [ComponentName(Name = "bn1")]
    private readonly BatchNorm2d _bn1;
    [ComponentName(Name = "conv2")]
    private readonly Conv2d _conv2;
    [ComponentName(Name = "bn2")]
    private readonly BatchNorm2d _bn2;
    [ComponentName(Name = "conv3")]
    private readonly Conv2d _conv3;
    [ComponentName(Name = "bn3")]
    private readonly BatchNorm2d _bn3;
    [ComponentName(Name = "downsample")]
    private readonly Sequential? _downsample;

    /// <summary>Creates the block; a down-sampling shortcut is added when the stride or width changes.</summary>
    public ResNetBottleneck(int inPlanes, int planes, int stride = 1)
        : base(nameof(ResNetBottleneck))
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(inPlanes, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(planes, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(stride, 1);
        _conv1 = nn.Conv2d(inPlanes, planes, 1, bias: false);
        _bn1 = nn.BatchNorm2d(planes);
        _conv2 = nn.Conv2d(planes, planes, 3, stride, padding: 1, bias: false);
        _bn2 = nn.BatchNorm2d(planes);
        _conv3 = nn.Conv2d(planes, planes * Expansion, 1, bias: false);
        _bn3 = nn.BatchNorm2d(planes * Expansion);
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
        output.relu_();
        output = ClassifierModel.Then(ClassifierModel.Then(output, _conv3), _bn3);
        ResNet.AddShortcut(output, input, _downsample);
        return output.relu_();
    }
}
