using System;
using System.Collections.Generic;
using System.Linq;
using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace DeepUnlearn.Models;

/// <summary>
/// ResNet (He, Zhang, Ren and Sun, "Deep residual learning for image recognition", CVPR 2016) with
/// torchvision's module names, shapes and initialisation: <c>conv1</c>, <c>bn1</c>, <c>layer1</c>..<c>layer4</c>
/// (blocks <c>layerS.B</c>, shortcut <c>layerS.0.downsample.0/1</c>), <c>fc</c> (the head).
/// <see cref="ModelStem.ImageNet"/> is torchvision's stem (7×7 stride-2 convolution, 3×3 stride-2 max-pool);
/// <see cref="ModelStem.Cifar"/> is the SalUn / Unlearn-Sparse stem for 32×32 images (3×3 stride-1
/// convolution, no max-pool) with the same parameter names. Convolutions are kaiming_normal(fan_out, relu),
/// batch norms weight 1 / bias 0, <c>fc</c> PyTorch's default.
/// </summary>
public sealed class ResNet : ClassifierModel
{
    [ComponentName(Name = "conv1")]
    private readonly Conv2d _conv1;
    [ComponentName(Name = "bn1")]
    private readonly BatchNorm2d _bn1;
    [ComponentName(Name = "layer1")]
    private readonly Sequential _layer1;
    [ComponentName(Name = "layer2")]
    private readonly Sequential _layer2;
    [ComponentName(Name = "layer3")]
    private readonly Sequential _layer3;
    [ComponentName(Name = "layer4")]
    private readonly Sequential _layer4;
    [ComponentName(Name = "fc")]
    private readonly Linear _fc;

    /// <summary>Creates a ResNet.</summary>
    /// <param name="blocksPerStage">Blocks in each of the four stages ([2, 2, 2, 2] for ResNet-18).</param>
    /// <param name="bottleneck">Bottleneck blocks (ResNet-50 and deeper) instead of basic blocks.</param>
    /// <param name="inChannels">Input channels.</param>
    /// <param name="numClasses">Number of classes K.</param>
    /// <param name="stem">Input stem.</param>
    public ResNet(IReadOnlyList<int> blocksPerStage, bool bottleneck, int inChannels, int numClasses, ModelStem stem)
        : base(nameof(ResNet))
    {
        ArgumentNullException.ThrowIfNull(blocksPerStage);
        if (blocksPerStage.Count != 4 || blocksPerStage.Any(b => b < 1))
        {
            throw new ArgumentException($"a ResNet has four stages of at least one block each, got [{string.Join(", ", blocksPerStage)}]", nameof(blocksPerStage));
        }
        ArgumentOutOfRangeException.ThrowIfLessThan(inChannels, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(numClasses, 1);
        Stem = stem;
        _conv1 = stem == ModelStem.ImageNet
            ? nn.Conv2d(inChannels, 64, 7, stride: 2, padding: 3, bias: false)
            : nn.Conv2d(inChannels, 64, 3, stride: 1, padding: 1, bias: false);
        _bn1 = nn.BatchNorm2d(64);
        int expansion = bottleneck ? ResNetBottleneck.Expansion : ResNetBasicBlock.Expansion;
        int inPlanes = 64;
        var stages = new Sequential[4];
        for (int s = 0; s < 4; s++)
        {
            int planes = 64 << s;
            var stage = nn.Sequential();
            for (int b = 0; b < blocksPerStage[s]; b++)
            {
                int stride = b == 0 && s > 0 ? 2 : 1;
                stage.append(bottleneck
                    ? new ResNetBottleneck(inPlanes, planes, stride)
                    : new ResNetBasicBlock(inPlanes, planes, stride));
                inPlanes = planes * expansion;
            }
            stages[s] = stage;
        }
        (_layer1, _layer2, _layer3, _layer4) = (stages[0], stages[1], stages[2], stages[3]);
        _fc = nn.Linear(512 * expansion, numClasses);
        RegisterComponents();
    }

    /// <summary>ResNet-18: basic blocks [2, 2, 2, 2]; 11,689,512 parameters with the ImageNet stem and 1000 classes.</summary>
    public static ResNet ResNet18(int inChannels, int numClasses, ModelStem stem) =>
        new([2, 2, 2, 2], bottleneck: false, inChannels, numClasses, stem);

    /// <summary>ResNet-34: basic blocks [3, 4, 6, 3]; 21,797,672 parameters with the ImageNet stem and 1000 classes.</summary>
    public static ResNet ResNet34(int inChannels, int numClasses, ModelStem stem) =>
        new([3, 4, 6, 3], bottleneck: false, inChannels, numClasses, stem);

    /// <summary>ResNet-50: bottleneck blocks [3, 4, 6, 3]; 25,557,032 parameters with the ImageNet stem and 1000 classes.</summary>
    public static ResNet ResNet50(int inChannels, int numClasses, ModelStem stem) =>
        new([3, 4, 6, 3], bottleneck: true, inChannels, numClasses, stem);

    /// <summary>The input stem.</summary>
    public ModelStem Stem { get; }

    /// <summary>The four stages <c>layer1</c>..<c>layer4</c>.</summary>
    public IReadOnlyList<Sequential> Stages => [_layer1, _layer2, _layer3, _layer4];

    /// <inheritdoc />
    public override Linear Head => _fc;

    /// <inheritdoc />
    public override string HeadName => "fc";

    /// <inheritdoc />
    public override Tensor Features(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        Tensor x = Then(_conv1.call(input), _bn1);
        x.relu_();
        if (Stem == ModelStem.ImageNet)
        {
            using Tensor stem = x;
            x = nn.functional.max_pool2d(stem, 3, 2, padding: 1);
        }
        foreach (Sequential stage in Stages)
        {
            x = ThenSequential(x, stage);
        }
        using (Tensor maps = x)
        using (Tensor pooled = nn.functional.adaptive_avg_pool2d(maps, 1))
        {
            return pooled.flatten(1);
        }
    }

    /// <summary>torchvision's projection shortcut: conv1×1(stride, no bias) then BN.</summary>
    internal static Sequential DownsampleShortcut(int inPlanes, int outPlanes, int stride) =>
        nn.Sequential(nn.Conv2d(inPlanes, outPlanes, 1, stride, bias: false), nn.BatchNorm2d(outPlanes));

    /// <summary>output += shortcut(input), in place as torchvision's <c>out += identity</c>.</summary>
    internal static void AddShortcut(Tensor output, Tensor input, Sequential? downsample)
    {
        if (downsample is null)
        {
            output.add_(input);
            return;
        }
        using Tensor identity = RunSequential(downsample, input);
        output.add_(identity);
    }

    private static Tensor ThenSequential(Tensor x, Sequential layers)
    {
        using (x)
        {
            return RunSequential(layers, x);
        }
    }
}
