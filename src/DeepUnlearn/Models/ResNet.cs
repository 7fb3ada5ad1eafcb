using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using TorchSharp;
using TorchSharp.Modules;
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
    private readonly Sequential[] _stages;

    /// <summary>Creates a ResNet.</summary>
    /// <param name="blocksPerStage">Blocks in each of the four stages ([2, 2, 2, 2] for ResNet-18).</param>
    /// <param name="bottleneck">Bottleneck blocks (ResNet-50 and deeper) instead of basic blocks.</param>
    /// <param name="inChannels">Input channels.</param>
    /// <param name="numClasses">Number of classes K.</param>
    /// <param name="stem">Input stem.</param>
    /// <param name="generator">Random generator for the initialisation (libtorch's default when null).</param>
    public ResNet(IReadOnlyList<int> blocksPerStage, bool bottleneck, int inChannels, int numClasses, ModelStem stem, Generator? generator = null)
    {
        ArgumentNullException.ThrowIfNull(blocksPerStage);
        if (blocksPerStage.Count != 4 || blocksPerStage.Any(b => b < 1))
        {
            throw new ArgumentException($"a ResNet has four stages of at least one block each, got [{string.Join(", ", blocksPerStage)}]", nameof(blocksPerStage));
        }
        ArgumentOutOfRangeException.ThrowIfLessThan(inChannels, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(numClasses, 1);
        Stem = stem;
        Conv1 = stem == ModelStem.ImageNet
            ? RegisterModule("conv1", new Conv2d(inChannels, 64, 7, stride: 2, padding: 3, bias: false, generator: generator))
            : RegisterModule("conv1", new Conv2d(inChannels, 64, 3, stride: 1, padding: 1, bias: false, generator: generator));
        Bn1 = RegisterModule("bn1", new BatchNorm2d(64));
        int expansion = bottleneck ? ResNetBottleneck.Expansion : ResNetBasicBlock.Expansion;
        int inPlanes = 64;
        _stages = new Sequential[4];
        for (int s = 0; s < 4; s++)
        {
            int planes = 64 << s;
            var stage = new Sequential();
            for (int b = 0; b < blocksPerStage[s]; b++)
            {
                int stride = b == 0 && s > 0 ? 2 : 1;
                stage.Add(bottleneck
                    ? new ResNetBottleneck(inPlanes, planes, stride, generator)
                    : new ResNetBasicBlock(inPlanes, planes, stride, generator));
                inPlanes = planes * expansion;
            }
            _stages[s] = RegisterModule("layer" + (s + 1).ToString(CultureInfo.InvariantCulture), stage);
        }
        Fc = RegisterModule("fc", new Linear(512 * expansion, numClasses, generator: generator));
        ModelInit.TorchvisionConvNet(this, linearStd: null, generator);
    }

    /// <summary>ResNet-18: basic blocks [2, 2, 2, 2]; 11,689,512 parameters with the ImageNet stem and 1000 classes.</summary>
    public static ResNet ResNet18(int inChannels, int numClasses, ModelStem stem, Generator? generator = null) =>
        new([2, 2, 2, 2], bottleneck: false, inChannels, numClasses, stem, generator);

    /// <summary>ResNet-34: basic blocks [3, 4, 6, 3]; 21,797,672 parameters with the ImageNet stem and 1000 classes.</summary>
    public static ResNet ResNet34(int inChannels, int numClasses, ModelStem stem, Generator? generator = null) =>
        new([3, 4, 6, 3], bottleneck: false, inChannels, numClasses, stem, generator);

    /// <summary>ResNet-50: bottleneck blocks [3, 4, 6, 3]; 25,557,032 parameters with the ImageNet stem and 1000 classes.</summary>
    public static ResNet ResNet50(int inChannels, int numClasses, ModelStem stem, Generator? generator = null) =>
        new([3, 4, 6, 3], bottleneck: true, inChannels, numClasses, stem, generator);

    /// <summary>The input stem.</summary>
    public ModelStem Stem { get; }

    /// <summary>The first convolution.</summary>
    public Conv2d Conv1 { get; }

    /// <summary>The stem's batch norm.</summary>
    public BatchNorm2d Bn1 { get; }

    /// <summary>The classification layer.</summary>
    public Linear Fc { get; }

    /// <summary>The four stages <c>layer1</c>..<c>layer4</c>.</summary>
    public IReadOnlyList<Sequential> Stages => _stages;

    /// <inheritdoc />
    public override Linear Head => Fc;

    /// <inheritdoc />
    public override string HeadName => "fc";

    /// <inheritdoc />
    public override Tensor Features(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        Tensor x = Then(Conv1.call(input), Bn1);
        x.relu_();
        if (Stem == ModelStem.ImageNet)
        {
            using Tensor stem = x;
            x = torch.nn.functional.max_pool2d(stem, 3, 2, padding: 1);
        }
        foreach (Sequential stage in _stages)
        {
            x = ThenSequential(x, stage);
        }
        using (Tensor maps = x)
        using (Tensor pooled = torch.nn.functional.adaptive_avg_pool2d(maps, 1, 1))
        {
            return pooled.flatten(1);
        }
    }

    /// <summary>torchvision's projection shortcut: conv1×1(stride, no bias) then BN.</summary>
    internal static Sequential DownsampleShortcut(int inPlanes, int outPlanes, int stride, Generator? generator) =>
        new(new Conv2d(inPlanes, outPlanes, 1, stride, bias: false, generator: generator), new BatchNorm2d(outPlanes));

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
