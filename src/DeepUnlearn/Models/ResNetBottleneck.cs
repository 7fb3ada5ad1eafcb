using System;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace DeepUnlearn.Models;

/// <summary>
/// The bottleneck residual block of ResNet-50 (torchvision's Bottleneck, stride on the 3×3 convolution):
/// conv1×1-BN-ReLU, conv3×3(stride)-BN-ReLU, conv1×1(4·planes)-BN, plus the shortcut, then ReLU.
/// Children: <c>conv1</c>, <c>bn1</c>, <c>conv2</c>, <c>bn2</c>, <c>conv3</c>, <c>bn3</c>, <c>downsample.0/1</c>.
/// </summary>
public sealed class ResNetBottleneck : Module
{
    /// <summary>Output channels are <c>planes · Expansion</c>.</summary>
    public const int Expansion = 4;

    /// <summary>Creates the block; a down-sampling shortcut is added when the stride or width changes.</summary>
    public ResNetBottleneck(int inPlanes, int planes, int stride = 1, Generator? generator = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(inPlanes, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(planes, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(stride, 1);
        Conv1 = RegisterModule("conv1", new Conv2d(inPlanes, planes, 1, bias: false, generator: generator));
        Bn1 = RegisterModule("bn1", new BatchNorm2d(planes));
        Conv2 = RegisterModule("conv2", new Conv2d(planes, planes, 3, stride, padding: 1, bias: false, generator: generator));
        Bn2 = RegisterModule("bn2", new BatchNorm2d(planes));
        Conv3 = RegisterModule("conv3", new Conv2d(planes, planes * Expansion, 1, bias: false, generator: generator));
        Bn3 = RegisterModule("bn3", new BatchNorm2d(planes * Expansion));
        if (stride != 1 || inPlanes != planes * Expansion)
        {
            Downsample = RegisterModule("downsample", ResNet.DownsampleShortcut(inPlanes, planes * Expansion, stride, generator));
        }
    }

    /// <summary>1×1 reduction.</summary>
    public Conv2d Conv1 { get; }

    /// <summary>First batch norm.</summary>
    public BatchNorm2d Bn1 { get; }

    /// <summary>3×3 convolution (carries the stride).</summary>
    public Conv2d Conv2 { get; }

    /// <summary>Second batch norm.</summary>
    public BatchNorm2d Bn2 { get; }

    /// <summary>1×1 expansion.</summary>
    public Conv2d Conv3 { get; }

    /// <summary>Third batch norm.</summary>
    public BatchNorm2d Bn3 { get; }

    /// <summary>The projection shortcut, when the block changes resolution or width.</summary>
    public Sequential? Downsample { get; }

    /// <inheritdoc />
    public override Tensor forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        Tensor output = ResNet.Then(Conv1.call(input), Bn1);
        output.relu_();
        output = ResNet.Then(ResNet.Then(output, Conv2), Bn2);
        output.relu_();
        output = ResNet.Then(ResNet.Then(output, Conv3), Bn3);
        ResNet.AddShortcut(output, input, Downsample);
        return output.relu_();
    }
}
